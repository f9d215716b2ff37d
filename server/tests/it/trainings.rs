//! Training pages and form posts over HTTP: enrolling without JavaScript, what each person may
//! see (online links, other participants), the trainers' CSV, and the way back after login.

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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
    // Beside the names, counts are exact: "< 5" would hide nothing the list does not show.
    assert!(!roster.body.contains("<td>&lt; 5</td>"), "{}", roster.body);
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
    // The new link is in the answer itself, in the site's frame, and stored nowhere in plain.
    let page = browser.post_form(&app.router, "/mijn/agenda", "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Uitloggen"),
        "the site's header: {}",
        page.body
    );
    let start = page
        .body
        .find("/agenda/")
        .expect("the new link is shown once");
    let end = start + page.body[start..].find(".ics").unwrap() + 4;
    let feed_path = page.body[start..end].to_owned();
    let token = feed_path
        .trim_start_matches("/agenda/")
        .trim_end_matches(".ics");
    let sessions = app::identity::entity::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(sessions.iter().all(|s| !s.data.contains(token)));
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

/// The run form as a browser posts it.
fn run_form(code: &str, capacity: &str, first_date: &str) -> String {
    format!(
        "code={code}&capacity={capacity}&enrolment_opens=2026-01-01&enrolment_closes=2030-12-31\
         &waitlist_closes=&cancellation_days=14&offer_hours=48&max_work_field_share=&trainers=\
         &sessie_1_date={first_date}&sessie_1_start=09%3A30&sessie_1_end=12%3A30&sessie_1_location=Utrecht&sessie_1_link=\
         &sessie_2_date=&sessie_2_start=&sessie_2_end=&sessie_2_location=&sessie_2_link="
    )
}

#[tokio::test]
async fn a_trainer_adds_a_run_in_the_browser_and_a_refused_form_keeps_what_was_typed() {
    let app = test_app(None, &[]).await;
    let (_, session) = login_as(&app.db, "nieuwe-trainer", &["trainer"]).await;
    let mut trainer = Browser::with_session(&session);
    let page = trainer
        .get(
            &app.router,
            &format!("/trainingen/{TRAINING}/nieuwe-uitvoering"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Nieuwe uitvoering"));
    // Pre-filled: the trainer who adds a run trains it, ticked among the platform's trainers.
    assert!(
        page.body
            .contains("name=\"trainers[nieuwe-trainer]\" value=\"on\" checked"),
        "{}",
        page.body
    );

    // A wrong capacity comes back next to its field, with everything typed kept.
    let refused = trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/uitvoering-toevoegen"),
            &run_form("2032-najaar", "veel", "2031-09-02"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(
        refused.location(),
        format!("/trainingen/{TRAINING}/nieuwe-uitvoering")
    );
    let again = trainer.get(&app.router, &refused.location()).await;
    assert!(
        again.body.contains("Een heel getal van 1 tot en met 1000."),
        "{}",
        again.body
    );
    assert!(again.body.contains("aria-invalid=\"true\""));
    assert!(again.body.contains("value=\"veel\""));
    assert!(again.body.contains("value=\"2032-najaar\""));
    assert!(again.body.contains("value=\"2031-09-02\""));

    // A trainer who is no trainer on the platform is refused at the field, together with
    // the rules' refusals, not saved silently.
    let unknown_trainer = trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/uitvoering-toevoegen"),
            &run_form("2032-najaar", "veel", "2031-09-02").replace(
                "&trainers=",
                "&trainers%5Bnieuwe-trainer%5D=on&trainers%5Bniet-bestaand%5D=on",
            ),
        )
        .await;
    let page = trainer.get(&app.router, &unknown_trainer.location()).await;
    for expected in [
        "Geen trainer op het platform: niet-bestaand.",
        "Een heel getal van 1 tot en met 1000.",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }

    // The same code twice is refused at the code.
    let taken = trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/uitvoering-toevoegen"),
            &run_form(RUN, "10", "2031-09-02"),
        )
        .await;
    let page = trainer.get(&app.router, &taken.location()).await;
    assert!(
        page.body.contains("heeft al een uitvoering"),
        "{}",
        page.body
    );

    // Saved: to the run's own page, which this trainer now manages; the catalogue shows it.
    let saved = trainer
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/uitvoering-toevoegen"),
            &run_form("2032-najaar", "10", "2031-09-02"),
        )
        .await;
    assert_eq!(
        saved.location(),
        format!("/trainingen/{TRAINING}/2032-najaar/beheer")
    );
    let run_page = trainer.get(&app.router, &saved.location()).await;
    assert_eq!(run_page.status, StatusCode::OK, "{}", run_page.body);
    assert!(run_page.body.contains("De uitvoering is toegevoegd."));
    let catalogue = Browser::default()
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(
        catalogue.body.contains("uitvoering-2032-najaar"),
        "{}",
        catalogue.body
    );
    // A participant is not offered the way to add runs, and may not post one.
    let (_, participant) = login_as(&app.db, "gewoon-lid", &[]).await;
    let mut participant = Browser::with_session(&participant);
    let training = participant
        .get(&app.router, &format!("/trainingen/{TRAINING}"))
        .await;
    assert!(!training.body.contains("Uitvoering toevoegen"));
    let forbidden = participant
        .post_form(
            &app.router,
            &format!("/trainingen/{TRAINING}/uitvoering-toevoegen"),
            &run_form("2033-najaar", "10", "2031-09-02"),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editing_a_run_keeps_its_seats_and_a_raise_offers_them_to_the_waitlist() {
    let app = test_app(None, &[]).await;
    // The test run has two seats: fill them and put a third person on the waitlist.
    for name in ["een", "twee", "drie"] {
        let (_, session) = login_as(&app.db, name, &[]).await;
        Browser::with_session(&session)
            .post_form(&app.router, &enrol_path(), "")
            .await;
    }
    let (_, session) = login_as(&app.db, "Trainer", &["trainer"]).await;
    let mut trainer = Browser::with_session(&session);
    let editor = trainer
        .get(
            &app.router,
            &format!("/trainingen/{TRAINING}/{RUN}/bewerken"),
        )
        .await;
    assert_eq!(editor.status, StatusCode::OK, "{}", editor.body);
    assert!(
        editor.body.contains("value=\"2031-03-04\""),
        "the stored session"
    );
    let save = format!("/trainingen/{TRAINING}/{RUN}/beheer/gegevens");
    // Below the seats taken: refused at the capacity.
    let refused = trainer
        .post_form(&app.router, &save, &run_form(RUN, "1", "2031-03-04"))
        .await;
    assert_eq!(
        refused.location(),
        format!("/trainingen/{TRAINING}/{RUN}/bewerken")
    );
    let page = trainer.get(&app.router, &refused.location()).await;
    assert!(
        page.body.contains("Er zijn al 2 plaatsen bezet"),
        "{}",
        page.body
    );
    // Raised to three and the session moved: the waitlisted person is offered the seat.
    let saved = trainer
        .post_form(&app.router, &save, &run_form(RUN, "3", "2031-03-11"))
        .await;
    assert_eq!(
        saved.location(),
        format!("/trainingen/{TRAINING}/{RUN}/beheer")
    );
    let run_page = trainer.get(&app.router, &saved.location()).await;
    assert!(
        run_page
            .body
            .contains("1 plaats(en) aangeboden aan de wachtlijst"),
        "{}",
        run_page.body
    );
    assert!(run_page.body.contains("11 maart 2031"), "{}", run_page.body);
    let offered = app::messaging::entity::mail::Entity::find()
        .filter(app::messaging::entity::mail::Column::Recipient.eq("drie@test.invalid"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        offered
            .iter()
            .any(|m| m.kind == app::messaging::model::MailKind::SeatOffered),
        "{offered:?}"
    );
    // Another trainer may not edit this run.
    let (_, other) = login_as(&app.db, "andere", &["trainer"]).await;
    let mut other = Browser::with_session(&other);
    assert_eq!(
        other
            .post_form(&app.router, &save, &run_form(RUN, "5", "2031-03-04"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
