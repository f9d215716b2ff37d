//! Course and module pages over HTTP: navigation and progress bar, a self-check that works as a
//! plain form without JavaScript, answers that never reach the page, and stored progress.

use crate::support::{Browser, login_as, test_app};

const MODULE: &str = "/modules/basis/eerste";

/// What a browser without JavaScript sends when the quiz form is submitted.
fn no_js_post(path: &str, body: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", format!("http://127.0.0.1:3000{MODULE}"))
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn module_page_has_navigation_progress_and_a_quiz_without_answers() {
    let app = test_app(None, &[]).await;
    let page = Browser::default().get(&app.router, MODULE).await;
    assert!(page.status.is_success(), "{}", page.status);
    assert!(page.body.contains("Module 1 van 2"));
    assert!(page.body.contains("<progress"));
    assert!(
        page.body.contains("href=\"/modules/basis/tweede\""),
        "next module"
    );
    assert!(page.body.contains("Hoe verloopt radicalisering meestal?"));
    assert!(page.body.contains("Geleidelijk"));
    // Neither the right answer nor its explanation is in the page before answering.
    assert!(!page.body.contains("Het is een proces"));
    assert!(!page.body.contains("[x]"));
    assert!(
        page.body.contains("Log in"),
        "visitors are told progress needs a login"
    );

    let course = Browser::default().get(&app.router, "/modules/basis").await;
    assert!(course.body.contains("Eerste module") && course.body.contains("Tweede module"));
    let index = Browser::default().get(&app.router, "/modules").await;
    assert!(index.body.contains("Basiscursus") && index.body.contains("2 modules"));
}

#[tokio::test]
async fn quiz_works_without_javascript_for_a_visitor() {
    let app = test_app(None, &[]).await;
    let mut browser = Browser::default();
    let reply = browser
        .send(
            &app.router,
            no_js_post(
                "/api/check_quiz",
                "course=basis&module=eerste&answers[v0]=0-0",
            ),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    // A visitor's answers travel back in the address, in their short form, and the page lands
    // on the self-check; no session is created for it.
    assert_eq!(
        reply.location(),
        "/modules/basis/eerste?antwoorden=0-0#zelftoets"
    );
    assert!(reply.headers.get("set-cookie").is_none(), "no session");
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        app::identity::entity::session::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    let page = browser
        .get(&app.router, &format!("{MODULE}?antwoorden=0-0"))
        .await;
    assert!(page.body.contains("0 van 1 vragen goed"), "{}", page.body);
    assert!(
        page.body.contains("Het is een proces"),
        "explanation after answering"
    );
    assert!(page.body.contains("Nog niet goed"));
    assert!(!page.body.contains("bewaard in uw voortgang"));
    // Without the answers, the page starts afresh; tampered answers are simply dropped.
    let again = browser.get(&app.router, MODULE).await;
    assert!(!again.body.contains("vragen goed"));
    let tampered = browser
        .get(&app.router, &format!("{MODULE}?antwoorden=%3Cscript%3E"))
        .await;
    assert_eq!(tampered.status, axum::http::StatusCode::OK);
    assert!(!tampered.body.contains("<script>"));

    // Nothing chosen: asked for an answer, nothing marked wrong.
    let reply = browser
        .send(
            &app.router,
            no_js_post("/api/check_quiz", "course=basis&module=eerste"),
        )
        .await;
    let page = browser.get(&app.router, &reply.location()).await;
    assert!(
        page.body.contains("U heeft nog geen antwoord gekozen"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Nog niet goed"));
    assert!(!page.body.contains("Het is een proces"));
}

#[tokio::test]
async fn progress_is_stored_for_a_logged_in_reader() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "lezer", &[]).await;
    let mut browser = Browser::with_session(&session);
    let reply = browser
        .send(
            &app.router,
            no_js_post(
                "/api/check_quiz",
                "course=basis&module=eerste&answers[v0]=0-1",
            ),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let page = browser.get(&app.router, MODULE).await;
    assert!(
        page.body.contains("u heeft de zelftoets gehaald"),
        "{}",
        page.body
    );
    assert!(page.body.contains("bewaard in uw voortgang"));
    assert!(page.body.contains("U heeft deze module gelezen"));

    let reply = browser
        .send(
            &app.router,
            no_js_post("/api/mark_module_read", "course=basis&module=tweede"),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let course = browser.get(&app.router, "/modules/basis").await;
    assert!(
        course.body.contains("Afgerond: 2 van 2 modules"),
        "{}",
        course.body
    );

    let export = browser.post_form(&app.router, "/profiel/export", "").await;
    assert!(export.body.contains("\"cursusvoortgang\""));
    assert!(export.body.contains("\"eerste\""));

    // A visitor's view of the same page shows none of it.
    let visitor = Browser::default().get(&app.router, "/modules/basis").await;
    assert!(!visitor.body.contains("Afgerond:"));
}

#[tokio::test]
async fn bad_quiz_requests_get_clear_statuses() {
    let app = test_app(None, &[]).await;
    let mut browser = Browser::default();
    // A module without questions, and a module that does not exist.
    for body in [
        "course=basis&module=tweede&answers[v0]=0-1",
        "course=basis&module=bestaat-niet",
    ] {
        let reply = browser
            .post_form(&app.router, "/api/check_quiz", body)
            .await;
        assert_eq!(reply.status.as_u16(), 404, "{body}");
    }
    // Garbage answers are simply wrong, never a server error.
    let reply = browser
        .post_form(
            &app.router,
            "/api/check_quiz",
            "course=basis&module=eerste&answers[x]=zomaar&answers[y]=9-9",
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert!(reply.body.contains("\"passed\":false"), "{}", reply.body);
}
