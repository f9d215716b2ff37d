//! Shared by the HTTP tests: an app over in-memory SQLite, a cookie-keeping client, a mock
//! OpenID provider on 127.0.0.1 that signs (or tampers with) ID tokens, and sessions for
//! users with given roles.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::{Value, json};
use server::config::Config;
use server::{AppState, import_content, open_database, router};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

/// The SMTP server of the app's service tests, shared by path (one file, two test crates).
#[path = "../../../../app/tests/it/common/smtp_sink.rs"]
pub mod smtp_sink;

pub const CLIENT_ID: &str = "leerplatform";
pub const COOKIE_NAME: &str = "leerplatform_sessie";

/// A document file as `content/` holds it: front matter with defaults (a published factsheet
/// about jihadism), each `(field, YAML value)` replacing a default, then `body`.
pub fn document(slug: &str, overrides: &[(&str, &str)], body: &str) -> String {
    let slug_value = slug.to_owned();
    let mut fields: Vec<(&str, String)> = vec![
        ("title", "\"Jihadisme\"".to_owned()),
        ("slug", slug_value),
        (
            "summary",
            "\"Wat professionals moeten weten over jihadisme.\"".to_owned(),
        ),
        ("phenomena", "[jihadisme]".to_owned()),
        ("audience", "[onderwijs]".to_owned()),
        ("owner", "\"Kennisteam Jihadisme\"".to_owned()),
        ("reviewed_on", "2026-09-14".to_owned()),
        ("review_due", "2027-09-14".to_owned()),
        ("status", "published".to_owned()),
        (
            "sources",
            "\n  - title: \"AIVD jaarverslag\"\n    url: \"https://www.aivd.nl\"".to_owned(),
        ),
    ];
    for (field, value) in overrides {
        match fields.iter_mut().find(|(name, _)| name == field) {
            Some((_, default)) => *default = (*value).to_owned(),
            None => panic!("unknown front-matter field {field}"),
        }
    }
    let front_matter: String = fields
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();
    format!("---\n{front_matter}---\n{body}")
}

/// Module `basis/eerste`: one question, option 1 ("Geleidelijk") right.
pub const QUIZ_MODULE_BODY: &str = "Tekst van de module.\n\n```vraag\nHoe verloopt radicalisering meestal?\n- [ ] Plotseling\n- [x] Geleidelijk\n> Het is een proces.\n```\n";

/// The test training and its run; `Trainer` (the access matrix's trainer) trains it.
pub const TRAINING: &str = "verdieping";
pub const RUN: &str = "2031-voorjaar";
const TRAINING_FILE: &str = r#"---
title: "Verdieping"
slug: verdieping
summary: "Een verdiepingstraining."
phenomena: [fenomeenoverstijgend]
audience: [zorg, gemeente]
owner: "Team Training"
reviewed_on: 2026-11-01
review_due: 2027-11-01
status: published
sources:
  - title: "Bron"
    url: "https://example.org"
hours: 3
prerequisites: "Ervaring met casuïstiek."
runs:
  - code: 2031-voorjaar
    capacity: 2
    enrolment_opens: 2026-01-01
    enrolment_closes: 2030-12-31
    trainers: [Trainer]
    sessions:
      - { date: 2031-03-04, start: "09:30", end: "12:30", location: "online", link: "https://meet.example.org/geheim" }
---
Beschrijving.
"#;

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    /// The app's context (its clock, its counts of reads and searches).
    pub context: app::context::AppContext,
    pub provider: Option<MockProvider>,
    _content: tempfile::TempDir,
}

/// The app with one factsheet, a course `basis` of two modules and, if `provider` is given,
/// login through it.
pub async fn test_app(provider: Option<MockProvider>, extra: &[(&str, &str)]) -> TestApp {
    let db = open_database("sqlite::memory:").await.unwrap();
    test_app_on(db, provider, extra).await
}

/// [`test_app`] on a database of the caller's (PostgreSQL, say).
pub async fn test_app_on(
    db: DatabaseConnection,
    provider: Option<MockProvider>,
    extra: &[(&str, &str)],
) -> TestApp {
    let content = tempfile::tempdir().unwrap();
    let dir = content.path().join("factsheets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("jihadisme.md"),
        document("jihadisme", &[], "## Wat is jihadisme?\n\nTekst.\n"),
    )
    .unwrap();
    let course = content.path().join("modules/basis");
    std::fs::create_dir_all(&course).unwrap();
    let document = |slug: &str, title: &str, body: &str| {
        document(slug, &[("title", &format!("\"{title}\""))], body)
    };
    std::fs::write(
        course.join("course.md"),
        document("basis", "Basiscursus", "Over de cursus.\n"),
    )
    .unwrap();
    std::fs::write(
        course.join("01-eerste.md"),
        document("eerste", "Eerste module", QUIZ_MODULE_BODY),
    )
    .unwrap();
    std::fs::write(
        course.join("02-tweede.md"),
        document("tweede", "Tweede module", "Tekst.\n"),
    )
    .unwrap();
    let trainings = content.path().join("trainings");
    std::fs::create_dir_all(&trainings).unwrap();
    std::fs::write(trainings.join(format!("{TRAINING}.md")), TRAINING_FILE).unwrap();
    import_content(&db, content.path(), chrono::Utc::now())
        .await
        .unwrap();
    let mut vars: HashMap<String, String> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(provider) = &provider {
        vars.insert("OIDC_ISSUER_URL".into(), provider.issuer.clone());
        vars.insert("OIDC_CLIENT_ID".into(), CLIENT_ID.into());
        vars.insert("OIDC_CLIENT_SECRET".into(), "test-secret".into());
        // An empty value in `extra` turns it off (roles managed on the platform).
        vars.entry("OIDC_ROLES_CLAIM".into())
            .or_insert_with(|| "roles".into());
    }
    vars.entry("INTERVISION_KEY".into())
        .or_insert_with(|| TEST_INTERVISION_KEY.into());
    let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
    let state = AppState::build(&config, db.clone()).await.unwrap();
    TestApp {
        context: state.context.clone(),
        router: router(state),
        db,
        provider,
        _content: content,
    }
}

/// The key intervision content is sealed with in tests (32 bytes, base64).
pub const TEST_INTERVISION_KEY: &str = "bGVlcnBsYXRmb3JtLXRlc3Qta2V5LTMyLWJ5dGVzISE=";

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

/// A client that keeps cookies like a browser does, and sends same-origin fetch metadata.
#[derive(Clone, Default)]
pub struct Browser {
    pub cookies: HashMap<String, String>,
}

impl Browser {
    pub fn with_session(id: &str) -> Self {
        let mut browser = Self::default();
        browser.cookies.insert(COOKIE_NAME.into(), id.into());
        browser
    }

    pub fn session_id(&self) -> Option<String> {
        self.cookies.get(COOKIE_NAME).cloned()
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, app: &Router, request: Request<Body>) -> Reply {
        let (mut parts, body) = request.into_parts();
        if !self.cookies.is_empty() {
            parts
                .headers
                .insert(header::COOKIE, self.cookie_header().parse().unwrap());
        }
        parts
            .headers
            .entry("sec-fetch-site")
            .or_insert("same-origin".parse().unwrap());
        let response = app
            .clone()
            .oneshot(Request::from_parts(parts, body))
            .await
            .unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("odd cookie {text}"));
            let removed = attributes.contains("Max-Age=0") || value.is_empty();
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, app: &Router, uri: &str) -> Reply {
        self.send(app, Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A form post, as a browser without JavaScript sends it.
    pub async fn post_form(&mut self, app: &Router, uri: &str, body: &str) -> Reply {
        self.send(
            app,
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }
}

/// Creates an account with `roles` and a logged-in session for it; returns (user id, session id).
pub async fn login_as(db: &DatabaseConnection, subject: &str, roles: &[&str]) -> (i32, String) {
    use app::identity::entity::{user, user_role};
    let now = chrono::Utc::now();
    let user = user::ActiveModel {
        issuer: Set("http://127.0.0.1/test".into()),
        subject: Set(subject.into()),
        display_name: Set(Some(format!("Test {subject}"))),
        organisation: Set(Some("Gemeente Teststad".into())),
        work_field: Set(Some("gemeente".into())),
        profile_completed_at: Set(Some(now)),
        created_at: Set(now),
        last_login_at: Set(now),
        email: Set(Some(format!("{subject}@test.invalid"))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for role in roles {
        user_role::ActiveModel {
            user_id: Set(user.id),
            role: Set(role.to_string()),
        }
        .insert(db)
        .await
        .unwrap();
    }
    let store = app::identity::service::session_store::DbSessionStore::new(db.clone());
    let id = store
        .open_for(
            user.id,
            now,
            tower_sessions::cookie::time::Duration::minutes(30),
        )
        .await
        .unwrap();
    (user.id, id.to_string())
}

/// How the mock provider signs the next ID token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    ProviderKey,
    /// `alg: none`, no signature.
    Unsigned,
    /// A valid RS256 signature by a key the provider never published.
    AttackerKey,
}

#[derive(Default)]
struct ProviderState {
    next_claims: Option<Value>,
    signing: Option<Signing>,
    expected_challenge: Option<String>,
    used_codes: Vec<String>,
}

/// A minimal OpenID provider on 127.0.0.1: discovery, JWKS and a token endpoint that
/// returns whatever ID token the test planned.
#[derive(Clone)]
pub struct MockProvider {
    pub issuer: String,
    state: Arc<Mutex<ProviderState>>,
    key: Arc<CoreRsaPrivateSigningKey>,
    attacker: Arc<CoreRsaPrivateSigningKey>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl MockProvider {
    pub async fn start() -> Self {
        let key = CoreRsaPrivateSigningKey::from_pem(
            include_str!("../fixtures/provider-key.pem"),
            Some(JsonWebKeyId::new("k1".into())),
        )
        .unwrap();
        let attacker = CoreRsaPrivateSigningKey::from_pem(
            include_str!("../fixtures/attacker-key.pem"),
            Some(JsonWebKeyId::new("k1".into())),
        )
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let provider = Self {
            issuer: issuer.clone(),
            state: Arc::default(),
            key: Arc::new(key),
            attacker: Arc::new(attacker),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        provider
    }

    /// Claims of a valid ID token for `nonce`.
    pub fn valid_claims(&self, subject: &str, nonce: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": subject,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            // The test app configures `OIDC_ROLES_CLAIM=roles`: no extra role.
            "roles": [],
        })
    }

    /// The next code exchange returns an ID token with `claims`, signed as `signing`, and
    /// only if the PKCE verifier matches `challenge`.
    pub fn plan(&self, claims: Value, signing: Signing, challenge: &str) {
        let mut state = self.state.lock().unwrap();
        state.next_claims = Some(claims);
        state.signing = Some(signing);
        state.expected_challenge = Some(challenge.to_owned());
    }

    fn jwt(&self, claims: &Value, signing: Signing) -> String {
        let header = match signing {
            Signing::Unsigned => json!({"alg": "none"}),
            _ => json!({"alg": "RS256", "kid": "k1", "typ": "JWT"}),
        };
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let key = match signing {
            Signing::Unsigned => return format!("{input}."),
            Signing::ProviderKey => &self.key,
            Signing::AttackerKey => &self.attacker,
        };
        let signature = key
            .sign(
                &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                input.as_bytes(),
            )
            .unwrap();
        format!("{input}.{}", b64(&signature))
    }
}

async fn discovery(State(provider): State<MockProvider>) -> impl IntoResponse {
    let base = &provider.issuer;
    axum::Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "end_session_endpoint": format!("{base}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(provider): State<MockProvider>) -> impl IntoResponse {
    axum::Json(json!({ "keys": [provider.key.as_verification_key()] }))
}

async fn token(
    State(provider): State<MockProvider>,
    Form(form): Form<HashMap<String, String>>,
) -> axum::response::Response {
    let mut state = provider.state.lock().unwrap();
    let code = form.get("code").cloned().unwrap_or_default();
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = b64(&Sha256::digest(verifier.as_bytes()));
    let grant_ok = !state.used_codes.contains(&code)
        && state.expected_challenge.as_deref() == Some(challenge.as_str());
    state.used_codes.push(code);
    let (Some(claims), Some(signing), true) = (state.next_claims.clone(), state.signing, grant_ok)
    else {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    axum::Json(json!({
        "access_token": "mock-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": provider.jwt(&claims, signing),
    }))
    .into_response()
}

/// The query parameters of a URL.
pub fn query_params(url: &str) -> HashMap<String, String> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), percent_decode(v)))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// A new, empty PostgreSQL database for one test (dropped by [`PostgresDatabase::drop`]); the
/// server at 127.0.0.1:5432, or `TEST_POSTGRES_URL`'s.
pub struct PostgresDatabase {
    pub name: String,
    admin: DatabaseConnection,
    host: String,
}

impl PostgresDatabase {
    pub async fn create(prefix: &str) -> Self {
        use sea_orm::ConnectionTrait;
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/postgres".into());
        let host = admin_url
            .rsplit_once('/')
            .map_or(admin_url.clone(), |(host, _)| host.to_owned());
        let admin = sea_orm::Database::connect(&admin_url)
            .await
            .expect("PostgreSQL at 127.0.0.1:5432 is needed for this test");
        let name = format!("{prefix}_{}_{}", std::process::id(), unique_suffix());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        Self { name, admin, host }
    }

    /// The database's URL, through `host_and_port` when given (a proxy, say).
    pub fn url(&self) -> String {
        format!("{}/{}", self.host, self.name)
    }

    pub fn url_through(&self, port: u16) -> String {
        let (scheme_user, _) = self
            .host
            .rsplit_once('@')
            .unwrap_or(("postgres://root", ""));
        format!("{scheme_user}@127.0.0.1:{port}/{}", self.name)
    }

    pub async fn drop(self) {
        use sea_orm::ConnectionTrait;
        let _ = self
            .admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await;
    }
}

fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
