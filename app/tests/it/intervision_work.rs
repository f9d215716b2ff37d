//! The facilitator's work around a meeting: the agenda and the method used per dilemma,
//! notices to the people concerned, a retention period that can change, and a meeting an
//! admin records afterwards. Each on SQLite and PostgreSQL.

use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use app::error::ServiceError;
use app::identity::access::Role;
use app::intervision::entity::{dilemma, retention_change};
use app::intervision::model::{LateMeetingForm, SeriesForm};
use app::intervision::rules::{check_dilemma, parse_late_meeting_form, parse_series_form};
use app::intervision::service::dilemmas::save_dilemma;
use app::intervision::service::sealing::Sealer;
use app::intervision::service::{agenda, meetings, retention};
use app::messaging::entity::mail;
use app::messaging::model::MailKind;

use crate::common::builders::AccountBuilder;
use crate::common::now;
use crate::intervision::{SITUATION, account, dilemma_form, group, member_of};

fn sealer() -> Sealer {
    Sealer::from_base64(&Sealer::generate_key()).unwrap()
}

async fn mails_to(db: &DatabaseConnection, address: &str) -> Vec<mail::Model> {
    mail::Entity::find()
        .filter(mail::Column::Recipient.eq(address))
        .all(db)
        .await
        .unwrap()
}

/// The meetings of a series of `count` from 2027-01-14, every 6 weeks, 14:00–16:00.
async fn series(db: &DatabaseConnection, group_id: i32, count: &str) -> Vec<i32> {
    let spec = parse_series_form(&SeriesForm {
        first_date: "2027-01-14".into(),
        every_weeks: "6".into(),
        count: count.into(),
        location: "Zaal 3".into(),
        ..SeriesForm::default()
    })
    .unwrap();
    meetings::add_series(db, group_id, &spec, now())
        .await
        .unwrap();
    meetings::meetings_of(db, group_id, now())
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

async fn bring_in(
    db: &DatabaseConnection,
    sealer: &Sealer,
    group_id: i32,
    author: i32,
    at: DateTime<Utc>,
) -> i32 {
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    save_dilemma(db, sealer, group_id, author, &valid, at)
        .await
        .unwrap()
}

async fn people_hear_by_mail_when_added_and_when_the_agreement_changes(db: &DatabaseConnection) {
    use app::intervision::service::groups::{change_agreement, create_invitation, join};
    use app::intervision::service::management::add_facilitator;

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = AccountBuilder::new("anna")
        .email("anna@test.invalid")
        .insert(db)
        .await;
    let bram = AccountBuilder::new("bram")
        .email("bram@test.invalid")
        .insert(db)
        .await;
    let carla = AccountBuilder::new("carla")
        .email("carla@test.invalid")
        .roles(&[Role::Facilitator])
        .insert(db)
        .await;
    let admin = account(db, "beheerder", &[Role::Admin]).await;
    let id = group(db, &facilitator, "8").await;
    // Anna joins and accepts; Bram joins by a link but has not accepted yet.
    member_of(db, id, &anna).await;
    let token = create_invitation(db, id, now()).await.unwrap();
    join(db, &token, bram.user_id, now()).await.unwrap();
    for address in ["anna@test.invalid", "bram@test.invalid"] {
        let told = mails_to(db, address).await;
        assert_eq!(told.len(), 1, "{address}");
        assert_eq!(told[0].kind, MailKind::IntervisionMembership);
        assert!(told[0].body.contains("vertrouwelijkheidsafspraken"));
    }
    // The agreement changes: only who had accepted the old version hears of it.
    let text = "Wat in de groep besproken wordt, blijft in de groep; ook na afloop van de reeks.";
    change_agreement(db, id, text, now()).await.unwrap();
    let anna_told = mails_to(db, "anna@test.invalid").await;
    assert_eq!(anna_told.len(), 2);
    assert_eq!(anna_told[1].kind, MailKind::IntervisionAgreement);
    assert_eq!(mails_to(db, "bram@test.invalid").await.len(), 1);
    // An admin makes Carla a facilitator: she is told too.
    add_facilitator(db, id, "carla@test.invalid", admin.user_id, now())
        .await
        .unwrap();
    let standing = app::intervision::service::access::standing(db, id, carla.user_id);
    assert!(standing.await.unwrap().unwrap().is_facilitator);
    let carla_told = mails_to(db, "carla@test.invalid").await;
    assert_eq!(carla_told.len(), 1);
    assert_eq!(carla_told[0].subject, "U begeleidt een intervisiegroep");
    // None names the group.
    for told in mail::Entity::find().all(db).await.unwrap() {
        assert!(!told.body.contains("Noord") && !told.subject.contains("Noord"));
    }
}

async fn the_agenda_records_the_method_used_for_each_dilemma(db: &DatabaseConnection) {
    use app::intervision::service::agenda::start_method;
    use app::intervision::service::dilemmas::{delete_dilemma, method_of};

    let sealer = sealer();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    let other = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let meetings = series(db, id, "2").await;
    let (first, second) = (meetings[0], meetings[1]);
    let d1 = bring_in(db, &sealer, id, anna.user_id, now()).await;
    let d2 = bring_in(db, &sealer, id, anna.user_id, now()).await;
    let elsewhere = bring_in(db, &sealer, other, facilitator.user_id, now()).await;

    assert_eq!(
        meetings::next_meeting(db, id, now()).await.unwrap(),
        Some(first)
    );
    assert_eq!(
        agenda::candidates(db, &sealer, id, first)
            .await
            .unwrap()
            .len(),
        2
    );
    agenda::add_to_agenda(db, id, first, d1, now())
        .await
        .unwrap();
    agenda::add_to_agenda(db, id, first, d2, now())
        .await
        .unwrap();
    let refusal = |result: Result<(), ServiceError>| match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a Dutch refusal, got {other:?}"),
    };
    assert!(
        refusal(agenda::add_to_agenda(db, id, first, d1, now()).await).contains("al op de agenda")
    );
    assert!(
        refusal(agenda::add_to_agenda(db, id, first, elsewhere, now()).await)
            .contains("deze groep")
    );
    assert!(
        agenda::candidates(db, &sealer, id, first)
            .await
            .unwrap()
            .is_empty()
    );

    let items = agenda::agenda_of(db, &sealer, id, first).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].dilemma.as_ref().map(|(d, _)| *d), Some(d1));
    assert!(
        items[0]
            .dilemma
            .as_ref()
            .unwrap()
            .1
            .starts_with("Bespreek ik dit")
    );
    assert_eq!(items[0].method, None);

    // Started from the agenda: the runner begins for that dilemma and the item keeps the method.
    let started = agenda::start_from_agenda(db, id, first, items[0].id, "incidentmethode", now())
        .await
        .unwrap();
    assert_eq!(started, d1);
    let running = method_of(db, id, d1).await.unwrap().unwrap();
    assert_eq!(
        (running.slug.as_str(), running.current),
        ("incidentmethode", 0)
    );
    let items = agenda::agenda_of(db, &sealer, id, first).await.unwrap();
    assert_eq!(items[0].method.as_deref(), Some("Incidentmethode"));
    // What was used stays on the agenda; what was not may go.
    assert!(
        refusal(agenda::remove_from_agenda(db, id, first, items[0].id).await).contains("methode")
    );
    agenda::remove_from_agenda(db, id, first, items[1].id)
        .await
        .unwrap();
    // Not through another meeting or group.
    assert!(matches!(
        agenda::remove_from_agenda(db, id, second, items[0].id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        agenda::start_from_agenda(db, other, first, items[0].id, "incidentmethode", now()).await,
        Err(ServiceError::NotFound)
    ));
    // A switch on the dilemma's page is what the agenda records.
    start_method(db, id, d1, "roddelmethode", now())
        .await
        .unwrap();
    let items = agenda::agenda_of(db, &sealer, id, first).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].method.as_deref(), Some("Roddelmethode"));
    // The dilemma goes; the meeting still shows the method used.
    delete_dilemma(db, id, d1, anna.user_id).await.unwrap();
    let items = agenda::agenda_of(db, &sealer, id, first).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].dilemma, None);
    assert_eq!(items[0].method.as_deref(), Some("Roddelmethode"));
}

async fn a_shorter_retention_applies_at_once_a_longer_one_only_to_new_content(
    db: &DatabaseConnection,
) {
    use app::intervision::service::retention::RetentionChanged;

    let sealer = sealer();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let months_ago = |months: u32| now().checked_sub_months(Months::new(months)).unwrap();
    let old = bring_in(db, &sealer, id, anna.user_id, months_ago(10)).await;
    let recent = bring_in(db, &sealer, id, anna.user_id, months_ago(5)).await;
    let exists = |dilemma_id: i32| async move {
        dilemma::Entity::find_by_id(dilemma_id)
            .one(db)
            .await
            .unwrap()
            .is_some()
    };
    // The same period: nothing written.
    assert_eq!(
        retention::change_retention(db, id, 12, now())
            .await
            .unwrap(),
        RetentionChanged::Unchanged
    );
    assert_eq!(retention_change::Entity::find().count(db).await.unwrap(), 0);
    // Shorter (6): what is older goes at once; the confirmation said how much.
    assert_eq!(
        retention::shortening_removes(db, id, 6, now())
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        retention::change_retention(db, id, 6, now()).await.unwrap(),
        RetentionChanged::Shorter { purged: 1 }
    );
    assert!(!exists(old).await && exists(recent).await);
    // Longer (24): only for what is written from now on.
    assert_eq!(
        retention::change_retention(db, id, 24, now())
            .await
            .unwrap(),
        RetentionChanged::Longer
    );
    let new = bring_in(db, &sealer, id, anna.user_id, now() + Duration::days(1)).await;
    let later = now().checked_add_months(Months::new(8)).unwrap();
    assert_eq!(retention::purge_expired(db, later).await.unwrap(), 1);
    assert!(
        !exists(recent).await,
        "written under 6 months, gone after 13"
    );
    assert!(exists(new).await, "written under 24 months");
    assert_eq!(retention_change::Entity::find().count(db).await.unwrap(), 2);
}

async fn an_admin_records_a_meeting_afterwards_with_a_reason(db: &DatabaseConnection) {
    use app::intervision::model::Attendance;

    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let admin = account(db, "beheerder", &[Role::Admin]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    // Every refusal at once, each at its field; a name in the reason is refused.
    let errors = parse_late_meeting_form(&LateMeetingForm::default()).unwrap_err();
    for field in ["date", "start", "end", "reason"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    let form = |date: &str, reason: &str| LateMeetingForm {
        date: date.into(),
        start: "14:00".into(),
        end: "16:00".into(),
        reason: reason.into(),
    };
    let named =
        parse_late_meeting_form(&form("2026-10-01", "Vergeten door mevrouw Bakker.")).unwrap_err();
    assert!(named["reason"].contains("naam"), "{named:?}");
    // Forty days back (the facilitator may go 14).
    let reason = "Begeleider was ziek; de bijeenkomst is wel doorgegaan.";
    let (slot, reason) = parse_late_meeting_form(&form("2026-10-20", reason)).unwrap();
    let meeting = meetings::record_late_meeting(db, id, &slot, &reason, admin.user_id, now())
        .await
        .unwrap();
    let audited = app::identity::entity::audit_event::Entity::find()
        .all(db)
        .await
        .unwrap();
    assert!(
        audited
            .iter()
            .any(|event| event.detail.contains(&format!("meeting={meeting}"))
                && event.detail.contains("ziek")
                && event.actor_user_id == Some(admin.user_id))
    );
    // The same time again overlaps; a meeting still to come is not recorded afterwards.
    let again = meetings::record_late_meeting(db, id, &slot, &reason, admin.user_id, now()).await;
    assert!(matches!(again, Err(ServiceError::Fields(errors)) if errors.contains_key("date")));
    let (ahead, _) = parse_late_meeting_form(&form("2027-03-01", &reason)).unwrap();
    let ahead = meetings::record_late_meeting(db, id, &ahead, &reason, admin.user_id, now()).await;
    assert!(matches!(ahead, Err(ServiceError::Fields(errors)) if errors.contains_key("date")));
    // Attendance for 30 days from when it was recorded, not from the meeting.
    let marks = [(anna.user_id, Attendance::Present)];
    meetings::record_attendance(db, id, meeting, &marks, now() + Duration::days(20))
        .await
        .unwrap();
    assert!(matches!(
        meetings::record_attendance(db, id, meeting, &marks, now() + Duration::days(31)).await,
        Err(ServiceError::Invalid(_))
    ));
}

async fn the_log_and_the_agenda_choice_are_paged(db: &DatabaseConnection) {
    use app::intervision::service::dilemmas::{LOG_PER_PAGE, list_dilemmas};

    let sealer = sealer();
    let facilitator = account(db, "begeleider", &[Role::Facilitator]).await;
    let anna = account(db, "anna", &[]).await;
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let meeting = series(db, id, "1").await[0];
    let total = agenda::CANDIDATES as usize + 5;
    let mut newest = 0;
    for minutes in 0..total {
        newest = bring_in(
            db,
            &sealer,
            id,
            anna.user_id,
            now() + Duration::minutes(minutes as i64),
        )
        .await;
    }
    let (first, pages) = list_dilemmas(db, &sealer, id, anna.user_id, 1)
        .await
        .unwrap();
    assert_eq!(pages, (total as u64).div_ceil(LOG_PER_PAGE));
    assert_eq!(first.len() as u64, LOG_PER_PAGE);
    assert_eq!(first[0].id, newest, "newest first");
    let (last, _) = list_dilemmas(db, &sealer, id, anna.user_id, pages)
        .await
        .unwrap();
    assert_eq!(last.len() as u64, total as u64 - (pages - 1) * LOG_PER_PAGE);
    // A page past the end shows the last.
    let (beyond, _) = list_dilemmas(db, &sealer, id, anna.user_id, 99)
        .await
        .unwrap();
    assert_eq!(beyond, last);
    let offered = agenda::candidates(db, &sealer, id, meeting).await.unwrap();
    assert_eq!(offered.len() as u64, agenda::CANDIDATES);
    assert_eq!(offered[0].0, newest);
}

on_both_databases!(
    the_log_and_the_agenda_choice_are_paged,
    people_hear_by_mail_when_added_and_when_the_agreement_changes,
    the_agenda_records_the_method_used_for_each_dilemma,
    a_shorter_retention_applies_at_once_a_longer_one_only_to_new_content,
    an_admin_records_a_meeting_afterwards_with_a_reason,
);
