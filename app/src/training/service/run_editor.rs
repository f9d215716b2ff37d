//! Creating and editing runs in the browser. A run saved here is `web_edited`: the importer no
//! longer changes it from the training's file. Editing never takes seats away (the capacity
//! stays at or above the seats taken), and a raised capacity offers seats to the waitlist at
//! once, in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use crate::error::ServiceError;
use crate::identity::access::Role;
use crate::identity::service::accounts::accounts_with_role;
use crate::training::entity::run;
use crate::training::model::{RunEditor, RunStatus};
use crate::training::rules::trainer_subjects;
use crate::training::rules::{RunSpec, SessionSpec, run_form_of};
use crate::training::service::calendar::title_of;
use crate::training::service::catalogue::{find_run, training_facts};
use crate::training::service::enrolment::{fill_from_waitlist, lock_run};
use crate::training::service::runs_import::{
    apply, insert_run, run_unchanged, sessions_of, sync_sessions_and_trainers, trainers_of,
    waitlist_closes_of,
};

/// A stored run as the file format would write it.
async fn spec_of(db: &impl ConnectionTrait, stored: &run::Model) -> Result<RunSpec, ServiceError> {
    let sessions = sessions_of(db, stored.id)
        .await?
        .into_iter()
        .map(|(_, date, start, end, location, link)| SessionSpec {
            date,
            start,
            end,
            location,
            link,
        })
        .collect();
    Ok(RunSpec {
        code: stored.code.clone(),
        capacity: Ord::max(stored.capacity, 0) as u32,
        enrolment_opens: stored.enrolment_opens,
        enrolment_closes: stored.enrolment_closes,
        cancellation_days: Ord::max(stored.cancellation_days, 0) as u32,
        waitlist_closes: Some(stored.waitlist_closes),
        offer_hours: Ord::max(stored.offer_hours, 0) as u32,
        max_work_field_share: stored.max_work_field_share.map(|s| Ord::max(s, 0) as u32),
        trainers: trainers_of(db, stored.id).await?,
        sessions,
    })
}

/// The editor for a new run of `training_slug` (`code` None; `trainer` pre-filled as its
/// trainer) or for run `code`.
pub async fn editor(
    db: &DatabaseConnection,
    training_slug: &str,
    code: Option<&str>,
    trainer: Option<&str>,
) -> Result<RunEditor, ServiceError> {
    // Only published trainings get runs.
    training_facts(db, training_slug).await?;
    let form = match code {
        Some(code) => {
            let stored = find_run(db, training_slug, code).await?;
            run_form_of(Some(&spec_of(db, &stored).await?))
        }
        None => {
            let mut form = run_form_of(None);
            form.trainers = trainer.unwrap_or_default().to_owned();
            form
        }
    };
    let mut trainer_choices = accounts_with_role(db, Role::Trainer).await?;
    // Whoever already trains the run stays choosable, also without the role (any more).
    for subject in trainer_subjects(&form.trainers) {
        if !trainer_choices.iter().any(|(known, _)| *known == subject) {
            let name = format!("{subject} (zonder trainersrol)");
            trainer_choices.push((subject, name));
        }
    }
    Ok(RunEditor {
        training_slug: training_slug.to_owned(),
        training_title: title_of(db, training_slug).await?,
        existing: code.is_some(),
        form,
        errors: Default::default(),
        trainer_choices,
    })
}

/// The refusal of `trainers` when one of them is not someone the run can have: an account
/// with the trainer role, or already a trainer of this run (`run_id`).
pub async fn unknown_trainers(
    db: &impl ConnectionTrait,
    run_id: Option<i32>,
    trainers: &[String],
) -> Result<Option<String>, ServiceError> {
    let mut allowed: Vec<String> = accounts_with_role(db, Role::Trainer)
        .await?
        .into_iter()
        .map(|(subject, _)| subject)
        .collect();
    if let Some(run_id) = run_id {
        allowed.extend(trainers_of(db, run_id).await?);
    }
    let unknown: Vec<&str> = trainers
        .iter()
        .filter(|subject| !allowed.contains(subject))
        .map(String::as_str)
        .collect();
    Ok((!unknown.is_empty()).then(|| {
        format!(
            "Geen trainer op het platform: {}. Kies trainers uit de lijst; een beheerder geeft iemand de trainersrol.",
            unknown.join(", ")
        )
    }))
}

fn refuse(field: &'static str, message: String) -> ServiceError {
    ServiceError::InvalidDocument {
        field: Some(field),
        message,
    }
}

/// Adds a run to a published training.
pub async fn create_run(
    db: &DatabaseConnection,
    training_slug: &str,
    spec: &RunSpec,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    training_facts(db, training_slug).await?;
    let txn = crate::db::begin_write(db).await?;
    let taken = run::Entity::find()
        .filter(run::Column::TrainingSlug.eq(training_slug))
        .filter(run::Column::Code.eq(&spec.code))
        .one(&*txn)
        .await?
        .is_some();
    if taken {
        return Err(refuse(
            "code",
            format!(
                "Deze training heeft al een uitvoering '{}'; kies een andere code.",
                spec.code
            ),
        ));
    }
    insert_run(&*txn, training_slug, spec, true, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Saves an edited run (its code stays). Returns the enrolments offered a seat by a raise.
pub async fn update_run(
    db: &DatabaseConnection,
    run_id: i32,
    spec: &RunSpec,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let stored = lock_run(&*txn, run_id).await?;
    if stored.status == RunStatus::Cancelled {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is geannuleerd en kan niet meer worden gewijzigd.".into(),
        ));
    }
    if stored.closed_at.is_some() {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is afgesloten: bijeenkomsten, aanwezigheid en certificaten liggen vast en kunnen niet meer worden gewijzigd.".into(),
        ));
    }
    if (spec.capacity as i32) < stored.seats_taken {
        return Err(refuse(
            "capacity",
            format!(
                "Er zijn al {} plaatsen bezet (ingeschreven of aangeboden); de capaciteit kan niet lager dan dat.",
                stored.seats_taken
            ),
        ));
    }
    // The per-field counters start when the share is set; changing it later would miscount.
    if stored.seats_taken > 0
        && stored.max_work_field_share != spec.max_work_field_share.map(|s| s as i32)
    {
        return Err(refuse(
            "max_work_field_share",
            "Het maximum per werkterrein kan niet meer veranderen zodra er plaatsen bezet zijn."
                .into(),
        ));
    }
    // Saving the form unchanged writes nothing (not even `updated_at`).
    if !run_unchanged(&*txn, &stored, spec).await? {
        let mut active = stored.into_active_model();
        apply(&mut active, spec, waitlist_closes_of(spec), now);
        active.web_edited = Set(true);
        let saved = active.update(&*txn).await?;
        let changes = sync_sessions_and_trainers(&*txn, run_id, spec).await?;
        crate::training::service::mails::tell_of_session_changes(&*txn, &saved, &changes, now)
            .await?;
    }
    let offered = fill_from_waitlist(&*txn, run_id, now).await?;
    txn.commit().await?;
    Ok(offered)
}
