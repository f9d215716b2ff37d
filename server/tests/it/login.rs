//! OpenID Connect login against a mock provider on 127.0.0.1: the happy path, every way a
//! callback can be forged or replayed, sessions and logout.

use crate::support::{Browser, MockProvider, Signing, TestApp, query_params, test_app};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

struct StartedLogin {
    state: String,
    nonce: String,
    challenge: String,
}

async fn start_login(app: &TestApp, browser: &mut Browser, next: &str) -> StartedLogin {
    let reply = browser
        .get(&app.router, &format!("/auth/login?next={next}"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.location();
    let provider = app.provider.as_ref().unwrap();
    assert!(location.starts_with(&format!("{}/authorize?", provider.issuer)));
    let params = query_params(&location);
    assert_eq!(params["response_type"], "code");
    assert_eq!(params["client_id"], crate::support::CLIENT_ID);
    // The page policy lets the logout form lead to the provider, and nowhere else.
    let page = Browser::default().get(&app.router, "/").await;
    let policy = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains(&format!("form-action 'self' {};", provider.issuer)),
        "{policy}"
    );
    assert_eq!(params["code_challenge_method"], "S256");
    assert_eq!(
        params["redirect_uri"],
        "http://127.0.0.1:3000/auth/callback"
    );
    assert!(params["scope"].contains("openid"));
    StartedLogin {
        state: params["state"].clone(),
        nonce: params["nonce"].clone(),
        challenge: params["code_challenge"].clone(),
    }
}

async fn login_app() -> TestApp {
    test_app(Some(MockProvider::start().await), &[]).await
}

#[tokio::test]
async fn full_login_creates_account_rotates_session_and_logout_ends_it() {
    let app = login_app().await;
    let provider = app.provider.clone().unwrap();
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "/factsheets/jihadisme").await;
    let pre_login_session = browser
        .session_id()
        .expect("a session holds the pending login");

    let mut claims = provider.valid_claims("alice", &login.nonce);
    claims["roles"] = json!(["editor"]);
    provider.plan(claims, Signing::ProviderKey, &login.challenge);
    let reply = browser
        .get(
            &app.router,
            &format!("/auth/callback?code=c1&state={}", login.state),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // First login: the profile form comes first, then back to where the user was.
    assert_eq!(reply.location(), "/profiel?volgende=/factsheets/jihadisme");
    let session = browser.session_id().unwrap();
    assert_ne!(session, pre_login_session, "a new session id at login");

    // The old (pre-login) id is worthless; the new one is logged in with the claimed role.
    let mut stale = Browser::with_session(&pre_login_session);
    let stale_reply = stale.get(&app.router, "/redactie").await;
    assert_eq!(stale_reply.status, StatusCode::UNAUTHORIZED);
    let page = browser.get(&app.router, "/redactie").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Kennisteam Jihadisme"));
    assert_eq!(page.headers["cache-control"], "no-store");
    // No token or secret in what the browser gets.
    assert!(!page.body.contains("mock-access-token"));
    assert!(!page.body.contains("eyJ"));

    // Logout is a POST that destroys the session server-side: replaying the cookie fails.
    let logged_out = browser.post_form(&app.router, "/auth/logout", "").await;
    assert_eq!(logged_out.status, StatusCode::SEE_OTHER);
    // The provider offers logout: the browser goes there to end that session too, with the
    // ID token as hint, and comes back to "U bent uitgelogd".
    let location = logged_out.location();
    assert!(
        location.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{location}"
    );
    let params = query_params(&location);
    assert!(params["id_token_hint"].starts_with("eyJ"));
    assert_eq!(
        params["post_logout_redirect_uri"],
        "http://127.0.0.1:3000/?uitgelogd"
    );
    assert_eq!(params["client_id"], crate::support::CLIENT_ID);
    let home = browser.get(&app.router, "/?uitgelogd").await;
    assert!(home.body.contains("U bent uitgelogd."));
    let mut replay = Browser::with_session(&session);
    assert_eq!(
        replay.get(&app.router, "/profiel").await.status,
        StatusCode::UNAUTHORIZED
    );

    let events = app::identity::service::audit::list(
        &app.db,
        None,
        app::identity::model::AuditStretch::Newest,
    )
    .await
    .unwrap();
    let kinds: Vec<&str> = events.entries.iter().map(|e| e.event.slug()).collect();
    assert_eq!(kinds, ["logout", "login_succeeded", "roles_changed"]);
}

#[tokio::test]
async fn forged_replayed_and_tampered_callbacks_are_refused() {
    let app = login_app().await;
    let provider = app.provider.clone().unwrap();

    // Each case: how to plan the token, what to send back; all must end in a Dutch 400 and no session.
    type Tamper = fn(&mut serde_json::Value, &str);
    let token_cases: [(&str, Signing, Tamper); 7] = [
        ("wrong nonce", Signing::ProviderKey, |c, _| {
            c["nonce"] = json!("other")
        }),
        ("missing nonce", Signing::ProviderKey, |c, _| {
            c.as_object_mut().unwrap().remove("nonce");
        }),
        ("wrong audience", Signing::ProviderKey, |c, _| {
            c["aud"] = json!("someone-else")
        }),
        ("wrong issuer", Signing::ProviderKey, |c, _| {
            c["iss"] = json!("http://127.0.0.1:1/evil")
        }),
        ("expired", Signing::ProviderKey, |c, _| {
            c["exp"] = json!(chrono::Utc::now().timestamp() - 600)
        }),
        ("alg none", Signing::Unsigned, |_, _| {}),
        ("unknown key", Signing::AttackerKey, |_, _| {}),
    ];
    for (name, signing, tamper) in token_cases {
        let mut browser = Browser::default();
        let login = start_login(&app, &mut browser, "/").await;
        let mut claims = provider.valid_claims("mallory", &login.nonce);
        tamper(&mut claims, &login.nonce);
        provider.plan(claims, signing, &login.challenge);
        let reply = browser
            .get(
                &app.router,
                &format!(
                    "/auth/callback?code=code-{}&state={}",
                    name.replace(' ', "-"),
                    login.state
                ),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{name}: {}",
            reply.body
        );
        assert!(reply.body.contains("Inloggen mislukt"), "{name}");
        assert_eq!(
            browser.get(&app.router, "/profiel").await.status,
            StatusCode::UNAUTHORIZED,
            "{name} must not log in"
        );
    }

    // Wrong state, missing state, and a callback from a browser that never started a login.
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "/").await;
    provider.plan(
        provider.valid_claims("mallory", &login.nonce),
        Signing::ProviderKey,
        &login.challenge,
    );
    let wrong = browser
        .get(&app.router, "/auth/callback?code=s1&state=forged")
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    // The pending login was consumed by the failed attempt: the right state no longer works.
    let late = browser
        .get(
            &app.router,
            &format!("/auth/callback?code=s2&state={}", login.state),
        )
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);

    let mut browser = Browser::default();
    start_login(&app, &mut browser, "/").await;
    let missing = browser.get(&app.router, "/auth/callback?code=s3").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);

    let mut foreign = Browser::default();
    let login = start_login(&app, &mut Browser::default(), "/").await;
    let reply = foreign
        .get(
            &app.router,
            &format!("/auth/callback?code=s4&state={}", login.state),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("andere browser"));

    let failures = app::identity::service::audit::list(
        &app.db,
        Some(app::identity::model::AuditEventKind::LoginFailed),
        app::identity::model::AuditStretch::Newest,
    )
    .await
    .unwrap();
    assert_eq!(failures.entries.len(), 11);
    assert!(failures.entries.iter().all(|e| !e.detail.contains("eyJ")));
}

#[tokio::test]
async fn replayed_callback_is_refused_after_success() {
    let app = login_app().await;
    let provider = app.provider.clone().unwrap();
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "/").await;
    provider.plan(
        provider.valid_claims("bob", &login.nonce),
        Signing::ProviderKey,
        &login.challenge,
    );
    let callback = format!("/auth/callback?code=r1&state={}", login.state);
    assert_eq!(
        browser.get(&app.router, &callback).await.status,
        StatusCode::SEE_OTHER
    );
    let replay = browser.get(&app.router, &callback).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert!(replay.body.contains("Begin opnieuw met inloggen"));
}

#[tokio::test]
async fn next_parameter_cannot_leave_the_site() {
    let app = login_app().await;
    let provider = app.provider.clone().unwrap();
    let (user_id, _) = crate::support::login_as(&app.db, "carol", &[]).await;
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "https://evil.example/").await;
    provider.plan(
        provider.valid_claims("carol-at-provider", &login.nonce),
        Signing::ProviderKey,
        &login.challenge,
    );
    let reply = browser
        .get(
            &app.router,
            &format!("/auth/callback?code=n1&state={}", login.state),
        )
        .await;
    assert_eq!(reply.location(), "/profiel?volgende=/");
    assert!(user_id > 0);
}

#[tokio::test]
async fn login_without_a_provider_is_a_dutch_503() {
    let app = test_app(None, &[]).await;
    let reply = Browser::default().get(&app.router, "/auth/login").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.body.contains("niet ingesteld"));
}

#[tokio::test]
async fn discovery_refuses_a_provider_claiming_another_issuer() {
    let provider = MockProvider::start().await;
    let vars = [
        ("OIDC_ISSUER_URL", format!("{}/", provider.issuer)),
        ("OIDC_CLIENT_ID", "x".to_owned()),
    ];
    let config = server::config::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let db = server::open_database("sqlite::memory:").await.unwrap();
    let error = server::AppState::build(&config, db).await.err().unwrap();
    assert!(error.to_string().contains("issuer"), "{error}");
}

#[tokio::test]
async fn cross_origin_logout_is_refused() {
    let app = login_app().await;
    let (_, session) = crate::support::login_as(&app.db, "dave", &[]).await;
    let mut browser = Browser::with_session(&session);
    let request = axum::http::Request::post("/auth/logout")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = browser.send(&app.router, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn sessions_end_after_their_absolute_lifetime() {
    let app = test_app(None, &[("SESSION_ABSOLUTE_HOURS", "1")]).await;
    let (_, session) = crate::support::login_as(&app.db, "erin", &[]).await;
    let mut browser = Browser::with_session(&session);
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::OK
    );
    // Pretend the login happened two hours ago.
    let store = app::identity::service::session_store::DbSessionStore::new(app.db.clone());
    let id: tower_sessions::session::Id = session.parse().unwrap();
    let mut record = tower_sessions::session_store::SessionStore::load(&store, &id)
        .await
        .unwrap()
        .unwrap();
    record.data.insert(
        "authenticated_at".into(),
        json!(chrono::Utc::now().timestamp() - 7200),
    );
    tower_sessions::session_store::SessionStore::save(&store, &record)
        .await
        .unwrap();
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn auth_routes_are_rate_limited_with_a_dutch_429() {
    let app = test_app(None, &[("RATE_LIMIT_AUTH_PER_MINUTE", "3")]).await;
    let mut browser = Browser::default();
    for _ in 0..3 {
        assert_ne!(
            browser.get(&app.router, "/auth/login").await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    let limited = browser.get(&app.router, "/auth/login").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("te veel verzoeken"));
    assert_eq!(limited.headers["retry-after"], "60");
    // Pages are not limited.
    assert_eq!(browser.get(&app.router, "/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn cookie_is_host_prefixed_and_secure_behind_https() {
    let provider = MockProvider::start().await;
    let app = test_app(Some(provider), &[("PUBLIC_URL", "https://leer.example.nl")]).await;
    let reply = Browser::default().get(&app.router, "/auth/login").await;
    let cookie = reply.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-leerplatform="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    let id = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    // tower-sessions ids are 128 random bits, base64url: 22 characters.
    assert_eq!(id.len(), 22);
}

#[tokio::test]
async fn idle_timeout_slides_with_activity_and_expired_sessions_are_refused() {
    use tower_sessions::cookie::time::{Duration, OffsetDateTime};
    use tower_sessions::session_store::SessionStore;
    let app = test_app(None, &[]).await;
    let store = app::identity::service::session_store::DbSessionStore::new(app.db.clone());
    let (_, session) = crate::support::login_as(&app.db, "frank", &[]).await;
    let id: tower_sessions::session::Id = session.parse().unwrap();
    let mut record = store.load(&id).await.unwrap().unwrap();
    record.expiry_date = OffsetDateTime::now_utc() + Duration::minutes(1);
    store.save(&record).await.unwrap();

    let mut browser = Browser::with_session(&session);
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::OK
    );
    let renewed = store.load(&id).await.unwrap().unwrap().expiry_date;
    assert!(
        renewed > OffsetDateTime::now_utc() + Duration::minutes(29),
        "activity extends the session to the full idle timeout"
    );

    let mut record = store.load(&id).await.unwrap().unwrap();
    record.expiry_date = OffsetDateTime::now_utc() - Duration::seconds(1);
    store.save(&record).await.unwrap();
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn server_functions_are_rate_limited_per_client() {
    let app = test_app(None, &[("RATE_LIMIT_API_PER_MINUTE", "2")]).await;
    let mut browser = Browser::default();
    for _ in 0..2 {
        let reply = browser
            .post_form(&app.router, "/api/current_viewer", "")
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let limited = browser
        .post_form(&app.router, "/api/current_viewer", "")
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Wacht een minuut"));
}

#[tokio::test]
async fn search_is_rate_limited_and_a_forged_forwarded_line_does_not_help() {
    let app = test_app(
        None,
        &[
            ("RATE_LIMIT_API_PER_MINUTE", "2"),
            ("CLIENT_IP_HEADER", "x-forwarded-for"),
        ],
    )
    .await;
    let search = |forged: &'static str| {
        axum::http::Request::get("/zoeken?q=jihadisme")
            .header("x-forwarded-for", forged)
            .header("x-forwarded-for", "203.0.113.7")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let mut browser = Browser::default();
    for forged in ["1.1.1.1", "2.2.2.2"] {
        assert_eq!(
            browser.send(&app.router, search(forged)).await.status,
            StatusCode::OK
        );
    }
    // A new forged first line every time, the same client behind the proxy: limited.
    let limited = browser.send(&app.router, search("3.3.3.3")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    // Ordinary pages are not limited.
    assert_eq!(
        browser.get(&app.router, "/factsheets").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_failed_token_exchange_still_consumes_the_pending_login() {
    let app = login_app().await;
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "/").await;
    // Nothing planned: the provider refuses the code, and the callback fails with a 502.
    let callback = format!("/auth/callback?code=code-1&state={}", login.state);
    let first = browser.get(&app.router, &callback).await;
    assert_eq!(first.status, StatusCode::BAD_GATEWAY, "{}", first.body);
    // The same callback again finds no pending login to use.
    let again = browser.get(&app.router, &callback).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert!(again.body.contains("Inloggen mislukt"));
}

/// Logs `subject` in through the mock provider in `browser`.
async fn log_in(app: &TestApp, browser: &mut Browser, subject: &str) {
    let provider = app.provider.clone().unwrap();
    let login = start_login(app, browser, "/").await;
    provider.plan(
        provider.valid_claims(subject, &login.nonce),
        Signing::ProviderKey,
        &login.challenge,
    );
    let reply = browser
        .get(
            &app.router,
            &format!(
                "/auth/callback?code=code-{subject}-{}&state={}",
                login.state, login.state
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

#[tokio::test]
async fn a_login_starts_a_clean_session() {
    let app = login_app().await;
    let mut browser = Browser::default();
    log_in(&app, &mut browser, "alice").await;
    // Alice's refused profile (her name in it) waits in the session for the next page view.
    let request = axum::http::Request::post("/api/save_profile")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", "http://127.0.0.1:3000/profiel")
        .body(axum::body::Body::from(
            "input[display_name]=Alice+Geheim&input[organisation]=Gemeente&input[work_field]=",
        ))
        .unwrap();
    assert!(
        browser
            .send(&app.router, request)
            .await
            .status
            .is_redirection()
    );
    // Bob logs in in the same browser without Alice logging out first.
    log_in(&app, &mut browser, "bob").await;
    let page = browser.get(&app.router, "/profiel").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Alice Geheim"), "{}", page.body);
}

#[tokio::test]
async fn a_token_without_the_roles_claim_is_refused_not_read_as_no_roles() {
    let app = login_app().await;
    let provider = app.provider.clone().unwrap();
    let mut browser = Browser::default();
    let login = start_login(&app, &mut browser, "/").await;
    let mut claims = provider.valid_claims("carla", &login.nonce);
    claims.as_object_mut().unwrap().remove("roles");
    provider.plan(claims, Signing::ProviderKey, &login.challenge);
    let reply = browser
        .get(
            &app.router,
            &format!("/auth/callback?code=zonder-rollen&state={}", login.state),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body.contains("welke rollen u heeft"),
        "{}",
        reply.body
    );
    assert_eq!(
        browser.get(&app.router, "/profiel").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn with_roles_from_the_provider_the_admin_page_is_read_only_and_changes_are_refused() {
    let app = login_app().await;
    let (_, admin) = crate::support::login_as(&app.db, "beheerder", &["admin"]).await;
    let (target, _) = crate::support::login_as(&app.db, "deelnemer", &[]).await;
    let mut browser = Browser::with_session(&admin);
    let page = browser.get(&app.router, "/beheer/gebruikers").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("komen uit de inlogdienst"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("type=\"checkbox\""), "{}", page.body);
    let reply = browser
        .post_form(
            &app.router,
            "/api/set_user_roles",
            &format!("user_id={target}&trainer=on"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("Wijzig ze daar"), "{}", reply.body);
    let stored = app::identity::entity::user_role::Entity::find()
        .filter(app::identity::entity::user_role::Column::UserId.eq(target))
        .all(&app.db)
        .await
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
}

#[tokio::test]
async fn without_a_roles_claim_admins_manage_roles_and_listed_subjects_are_admins() {
    let app = test_app(
        Some(MockProvider::start().await),
        &[
            ("OIDC_ROLES_CLAIM", ""),
            ("ADMIN_SUBJECTS", "eerste-beheerder, "),
        ],
    )
    .await;
    let mut listed = Browser::default();
    log_in(&app, &mut listed, "eerste-beheerder").await;
    let mut other = Browser::default();
    log_in(&app, &mut other, "gewone-deelnemer").await;
    let roles = |subject: &'static str| {
        let db = app.db.clone();
        async move {
            use app::identity::entity::{user, user_role};
            let account = user::Entity::find()
                .filter(user::Column::Subject.eq(subject))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let roles: Vec<String> = user_role::Entity::find()
                .filter(user_role::Column::UserId.eq(account.id))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|row| row.role)
                .collect();
            (account.id, roles)
        }
    };
    let (_, listed_roles) = roles("eerste-beheerder").await;
    assert_eq!(listed_roles, ["admin"]);
    let (other_id, other_roles) = roles("gewone-deelnemer").await;
    assert!(other_roles.is_empty(), "{other_roles:?}");
    // The listed admin manages roles on the platform: checkboxes, and a change is stored.
    let page = listed.get(&app.router, "/beheer/gebruikers").await;
    assert!(page.body.contains("type=\"checkbox\""), "{}", page.body);
    let reply = listed
        .post_form(
            &app.router,
            "/api/set_user_roles",
            &format!("user_id={other_id}&trainer=on"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(roles("gewone-deelnemer").await.1, ["trainer"]);
    // Logging in again keeps platform-managed roles (no claim replaces them).
    log_in(&app, &mut other, "gewone-deelnemer").await;
    assert_eq!(roles("gewone-deelnemer").await.1, ["trainer"]);
}

/// The audit log leads back through its events by plain links (no JavaScript needed): older
/// events after the newest 50, and from there newer ones and the newest again.
#[tokio::test]
async fn the_audit_log_leads_to_older_and_newer_events_by_links() {
    let app = test_app(None, &[]).await;
    let (_, session) = crate::support::login_as(&app.db, "beheerder", &["admin"]).await;
    for _ in 0..60 {
        app::identity::service::accounts::audit_session_event(
            &app.db,
            app::identity::model::AuditEventKind::LoginFailed,
            None,
            "r",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let mut browser = Browser::with_session(&session);
    let newest = browser.get(&app.router, "/beheer/audit").await;
    assert_eq!(newest.status, StatusCode::OK);
    assert!(!newest.body.contains("Nieuwere gebeurtenissen"));
    let older = href_of(&newest.body, "Oudere gebeurtenissen");
    assert!(older.starts_with("/beheer/audit?voor="), "{older}");
    let page = browser.get(&app.router, &older).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(">Nieuwste</a>"));
    let newer = href_of(&page.body, "Nieuwere gebeurtenissen");
    assert!(newer.starts_with("/beheer/audit?na="), "{newer}");
    assert_eq!(
        browser.get(&app.router, &newer).await.status,
        StatusCode::OK
    );
    // Narrowed to one kind, the links keep the kind.
    let failures = browser
        .get(&app.router, "/beheer/audit?gebeurtenis=login_failed")
        .await;
    assert!(
        href_of(&failures.body, "Oudere gebeurtenissen")
            .starts_with("/beheer/audit?gebeurtenis=login_failed&amp;voor=")
            || href_of(&failures.body, "Oudere gebeurtenissen")
                .starts_with("/beheer/audit?gebeurtenis=login_failed&voor=")
    );
}

/// The `href` of the link whose text is `text`.
fn href_of(html: &str, text: &str) -> String {
    let end = html
        .find(&format!(">{text}</a>"))
        .unwrap_or_else(|| panic!("a link '{text}' in {html}"));
    let start = html[..end].rfind("href=\"").expect("an href") + "href=\"".len();
    let value = &html[start..];
    value[..value.find('"').expect("a closing quote")].to_owned()
}
