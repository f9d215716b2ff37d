//! Calendars: a run's sessions as an .ics download, and a person's secret, revocable feed of the
//! sessions they are confirmed for. Events name the training only, never other people; times are
//! converted from Europe/Amsterdam wall-clock times to UTC, so every calendar shows them right.

use crate::identity::service::secret_links::{new_token, token_hash};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use icalendar::Event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::dates::clock_time;
use crate::error::ServiceError;
use crate::knowledge::entity::{self as documents, Entity as Documents};
use crate::training::entity::{calendar_feed, enrolment, run, run_session};
use crate::training::model::{EnrolmentStatus, RunStatus};
use crate::training::service::catalogue::find_run;

/// A wall-clock time on `date` in Amsterdam, in UTC (the earlier one in the autumn overlap).
pub fn amsterdam_moment(date: NaiveDate, time: &str) -> Option<DateTime<Utc>> {
    let local = date.and_time(clock_time(time)?);
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|moment| moment.with_timezone(&Utc))
}

/// When a run's first session starts and its last session ends, in UTC (None without
/// sessions). Enrolment closes at the first moment, closing the run opens at the last.
pub async fn run_span(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, ServiceError> {
    let sessions = run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .all(db)
        .await?;
    let starts = first_start(&sessions);
    let ends = sessions
        .iter()
        .filter_map(|s| amsterdam_moment(s.date, &s.ends_at))
        .max();
    Ok(starts.zip(ends))
}

/// When the first of `sessions` starts.
pub(crate) fn first_start(sessions: &[run_session::Model]) -> Option<DateTime<Utc>> {
    sessions
        .iter()
        .filter_map(|s| amsterdam_moment(s.date, &s.starts_at))
        .min()
}

pub(crate) fn session_event(
    title: &str,
    run: &run::Model,
    session: &run_session::Model,
    with_link: bool,
) -> Option<Event> {
    Some(crate::ics::event(
        crate::ics::EventText {
            uid_local: format!("run-{}-session-{}", run.id, session.id),
            summary: &format!("Training: {title}"),
            location: &session.location,
            link: session.online_link.as_deref().filter(|_| with_link),
            sequence: session.sequence,
        },
        amsterdam_moment(session.date, &session.starts_at)?,
        amsterdam_moment(session.date, &session.ends_at)?,
    ))
}

/// A training's title (its slug if the document is gone).
pub async fn title_of(db: &impl ConnectionTrait, slug: &str) -> Result<String, ServiceError> {
    Ok(Documents::find()
        .select_only()
        .column(documents::Column::Title)
        .filter(documents::Column::Slug.eq(slug))
        .into_tuple::<String>()
        .one(db)
        .await?
        .unwrap_or_else(|| slug.to_owned()))
}

pub async fn sessions_of(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<run_session::Model>, ServiceError> {
    Ok(run_session::Entity::find()
        .filter(run_session::Column::RunId.eq(run_id))
        .order_by_asc(run_session::Column::Position)
        .all(db)
        .await?)
}

/// The sessions of one run, for anyone to put in their calendar (no online links).
pub async fn run_calendar(
    db: &DatabaseConnection,
    slug: &str,
    code: &str,
) -> Result<String, ServiceError> {
    let run = find_run(db, slug, code).await?;
    calendar_of_run(db, &run, false).await
}

/// The sessions of `run` as a calendar; `with_link`: online links too (for a confirmed
/// participant, e.g. the confirmation mail's attachment).
pub async fn calendar_of_run(
    db: &impl ConnectionTrait,
    run: &run::Model,
    with_link: bool,
) -> Result<String, ServiceError> {
    let title = title_of(db, &run.training_slug).await?;
    let mut calendar = crate::ics::calendar(&format!("{title} ({})", run.code));
    if run.status == RunStatus::Scheduled {
        for session in sessions_of(db, run.id).await? {
            if let Some(event) = session_event(&title, run, &session, with_link) {
                calendar.push(event);
            }
        }
    }
    Ok(calendar.done().to_string())
}

/// `sessions` of `run` as a calendar sent by mail: `Request` puts them in (or updates them:
/// same UID, their raised SEQUENCE), `Cancel` takes them out. Online links only for confirmed
/// participants, who are the only ones these go to.
pub fn invitation_of_sessions(
    title: &str,
    run: &run::Model,
    sessions: &[run_session::Model],
    method: crate::ics::Method,
) -> String {
    let mut calendar = crate::ics::calendar_with_method(&format!("{title} ({})", run.code), method);
    for session in sessions {
        let event = match method {
            crate::ics::Method::Request => session_event(title, run, session, true),
            // A cancellation is a change too: one SEQUENCE past the last one sent.
            crate::ics::Method::Cancel => {
                let next = run_session::Model {
                    sequence: session.sequence + 1,
                    ..session.clone()
                };
                session_event(title, run, &next, false).map(crate::ics::cancelled)
            }
        };
        calendar.extend(event);
    }
    calendar.done().to_string()
}

/// A new secret feed token for `user_id`, replacing (and so revoking) any earlier one. The
/// token is returned once; only its hash is stored.
pub async fn renew_feed(
    db: &DatabaseConnection,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let token = new_token();
    revoke_feed(db, user_id).await?;
    calendar_feed::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn revoke_feed(db: &DatabaseConnection, user_id: i32) -> Result<(), ServiceError> {
    calendar_feed::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(())
}

pub async fn has_feed(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, ServiceError> {
    Ok(calendar_feed::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some())
}

/// Whose feed `token` is. Unknown or revoked tokens are not found.
pub async fn feed_owner(db: &impl ConnectionTrait, token: &str) -> Result<i32, ServiceError> {
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .user_id)
}

/// Every session of every run `user_id` is confirmed for, with the online links (for their
/// personal feed).
pub async fn training_events(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<Event>, ServiceError> {
    let confirmed = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Confirmed))
        .all(db)
        .await?;
    let mut events = Vec::new();
    for enrolment in confirmed {
        let Some(run) = run::Entity::find_by_id(enrolment.run_id).one(db).await? else {
            continue;
        };
        if run.status != RunStatus::Scheduled {
            continue;
        }
        let title = title_of(db, &run.training_slug).await?;
        for session in sessions_of(db, run.id).await? {
            events.extend(session_event(&title, &run, &session, true));
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amsterdam_times_become_utc_in_summer_and_winter() {
        let winter = NaiveDate::from_ymd_opt(2027, 3, 4).unwrap();
        assert_eq!(
            amsterdam_moment(winter, "09:30").unwrap().to_rfc3339(),
            "2027-03-04T08:30:00+00:00"
        );
        let summer = NaiveDate::from_ymd_opt(2027, 6, 3).unwrap();
        assert_eq!(
            amsterdam_moment(summer, "09:30").unwrap().to_rfc3339(),
            "2027-06-03T07:30:00+00:00"
        );
        assert!(amsterdam_moment(summer, "9.30").is_none());
    }
}
