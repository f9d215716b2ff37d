//! The page cache for anonymous visitors: fresh nonce per response, revalidation, publishes
//! visible on the next request, and logged-in pages never from (or into) the cache.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

use crate::support::{Browser, login_as, test_app};

const PAGE: &str = "/factsheets/jihadisme";

/// The nonce of the policy and every nonce in the body: all the same.
fn nonces(reply: &crate::support::Reply) -> (String, Vec<String>) {
    let policy = reply.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let start = policy.find("'nonce-").unwrap() + 7;
    let nonce = policy[start..start + policy[start..].find('\'').unwrap()].to_owned();
    let in_body = reply
        .body
        .split("nonce=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect();
    (nonce, in_body)
}

/// Changes the stored title behind the publication's back: only a page rendered afresh shows it.
async fn retitle_directly(db: &sea_orm::DatabaseConnection, title: &str) {
    db.execute_unprepared(&format!(
        "UPDATE documents SET title = '{title}' WHERE slug = 'jihadisme'"
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn anonymous_pages_come_from_the_cache_with_a_fresh_nonce_and_revalidate() {
    let app = test_app(None, &[]).await;
    let mut visitor = Browser::default();
    let first = visitor.get(&app.router, PAGE).await;
    assert_eq!(first.status, StatusCode::OK);
    retitle_directly(&app.db, "Buiten de cache om").await;
    let second = visitor.get(&app.router, PAGE).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(
        !second.body.contains("Buiten de cache om"),
        "the second view is the kept page, not a new render"
    );
    // Each response its own nonce, the same in the policy and at every inline script.
    let (policy_one, body_one) = nonces(&first);
    let (policy_two, body_two) = nonces(&second);
    assert_ne!(policy_one, policy_two);
    assert!(!body_two.is_empty() && body_two.iter().all(|n| *n == policy_two));
    assert!(body_one.iter().all(|n| *n == policy_one));
    assert!(!second.body.contains(&policy_one));
    // The preloads say `crossorigin=""`, never the nonce (Leptos 0.8.23 writes it there),
    // fresh or from the cache.
    for (reply, nonce) in [(&first, &policy_one), (&second, &policy_two)] {
        assert!(!reply.body.contains(&format!("crossorigin=\"{nonce}\"")));
        assert_eq!(
            reply.body.matches("crossorigin=\"\"").count(),
            2,
            "{}",
            reply.body
        );
        // Nothing after the document: Leptos's resource scripts stand inside the body.
        assert!(reply.body.ends_with("</body></html>"), "{}", reply.body);
        assert!(reply.body.contains("__RESOLVED_RESOURCES"));
    }
    // A weak ETag and no-cache: the browser asks again and gets 304 while nothing changed.
    let etag = second.headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""));
    assert_eq!(first.headers[header::ETAG], second.headers[header::ETAG]);
    assert_eq!(second.headers[header::CACHE_CONTROL], "no-cache");
    let again = visitor
        .send(
            &app.router,
            Request::get(PAGE)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // The browser applies a 304's headers to its cached copy: a policy here would replace the
    // one whose nonce is in that copy, and the page would lose its stylesheet and scripts.
    assert!(
        !again.headers.contains_key(header::CONTENT_SECURITY_POLICY),
        "a 304 keeps the cached page's own policy: {:?}",
        again.headers.get(header::CONTENT_SECURITY_POLICY)
    );
    // Visitors never make a session: no cookie, no row.
    assert!(!second.headers.contains_key(header::SET_COOKIE));
    let sessions = app::identity::entity::session::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

/// A response's headers as text, the policy's nonce and the date left out.
fn headers_but_nonce(reply: &crate::support::Reply) -> Vec<(String, String)> {
    let (nonce, _) = nonces(reply);
    let mut headers: Vec<(String, String)> = reply
        .headers
        .iter()
        .filter(|(name, _)| *name != header::DATE)
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap().replace(&nonce, "NONCE"),
            )
        })
        .collect();
    headers.sort();
    headers
}

#[tokio::test]
async fn a_kept_page_carries_the_same_headers_as_a_rendered_one() {
    let app = test_app(None, &[]).await;
    let mut visitor = Browser::default();
    for page in [PAGE, "/factsheets", "/"] {
        let rendered = visitor.get(&app.router, page).await;
        let kept = visitor.get(&app.router, page).await;
        assert_eq!(kept.body.len(), rendered.body.len(), "{page}");
        let headers = headers_but_nonce(&rendered);
        for name in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
            "content-type",
            "etag",
            "cache-control",
        ] {
            assert!(
                headers.iter().any(|(header, _)| header == name),
                "{page}: {name} in {headers:?}"
            );
        }
        assert_eq!(headers_but_nonce(&kept), headers, "{page}");
        // A browser asking again gets 304 with the same protective headers, without a policy.
        let again = visitor
            .send(
                &app.router,
                Request::get(page)
                    .header(header::IF_NONE_MATCH, &kept.headers[header::ETAG])
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{page}");
        for name in [
            header::X_CONTENT_TYPE_OPTIONS,
            header::X_FRAME_OPTIONS,
            header::REFERRER_POLICY,
            header::ETAG,
            header::CACHE_CONTROL,
        ] {
            assert_eq!(again.headers.get(&name), kept.headers.get(&name), "{page}");
        }
    }
}

#[tokio::test]
async fn a_withdrawal_shows_on_the_next_request() {
    let app = test_app(None, &[]).await;
    let (_, editor) = login_as(&app.db, "redacteur", &["editor"]).await;
    let mut visitor = Browser::default();
    assert_eq!(visitor.get(&app.router, PAGE).await.status, StatusCode::OK);
    assert_eq!(visitor.get(&app.router, "/").await.status, StatusCode::OK);
    let mut staff = Browser::with_session(&editor);
    let withdrawn = staff
        .post_form(
            &app.router,
            "/api/withdraw_document",
            "slug=jihadisme&reason=Vervangen+door+een+nieuwe+versie.",
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let page = visitor.get(&app.router, PAGE).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("Vervangen door een nieuwe versie."));
}

#[tokio::test]
async fn a_publish_on_another_node_shows_within_the_recheck() {
    let app = test_app(None, &[]).await;
    let mut visitor = Browser::default();
    visitor.get(&app.router, PAGE).await;
    // Another node changes the page and counts it; this node has seen no request that changes
    // anything.
    retitle_directly(&app.db, "Op een andere server gepubliceerd").await;
    app::knowledge::service::publication::bump(&app.db)
        .await
        .unwrap();
    tokio::time::sleep(server::page_cache::VERSION_RECHECK + std::time::Duration::from_millis(100))
        .await;
    let page = visitor.get(&app.router, PAGE).await;
    assert!(page.body.contains("Op een andere server gepubliceerd"));
}

#[tokio::test]
async fn a_logged_in_page_never_comes_from_or_goes_into_the_cache() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "deelnemer", &[]).await;
    let mut visitor = Browser::default();
    visitor.get(&app.router, PAGE).await;
    let mut member = Browser::with_session(&session);
    let theirs = member.get(&app.router, PAGE).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains("Test deelnemer"), "their own header");
    assert!(!theirs.headers.contains_key(header::ETAG));
    assert_eq!(theirs.headers[header::CACHE_CONTROL], "no-store");
    // Rendered for them, so a direct change shows at once, and never leaks to a visitor.
    retitle_directly(&app.db, "Alleen vers").await;
    assert!(
        member
            .get(&app.router, PAGE)
            .await
            .body
            .contains("Alleen vers")
    );
    let anonymous = visitor.get(&app.router, PAGE).await;
    assert!(!anonymous.body.contains("Test deelnemer"));
}
