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

/// Nothing the guard refused and no secret token crosses a redirect in the session store in
/// plain: refused names, places and agreements wait sealed; a new invitation link is in the
/// answer itself, in the site's frame.
#[tokio::test]
async fn refused_texts_and_new_tokens_are_never_stored_in_plain() {
    use app::intervision::model::GroupForm;
    use app::intervision::rules::parse_group_form;
    use app::intervision::service::groups;

    const PHONE: &str = "06-12345678";
    let app = test_app(None, &[]).await;
    let (facilitator, session) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let spec = parse_group_form(&GroupForm {
        name: "Routegroep".into(),
        ..GroupForm::default()
    })
    .unwrap();
    let group = groups::create_group(&app.db, &spec, facilitator, chrono::Utc::now())
        .await
        .unwrap();
    let mut browser = Browser::with_session(&session);
    let stored_in_plain = |needle: String| {
        let db = app.db.clone();
        async move {
            app::identity::entity::session::Entity::find()
                .all(&db)
                .await
                .unwrap()
                .iter()
                .any(|s| s.data.contains(&needle))
        }
    };

    let agreement =
        format!("agreement=Wat+hier+besproken+wordt+blijft+in+de+groep.+Vragen%3A+bel+{PHONE}.");
    let refused = browser
        .post_form(
            &app.router,
            &format!("/intervisie/{group}/afspraken/wijzigen"),
            &agreement,
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let series = format!(
        "first_date=2031-03-03&start=14%3A00&end=16%3A00&every_weeks=6&count=3&location=Thuis%2C+bel+{PHONE}&link="
    );
    let refused = browser
        .post_form(
            &app.router,
            &format!("/intervisie/{group}/bijeenkomsten"),
            &series,
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let new_group = "name=Casus+Jan+de+Vries&max_members=8&retention_months=12&agreement=Wat+hier+besproken+wordt+blijft+in+de+groep+en+gaat+niet+naar+buiten.";
    let refused = browser
        .post_form(&app.router, "/intervisie/groepen", new_group)
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(!stored_in_plain(PHONE.into()).await);
    assert!(!stored_in_plain("de Vries".into()).await);
    // Each refused form comes back as typed, with the reason at its field.
    let page = browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(
        page.body
            .contains("De afspraken bevatten een telefoonnummer"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("De plaats bevat een telefoonnummer"),
        "{}",
        page.body
    );
    let index = browser.get(&app.router, "/intervisie").await;
    assert!(
        index.body.contains("De naam bevat een naam"),
        "{}",
        index.body
    );
    assert!(index.body.contains("Casus Jan de Vries"), "{}", index.body);

    let answer = browser
        .post_form(&app.router, &format!("/intervisie/{group}/uitnodiging"), "")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body.contains("Uitloggen"),
        "the site's header: {}",
        answer.body
    );
    let start = answer.body.find("/uitnodiging/").expect("the link, once");
    let token: String = answer.body[start + "/uitnodiging/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert!(token.len() >= 20, "{token}");
    assert!(!stored_in_plain(token.clone()).await);
    let group_page = browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(!group_page.body.contains(&token));
}

/// A refused plain form post is a page in the site's frame with a way on: an expired session
/// gets the login, back to the form it came from; "Ongeldige invoer" keeps the person's header.
#[tokio::test]
async fn refusals_of_plain_forms_come_in_the_site_frame_with_a_way_on() {
    use axum::body::Body;
    use axum::http::{Request, header};

    let app = test_app(None, &[]).await;
    let mut anonymous = Browser::default();
    let expired = anonymous
        .send(
            &app.router,
            Request::post("/intervisie/1/leden")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "http://127.0.0.1:3000/intervisie/1")
                .body(Body::from("email=a%40b.nl"))
                .unwrap(),
        )
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(
        expired.body.contains("aria-label=\"Hoofdmenu\""),
        "the site's header: {}",
        expired.body
    );
    assert!(
        expired
            .body
            .contains("href=\"/auth/login?next=/intervisie/1\""),
        "a login back to the form: {}",
        expired.body
    );
    assert_eq!(expired.headers[header::CACHE_CONTROL], "no-store");

    let (_, session) = login_as(&app.db, "lid", &[]).await;
    let mut member = Browser::with_session(&session);
    let refused = member
        .post_form(&app.router, "/uitnodiging/bestaat-niet", "")
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Ongeldige invoer"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Uitloggen"),
        "still logged in: {}",
        refused.body
    );
    assert!(
        refused.body.contains("/pkg/leerplatform.css"),
        "{}",
        refused.body
    );
}

/// The admin pages' own menu shows only pages the visitor may open: none for a visitor who is
/// refused, all four for an admin.
#[tokio::test]
async fn the_admin_menu_is_only_for_those_who_may_use_it() {
    let app = test_app(None, &[]).await;
    let anonymous = Browser::default()
        .get(&app.router, "/beheer/gebruikers")
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(
        !anonymous.body.contains("aria-label=\"Beheer\""),
        "{}",
        anonymous.body
    );
    let (_, session) = login_as(&app.db, "lid", &[]).await;
    let member = Browser::with_session(&session)
        .get(&app.router, "/beheer/mail")
        .await;
    assert_eq!(member.status, StatusCode::FORBIDDEN);
    assert!(
        !member.body.contains("aria-label=\"Beheer\""),
        "{}",
        member.body
    );
    let (_, session) = login_as(&app.db, "beheerder", &["admin"]).await;
    let admin = Browser::with_session(&session)
        .get(&app.router, "/beheer/mail")
        .await;
    assert!(
        admin.body.contains("aria-label=\"Beheer\""),
        "{}",
        admin.body
    );
    assert!(admin.body.contains("href=\"/beheer/intervisie\""));
}

/// Cancelling a meeting, closing a group and leaving it ask first, as a page with a plain form (so it
/// works without JavaScript) that posts the same fields again, confirmed; a cancelled meeting
/// ahead can be restored; leaving ends on a page that says so.
#[tokio::test]
async fn cancelling_and_leaving_ask_first_and_a_cancelled_meeting_comes_back() {
    use app::intervision::entity::{group_member, meeting};
    use app::intervision::model::SeriesForm;
    use app::intervision::rules::parse_series_form;
    use app::intervision::service::meetings;

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let (facilitator, lead_session) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let (member, member_session) = login_as(&app.db, "lid", &[]).await;
    let group = group_with_member(&app.db, "Bevestigroep", facilitator, member, now).await;
    let ahead = (now + chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    let series = parse_series_form(&SeriesForm {
        first_date: ahead,
        count: "1".into(),
        location: "Utrecht".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    meetings::add_series(&app.db, group, &series, now)
        .await
        .unwrap();
    let meeting_id = meeting::Entity::find().all(&app.db).await.unwrap()[0].id;
    let cancelled = || async {
        meeting::Entity::find_by_id(meeting_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .cancelled
    };

    let mut lead = Browser::with_session(&lead_session);
    let cancel = format!("/intervisie/{group}/bijeenkomsten/{meeting_id}/afgelasten");
    let asked = lead.post_form(&app.router, &cancel, "").await;
    assert_eq!(asked.status, StatusCode::OK);
    for expected in [
        "Wilt u de bijeenkomst van",
        &format!("action=\"{cancel}\""),
        "name=\"bevestigd\" value=\"ja\"",
        "Ja, afgelasten",
        "Nee, terug naar de groep",
    ] {
        assert!(asked.body.contains(expected), "{expected}: {}", asked.body);
    }
    assert!(!cancelled().await, "asking changes nothing");
    let done = lead.post_form(&app.router, &cancel, "bevestigd=ja").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(cancelled().await);
    let restore = format!("/intervisie/{group}/bijeenkomsten/{meeting_id}/herstellen");
    let restored = lead.post_form(&app.router, &restore, "").await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER);
    assert!(!cancelled().await);

    // Closing asks first; closed, the meeting ahead is cancelled and nothing more is taken,
    // but a member can still leave.
    let close = format!("/intervisie/{group}/afsluiten");
    let asked = lead.post_form(&app.router, &close, "").await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("Ja, groep afsluiten"), "{}", asked.body);
    let closed = lead.post_form(&app.router, &close, "bevestigd=ja").await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert!(cancelled().await, "the meeting ahead is cancelled");
    let mut member_browser = Browser::with_session(&member_session);
    let refused = member_browser
        .post_form(
            &app.router,
            &format!("/intervisie/{group}/dilemmas"),
            "work_field=zorg&phenomenon=jihadisme&situatie=Een+client+twijfelt.&vraag=Wat+nu%3F",
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Deze groep is afgesloten"),
        "{}",
        refused.body
    );
    let page = member_browser
        .get(&app.router, &format!("/intervisie/{group}"))
        .await;
    assert!(
        page.body.contains("Deze groep is afgesloten op"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Dilemma opslaan"));
    let leave = format!("/intervisie/{group}/verlaten");
    let asked = member_browser
        .post_form(&app.router, &leave, "delete_contributions=on")
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("worden ook verwijderd"),
        "{}",
        asked.body
    );
    assert!(
        asked
            .body
            .contains("name=\"delete_contributions\" value=\"on\""),
        "the choice is posted again: {}",
        asked.body
    );
    let still = group_member::Entity::find_by_id((group, member))
        .one(&app.db)
        .await
        .unwrap();
    assert!(still.is_some(), "asking changes nothing");
    let left = member_browser
        .post_form(&app.router, &leave, "delete_contributions=on&bevestigd=ja")
        .await;
    assert_eq!(left.status, StatusCode::OK);
    assert!(
        left.body.contains("U heeft de groep verlaten"),
        "{}",
        left.body
    );
    let gone = group_member::Entity::find_by_id((group, member))
        .one(&app.db)
        .await
        .unwrap();
    assert!(gone.is_none());
}

/// After the agreement changed, a member's link into the group (a dilemma's page) lands on
/// the group's page, which asks them to accept the new agreement, not on "Pagina niet
/// gevonden"; someone outside still gets the 404.
#[tokio::test]
async fn after_an_agreement_change_a_link_lands_on_the_agreement() {
    use app::intervision::rules::check_dilemma;
    use app::intervision::service::sealing::Sealer;
    use app::intervision::service::{dilemmas, groups};

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let (facilitator, _) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let (member, session) = login_as(&app.db, "lid", &[]).await;
    let (_, outsider) = login_as(&app.db, "buiten", &[]).await;
    let group = group_with_member(&app.db, "Afsprakengroep", facilitator, member, now).await;
    let mut form = app::intervision::model::DilemmaForm {
        work_field: "zorg".into(),
        phenomenon: "jihadisme".into(),
        ..Default::default()
    };
    form.texts.insert(
        "situatie".into(),
        "Een client twijfelt over een melding.".into(),
    );
    form.texts.insert("vraag".into(), "Wat doe ik?".into());
    let sealer = Sealer::from_base64(crate::support::TEST_INTERVISION_KEY).unwrap();
    let dilemma = dilemmas::save_dilemma(
        &app.db,
        &sealer,
        group,
        member,
        &check_dilemma(&form).unwrap(),
        now,
    )
    .await
    .unwrap();
    groups::change_agreement(
        &app.db,
        group,
        "Wat in de groep besproken wordt, blijft in de groep; ook na afloop van de reeks.",
        now,
    )
    .await
    .unwrap();
    let link = format!("/intervisie/{group}/dilemmas/{dilemma}");
    let landed = Browser::with_session(&session)
        .get(&app.router, &link)
        .await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER, "{}", landed.body);
    assert_eq!(landed.location(), format!("/intervisie/{group}"));
    let page = Browser::with_session(&session)
        .get(&app.router, &landed.location())
        .await;
    assert!(
        page.body.contains("Ik houd mij aan deze afspraken"),
        "{}",
        page.body
    );
    // Who does not agree can leave from there (asked first).
    assert!(
        page.body
            .contains(&format!("action=\"/intervisie/{group}/verlaten\""))
    );
    let asked = Browser::with_session(&session)
        .post_form(&app.router, &format!("/intervisie/{group}/verlaten"), "")
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("Ja, groep verlaten"), "{}", asked.body);
    let refused = Browser::with_session(&outsider)
        .get(&app.router, &link)
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

/// The facilitator's meeting work through the routes, as a browser without JavaScript posts
/// it: a dilemma on the agenda and its method started from there; restarting or switching a
/// running method asks first; a shorter retention asks first and says what goes, a wrong one
/// comes back at its field; an admin's late meeting refused at every field at once.
#[tokio::test]
async fn agenda_method_switch_retention_and_a_late_meeting_through_the_routes() {
    use app::intervision::entity::{agenda_item, dilemma, group as group_entity};
    use app::intervision::model::SeriesForm;
    use app::intervision::rules::{check_dilemma, parse_series_form};
    use app::intervision::service::{dilemmas, meetings, sealing::Sealer};

    let app = test_app(None, &[]).await;
    let now = chrono::Utc::now();
    let (facilitator, lead_session) = login_as(&app.db, "begeleider", &["facilitator"]).await;
    let (member, member_session) = login_as(&app.db, "lid", &[]).await;
    let (_, admin_session) = login_as(&app.db, "beheerder", &["admin"]).await;
    let group = group_with_member(&app.db, "Agendagroep", facilitator, member, now).await;
    let series = parse_series_form(&SeriesForm {
        first_date: (now + chrono::Duration::days(20))
            .format("%Y-%m-%d")
            .to_string(),
        count: "1".into(),
        location: "Utrecht".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    meetings::add_series(&app.db, group, &series, now)
        .await
        .unwrap();
    let meeting = meetings::meetings_of(&app.db, group, now).await.unwrap()[0].id;
    let mut form = app::intervision::model::DilemmaForm {
        work_field: "zorg".into(),
        phenomenon: "jihadisme".into(),
        ..Default::default()
    };
    form.texts.insert(
        "situatie".into(),
        "Een cliënt twijfelt over een reis.".into(),
    );
    form.texts
        .insert("vraag".into(), "Meld ik dit bij Veilig Thuis?".into());
    let sealer = Sealer::from_base64(crate::support::TEST_INTERVISION_KEY).unwrap();
    let dilemma = dilemmas::save_dilemma(
        &app.db,
        &sealer,
        group,
        member,
        &check_dilemma(&form).unwrap(),
        now,
    )
    .await
    .unwrap();

    let mut lead = Browser::with_session(&lead_session);
    let meeting_page = format!("/intervisie/{group}/bijeenkomsten/{meeting}");
    // On the agenda, from the meeting's page: the question names it.
    let added = lead
        .post_form(
            &app.router,
            &format!("{meeting_page}/agenda"),
            &format!("dilemma={dilemma}"),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(added.location(), format!("{meeting_page}#agenda"));
    let page = lead.get(&app.router, &meeting_page).await;
    assert!(
        page.body.contains("Meld ik dit bij Veilig Thuis?"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Opvolgronde"),
        "the next meeting starts with the follow-up round"
    );
    let item = agenda_item::Entity::find().all(&app.db).await.unwrap()[0].id;
    let started = lead
        .post_form(
            &app.router,
            &format!("{meeting_page}/agenda/{item}/methode"),
            "method=incidentmethode",
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    assert_eq!(
        started.location(),
        format!("/intervisie/{group}/dilemmas/{dilemma}#methode")
    );
    let page = lead.get(&app.router, &meeting_page).await;
    assert!(
        page.body.contains("Methode: Incidentmethode"),
        "{}",
        page.body
    );
    // A member sees the agenda, without the facilitator's buttons.
    let mut member_browser = Browser::with_session(&member_session);
    let seen = member_browser.get(&app.router, &meeting_page).await;
    assert!(seen.body.contains("Methode: Incidentmethode"));
    assert!(!seen.body.contains("Op de agenda"));

    // A running method: switching asks first and changes nothing until confirmed.
    let method = format!("/intervisie/{group}/dilemmas/{dilemma}/methode");
    let asked = lead
        .post_form(&app.router, &method, "method=roddelmethode")
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .body
            .contains("overstappen van de incidentmethode op de roddelmethode"),
        "{}",
        asked.body
    );
    let method_now = || async {
        dilemma::Entity::find_by_id(dilemma)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .method
    };
    assert_eq!(method_now().await.as_deref(), Some("incidentmethode"));
    let switched = lead
        .post_form(&app.router, &method, "method=roddelmethode&bevestigd=ja")
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(method_now().await.as_deref(), Some("roddelmethode"));

    // Retention: a wrong number at the field; shorter asks first; longer at once.
    let retention = format!("/intervisie/{group}/bewaartermijn");
    let wrong = lead.post_form(&app.router, &retention, "months=99").await;
    assert_eq!(wrong.status, StatusCode::SEE_OTHER);
    let page = lead.get(&app.router, &format!("/intervisie/{group}")).await;
    assert!(
        page.body.contains("Vul een getal van 3 tot en met 36 in."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"99\""), "kept as typed");
    let asked = lead.post_form(&app.router, &retention, "months=6").await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("van 12 naar 6 maanden"),
        "{}",
        asked.body
    );
    assert!(asked.body.contains("0 dilemma"), "{}", asked.body);
    let months = || async {
        group_entity::Entity::find_by_id(group)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .retention_months
    };
    assert_eq!(months().await, 12, "asking changes nothing");
    let done = lead
        .post_form(&app.router, &retention, "months=6&bevestigd=ja")
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(months().await, 6);
    let longer = lead.post_form(&app.router, &retention, "months=18").await;
    assert_eq!(longer.status, StatusCode::SEE_OTHER);
    assert_eq!(months().await, 18);

    // An admin's late meeting: every refusal at its field, as typed.
    let mut admin = Browser::with_session(&admin_session);
    let refused = admin
        .post_form(
            &app.router,
            &format!("/beheer/intervisie/{group}/bijeenkomsten"),
            "date=&start=&end=&reason=kort",
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let page = admin.get(&app.router, "/beheer/intervisie").await;
    for expected in [
        "Kies de datum van de bijeenkomst.",
        "Vul een tijd in, bijv. 14:00.",
        "Vul een tijd in, bijv. 16:00.",
        "minstens 10 tekens",
        "value=\"kort\"",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
}

/// A group of `facilitator` named `name` that `member` joined by a link, with the agreement
/// accepted: a member in good standing.
pub(crate) async fn group_with_member(
    db: &sea_orm::DatabaseConnection,
    name: &str,
    facilitator: i32,
    member: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> i32 {
    use app::intervision::model::GroupForm;
    use app::intervision::rules::parse_group_form;
    use app::intervision::service::{access, groups};
    let spec = parse_group_form(&GroupForm {
        name: name.into(),
        ..GroupForm::default()
    })
    .unwrap();
    let group = groups::create_group(db, &spec, facilitator, now)
        .await
        .unwrap();
    let token = groups::create_invitation(db, group, now).await.unwrap();
    groups::join(db, &token, member, now).await.unwrap();
    let standing = access::standing(db, group, member).await.unwrap().unwrap();
    groups::accept_agreement(db, &standing.group, member, 1, now)
        .await
        .unwrap();
    group
}
