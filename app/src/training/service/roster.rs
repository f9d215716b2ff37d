//! What a run's trainers see: participants, offers, the waitlist in order, requests with their
//! intake answers, and the work-field mix; and the participants as CSV.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ServiceError;
use crate::identity::entity::user;
use crate::identity::model::account_label;
use crate::training::entity::{enrolment, run};
use crate::training::model::{EnrolmentStatus, RosterEntry, RunRoster};
use crate::training::service::catalogue::{Looker, published_training_title, run_view};
use crate::vocabulary::WorkField;

/// The roster of `run` (already authorized) as `looker` sees it.
pub async fn roster(
    db: &DatabaseConnection,
    run: &run::Model,
    looker: &Looker,
    now: DateTime<Utc>,
) -> Result<RunRoster, ServiceError> {
    let training_title = published_training_title(db, &run.training_slug).await?;
    let run_view = run_view(db, run, looker, now).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::Active.eq(1))
        .order_by_asc(enrolment::Column::WaitlistSeq)
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let user_ids: Vec<i32> = enrolments.iter().map(|e| e.user_id).collect();
    let people: std::collections::HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut roster = RunRoster {
        messages: Vec::new(),
        training_slug: run.training_slug.clone(),
        training_title,
        run: run_view,
        confirmed: Vec::new(),
        offered: Vec::new(),
        waitlist: Vec::new(),
        requests: Vec::new(),
        mix: Vec::new(),
        max_work_field_share: run.max_work_field_share.map(|s| s as u32),
        completion: crate::training::service::certificates::run_completion(db, run, now).await?,
        register: crate::training::service::attendance::run_register(db, run).await?,
    };
    let mut mix: std::collections::BTreeMap<WorkField, u32> = Default::default();
    let mut waitlist_position = 0;
    for e in enrolments {
        let person = people.get(&e.user_id);
        if e.status == EnrolmentStatus::Waitlisted {
            waitlist_position += 1;
        }
        if e.status.holds_seat() {
            *mix.entry(e.work_field).or_default() += 1;
        }
        let entry = RosterEntry {
            enrolment_id: e.id,
            name: account_label(e.user_id, person.and_then(|p| p.display_name.as_deref())),
            organisation: person
                .and_then(|p| p.organisation.clone())
                .unwrap_or_default(),
            work_field: e.work_field,
            status: e.status,
            waitlist_position: (e.status == EnrolmentStatus::Waitlisted)
                .then_some(waitlist_position),
            intake: e.intake_answers.map(|a| a.0).unwrap_or_default(),
        };
        match e.status {
            EnrolmentStatus::Confirmed => roster.confirmed.push(entry),
            EnrolmentStatus::Offered => roster.offered.push(entry),
            EnrolmentStatus::Waitlisted => roster.waitlist.push(entry),
            EnrolmentStatus::Requested => roster.requests.push(entry),
            _ => {}
        }
    }
    roster.confirmed.sort_by(|a, b| a.name.cmp(&b.name));
    roster.mix = mix.into_iter().collect();
    Ok(roster)
}

/// Confirmed participants as CSV for Excel: UTF-8 with a byte-order mark, `;` between fields
/// (Dutch Excel), name, organisation and work field only.
pub fn participants_csv(roster: &RunRoster) -> String {
    let mut file = crate::csv_file::CsvFile::new(&["Naam", "Organisatie", "Werkterrein"]);
    for entry in &roster.confirmed {
        file.row([
            entry.name.as_str(),
            entry.organisation.as_str(),
            entry.work_field.label(),
        ]);
    }
    file.finish()
}
