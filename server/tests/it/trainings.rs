//! Training pages and form posts over HTTP: enrolling without JavaScript, what each person may
//! see (online links, other participants), the trainers' CSV, and the way back after login.

use axum::http::StatusCode;

use crate::support::{Browser, RUN, TRAINING, login_as, test_app};

fn enrol_path() -> String {
    format!("/trainingen/{TRAINING}/{RUN}/inschrijven")
}

#[tokio::test]
async fn enrolling_without_javascript_ends_on_the_training_with_the_outcome() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "deelnemer", &[]).await;
    let mut browser = Browser::with_session(&session);
    // Before: the online link is for confirmed participants only.
    let before = browser
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("nog 2 plaatsen"), "{}", before.body);
    assert!(!before.body.contains("meet.example.org/geheim"));
    let reply = browser.post_form(&app.router, &enrol_path(), "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        format!("/trainingen/{TRAINING}#uitvoering-{RUN}")
    );
    let after = browser
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(
        after.body.contains("U bent ingeschreven."),
        "{}",
        after.body
    );
    assert!(after.body.contains("meet.example.org/geheim"));
    assert!(after.body.contains("nog 1 plaats"));
    // The outcome is shown once.
    let again = browser
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(!again.body.contains("U bent ingeschreven."));
    // Mijn trainingen lists it, with the way to cancel.
    let mine = browser.get(&app.router, "/mijn/trainingen").await;
    assert!(
        mine.body.contains("Verdieping") && mine.body.contains("Afmelden"),
        "{}",
        mine.body
    );
    // The personal-data export holds the enrolment.
    let export = browser.post_form(&app.router, "/profiel/export", "").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let export: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(export["inschrijvingen"][0]["training"], "verdieping");
    assert_eq!(export["inschrijvingen"][0]["uitvoering"], RUN);
    assert_eq!(export["inschrijvingen"][0]["status"], "confirmed");
    // Anonymous visitors never see the link.
    let anonymous = Browser::default()
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(!anonymous.body.contains("meet.example.org/geheim"));
}

#[tokio::test]
async fn anonymous_and_incomplete_profiles_are_sent_where_they_can_continue() {
    let app = test_app(None, &[]).await;
    let reply = Browser::default()
        .post_form(&app.router, &enrol_path(), "")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply
            .location()
            .starts_with("/auth/login?next=/trainingen/verdieping"),
        "{}",
        reply.location()
    );
    // A fresh account without a profile goes to the profile form and comes back after it.
    let (id, session) = login_as(&app.db, "nieuw", &[]).await;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let mut account: app::identity::entity::user::ActiveModel =
        app::identity::entity::user::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
    account.profile_completed_at = Set(None);
    account.update(&app.db).await.unwrap();
    let reply = Browser::with_session(&session)
        .post_form(&app.router, &enrol_path(), "")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/profiel?volgende=/trainingen/verdieping");
}

#[tokio::test]
async fn trainers_see_the_roster_and_csv_and_participants_never_see_each_other() {
    let app = test_app(None, &[]).await;
    for name in ["een", "twee", "drie"] {
        let (_, session) = login_as(&app.db, name, &[]).await;
        let reply = Browser::with_session(&session)
            .post_form(&app.router, &enrol_path(), "")
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
    }
    // The third is on the waitlist, and sees only their own place.
    let (_, fourth) = login_as(&app.db, "vier", &[]).await;
    let mut fourth = Browser::with_session(&fourth);
    fourth.post_form(&app.router, &enrol_path(), "").await;
    let page = fourth
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(
        page.body.contains("op de wachtlijst, plaats 2"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Test een"), "{}", page.body);
    let (_, trainer) = login_as(&app.db, "Trainer", &["trainer"]).await;
    let mut trainer = Browser::with_session(&trainer);
    let roster = trainer
        .get(&app.router, &format!("/trainingen/{TRAINING}/{RUN}/beheer"))
        .await;
    assert_eq!(roster.status, StatusCode::OK);
    assert!(
        roster.body.contains("Test een") && roster.body.contains("Test drie"),
        "{}",
        roster.body
    );
    // Counts under five are shown as "< 5".
    assert!(roster.body.contains("&lt; 5"), "{}", roster.body);
    let csv = trainer
        .get(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/deelnemers.csv"),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
    assert!(
        csv.body
            .contains("\"Test een\";\"Gemeente Teststad\";\"Gemeente\""),
        "{}",
        csv.body
    );
    assert!(
        !csv.body.contains("Test drie"),
        "only confirmed participants: {}",
        csv.body
    );
    // Raising the capacity offers the freed seat to the first on the waitlist at once.
    let reply = trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/beheer/capaciteit"),
            "capaciteit=3",
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let roster = trainer
        .get(&app.router, &format!("/trainingen/{TRAINING}/{RUN}/beheer"))
        .await;
    assert!(
        roster.body.contains("1 plaats(en) aangeboden"),
        "{}",
        roster.body
    );
    // A typo in the capacity is a Dutch message on the page, not an error.
    trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/beheer/capaciteit"),
            "capaciteit=veel",
        )
        .await;
    let roster = trainer
        .get(&app.router, &format!("/trainingen/{TRAINING}/{RUN}/beheer"))
        .await;
    assert!(roster.body.contains("heel getal"), "{}", roster.body);
}

#[tokio::test]
async fn calendars_show_sessions_in_utc_and_the_personal_feed_is_secret_and_revocable() {
    let app = test_app(None, &[]).await;
    // The run's .ics: its sessions for anyone, without the online link.
    let run_ics = Browser::default()
        .get(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/agenda.ics"),
        )
        .await;
    assert_eq!(run_ics.status, StatusCode::OK);
    assert_eq!(
        run_ics.headers["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(
        run_ics.body.contains("SUMMARY:Training: Verdieping"),
        "{}",
        run_ics.body
    );
    // 09:30 in Amsterdam on 4 March 2031 (winter time) is 08:30 UTC.
    assert!(
        run_ics.body.contains("DTSTART:20310304T083000Z"),
        "{}",
        run_ics.body
    );
    assert!(
        !run_ics.body.contains("meet.example.org"),
        "{}",
        run_ics.body
    );

    let (_, session) = login_as(&app.db, "agenda", &[]).await;
    let mut browser = Browser::with_session(&session);
    browser.post_form(&app.router, &enrol_path(), "").await;
    let reply = browser.post_form(&app.router, "/mijn/agenda", "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = browser.get(&app.router, "/mijn/trainingen").await;
    let start = page
        .body
        .find("/agenda/")
        .expect("the new link is shown once");
    let end = start + page.body[start..].find(".ics").unwrap() + 4;
    let feed_path = page.body[start..end].to_owned();
    let again = browser.get(&app.router, "/mijn/trainingen").await;
    assert!(!again.body.contains(&feed_path), "shown once");
    // Anyone with the link sees the sessions, with the online link, and no other people.
    let feed = Browser::default().get(&app.router, &feed_path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.body.contains("meet.example.org/geheim"),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("Test agenda"), "{}", feed.body);
    // Revoked: the link shows nothing any more; a made-up one neither.
    browser
        .post_form(&app.router, "/mijn/agenda/intrekken", "")
        .await;
    assert_eq!(
        Browser::default().get(&app.router, &feed_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Browser::default()
            .get(&app.router, "/agenda/verzonnen.ics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
