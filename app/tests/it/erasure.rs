//! A person's right to erasure: what goes, what stays under a pseudonym for its retention
//! period, and what stands in the way first. On SQLite and PostgreSQL.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use app::error::ServiceError;
use app::identity::access::Role;
use app::identity::entity::{audit_event, register_number, user};
use app::intervision::entity::{action_point, dilemma, dilemma_post};
use app::intervision::rules::{ValidAction, check_dilemma, check_post};
use app::intervision::service::sealing::Sealer;
use app::messaging::entity::mail;
use app::training::entity::{certificate, enrolment, run};
use app::vocabulary::WorkField;

use crate::common::builders::{AccountBuilder, RunBuilder, TrainingBuilder};
use crate::common::now;
use crate::intervision::{SITUATION, dilemma_form, group, member_of};

async fn a_person_is_erased_with_what_must_stay_kept_under_a_pseudonym(db: &DatabaseConnection) {
    use app::intervision::service::{actions, dilemmas, posts};
    let sealer = Sealer::from_base64(&Sealer::generate_key()).unwrap();
    let facilitator = AccountBuilder::new("begeleider")
        .roles(&[Role::Facilitator])
        .insert(db)
        .await;
    let anna = AccountBuilder::new("anna")
        .email("anna@test.invalid")
        .profile(WorkField::Zorg)
        .at(now())
        .insert(db)
        .await;
    register_number::ActiveModel {
        user_id: Set(anna.user_id),
        register: Set("skj".into()),
        number: Set("123456789".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    // Training: enrolled in a run that is still open.
    let _dir = TrainingBuilder::new("verdieping")
        .run(RunBuilder::new("2027-voorjaar"))
        .import(db, now())
        .await;
    app::training::service::enrolment::enrol(
        db,
        anna.user_id,
        "verdieping",
        "2027-voorjaar",
        &[],
        now(),
    )
    .await
    .unwrap();
    let the_run = app::training::service::enrolment::find_run(db, "verdieping", "2027-voorjaar")
        .await
        .unwrap();

    // Intervision: a member with a dilemma, a reply on another's dilemma and an action point.
    let id = group(db, &facilitator, "8").await;
    member_of(db, id, &anna).await;
    let valid = check_dilemma(&dilemma_form(SITUATION)).unwrap();
    let hers = dilemmas::save_dilemma(db, &sealer, id, anna.user_id, &valid, now())
        .await
        .unwrap();
    let theirs = dilemmas::save_dilemma(db, &sealer, id, facilitator.user_id, &valid, now())
        .await
        .unwrap();
    let reply = check_post("Ik zou eerst met de mentor praten.", false).unwrap();
    posts::add_post(db, &sealer, id, theirs, anna.user_id, &reply, now())
        .await
        .unwrap();
    let action = ValidAction {
        text: "Gesprek plannen".into(),
        owner: Some(anna.user_id),
        due_on: None,
        names_overruled: 0,
    };
    let point = actions::add_action(db, &sealer, id, theirs, anna.user_id, &action, now())
        .await
        .unwrap();

    // Still enrolled in an open run, and the facilitator leads an open group: both wait.
    let refusals = app::personal_data::erasure_refusals(db, anna.user_id)
        .await
        .unwrap();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert!(refusals[0].contains("ingeschreven"));
    assert!(matches!(
        app::personal_data::erase(db, anna.user_id, now()).await,
        Err(ServiceError::Invalid(_))
    ));
    let led = app::personal_data::erasure_refusals(db, facilitator.user_id)
        .await
        .unwrap();
    assert!(led.iter().any(|r| r.contains("begeleidt")), "{led:?}");
    assert!(
        user::Entity::find_by_id(anna.user_id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .email
            .is_some(),
        "a refusal changes nothing"
    );

    // The run closes; her attendance earned a certificate, which must be kept.
    let mut closed: run::ActiveModel = the_run.clone().into();
    closed.closed_at = Set(Some(now()));
    closed.update(db).await.unwrap();
    certificate::ActiveModel {
        code: Set("ABCD-EFGH-JKMN-PQRS".into()),
        user_id: Set(Some(anna.user_id)),
        run_id: Set(the_run.id),
        participant_name: Set("Demo anna".into()),
        training_title: Set("Verdieping".into()),
        dates: Set("4 en 18 maart 2027".into()),
        net_minutes: Set(360),
        points: Set(certificate::CertifiedPoints(Vec::new())),
        trainers: Set("Trainer".into()),
        issued_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert!(
        !mail::Entity::find()
            .filter(mail::Column::Recipient.eq("anna@test.invalid"))
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );

    let pseudonym = app::personal_data::erase(db, anna.user_id, now())
        .await
        .unwrap();
    assert!(pseudonym.starts_with("Gewist account "), "{pseudonym}");

    // Gone: who she is, her roles and numbers, her sessions' standing, what she wrote, her mail.
    let row = user::Entity::find_by_id(anna.user_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.display_name.as_deref(), Some(pseudonym.as_str()));
    assert!(row.email.is_none() && row.organisation.is_none() && row.work_field.is_none());
    assert!(row.subject.starts_with("gewist:") && row.erased_at.is_some());
    assert!(
        app::identity::service::accounts::viewer(db, anna.user_id)
            .await
            .unwrap()
            .is_none(),
        "no session of hers counts as logged in"
    );
    assert!(
        register_number::Entity::find()
            .filter(register_number::Column::UserId.eq(anna.user_id))
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        dilemma::Entity::find_by_id(hers)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    // Her dilemma is withdrawn from the themes' tally too; the facilitator's stays counted.
    let tallied: Vec<Option<i32>> = app::intervision::entity::dilemma_theme::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.dilemma_id)
        .collect();
    assert_eq!(tallied, [Some(theirs)]);
    assert!(
        dilemma::Entity::find_by_id(theirs)
            .one(db)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        dilemma_post::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    let handed = action_point::Entity::find_by_id(point)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(handed.owner_user_id, Some(facilitator.user_id));
    assert!(
        mail::Entity::find()
            .filter(mail::Column::Recipient.eq("anna@test.invalid"))
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        audit_event::Entity::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .all(|event| event.actor_user_id != Some(anna.user_id)
                && event.subject_user_id != Some(anna.user_id))
    );
    // Kept, under the pseudonym: the certificate (still verifiable) and her enrolment.
    let kept = certificate::Entity::find().all(db).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].participant_name, pseudonym);
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(anna.user_id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(enrolled.len(), 1);
    assert!(enrolled[0].intake_answers.is_none());
    // Once is enough.
    assert!(
        app::personal_data::erase(db, anna.user_id, now())
            .await
            .is_err()
    );
}

on_both_databases!(a_person_is_erased_with_what_must_stay_kept_under_a_pseudonym,);
