//! Intervision over HTTP: a dilemma form refused by the privacy guard comes back with its text
//! and the findings marked, while nothing of it is readable in the database (not in the log,
//! not in the session store that carries the draft across the redirect).

use axum::http::StatusCode;
use sea_orm::EntityTrait;

use crate::support::{Browser, login_as, test_app};

const BSN: &str = "111222333";

#[tokio::test]
async fn a_guarded_dilemma_comes_back_marked_and_nothing_readable_is_stored() {
    use app::intervision::model::GroupForm;
    use app::intervision::rules::parse_group_form;
    use app::intervision::service::{access, groups};

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let (facilitator, _) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let (member, session) = login_as(&app.db, "lid", &[]).await;
    let spec = parse_group_form(&GroupForm {
        name: "Routegroep".into(),
        ..GroupForm::default()
    })
    .unwrap();
    let group = groups::create_group(&app.db, &spec, facilitator, now)
        .await
        .unwrap();
    let token = groups::create_invitation(&app.db, group, now)
        .await
        .unwrap();
    groups::join(&app.db, &token, member, now).await.unwrap();
    let mut browser = Browser::with_session(&session);
    // Before accepting: the agreement, and the form is refused as for an outsider.
    let gate = browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert_eq!(gate.status, StatusCode::OK);
    assert!(gate.body.contains("Ik houd mij aan deze afspraken"));
    assert!(!gate.body.contains("Dilemma inbrengen"));
    let early = browser
        .post_form(&app.router, &format!("/intervisie/{group}/dilemmas"), "")
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    let standing = access::standing(&app.db, group, member)
        .await
        .unwrap()
        .unwrap();
    groups::accept_agreement(&app.db, &standing.group, member, 1, now)
        .await
        .unwrap();

    let form = format!(
        "work_field=zorg&phenomenon=jihadisme&situatie=Client+met+BSN+{BSN}+belde.&vraag=Wat+nu%3F"
    );
    let reply = browser
        .post_form(&app.router, &format!("/intervisie/{group}/dilemmas"), &form)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        format!("/intervisie/{group}#dilemma-formulier")
    );
    // The draft crosses the redirect sealed: the session store holds no digit of it.
    let sessions = app::identity::entity::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(!sessions.is_empty());
    assert!(sessions.iter().all(|s| !s.data.contains(BSN)));
    let page = browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(
        page.body.contains(&format!("<mark title=\"BSN\">{BSN}")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Client met BSN 111222333 belde."));
    assert!(page.body.contains("Nog geen dilemma"));
    // Shown once: a reload starts from an empty form.
    let again = browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(!again.body.contains(BSN));
    assert_eq!(
        app::intervision::entity::dilemma::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
}
