//! Meetings: a series from a recurrence rule, a single meeting moved or cancelled, attendance
//! recorded by the facilitator, each member's record of meetings attended (no content) and
//! their meetings for the personal calendar feed.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use icalendar::Event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::dates::{amsterdam_date, format_date_nl, hours_nl};
use crate::error::ServiceError;
use crate::identity::service::labels::account_labels;
use crate::intervision::entity::{
    agenda_item, group, group_facilitator, group_member, meeting, meeting_attendance,
};
use crate::intervision::model::{
    Attendance, IntervisionRecord, MeetingView, MoveMeetingForm, RecordGroup,
};
use crate::intervision::rules::{MeetingSlot, SeriesSpec, series_meetings};
use crate::intervision::service::groups::{Reach, facilitator_ids, member_ids};

/// How far back a meeting may be recorded: a facilitator who plans late can still record the
/// meeting of last week, but a record cannot be filled with meetings that never were.
pub const MAX_DAYS_BACK: i64 = 14;
/// How long after a meeting its attendance can still be recorded or corrected.
pub const ATTENDANCE_DAYS: i64 = 30;

/// The refusal, at `field`, when `(starts_at, ends_at)` overlaps a meeting of the group that
/// is not cancelled (other than `except`).
async fn overlap_refusal(
    db: &impl ConnectionTrait,
    group_id: i32,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
    except: Option<i32>,
) -> Result<Option<String>, ServiceError> {
    let existing = meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(group_id))
        .filter(meeting::Column::Cancelled.eq(false))
        .all(db)
        .await?;
    for (starts_at, ends_at) in times {
        if let Some(clash) = existing
            .iter()
            .filter(|row| Some(row.id) != except)
            .find(|row| row.starts_at < *ends_at && *starts_at < row.ends_at)
        {
            return Ok(Some(format!(
                "Deze tijd overlapt met de bijeenkomst van {}, {}–{}; een groep heeft één bijeenkomst tegelijk.",
                format_date_nl(amsterdam_date(clash.starts_at)),
                clock(clash.starts_at),
                clock(clash.ends_at)
            )));
        }
    }
    Ok(None)
}

/// Adds the meetings of `spec` to group `group_id`; how many. Refused at the first date when
/// the first meeting lies more than [`MAX_DAYS_BACK`] days back or any meeting overlaps one
/// the group already has.
pub async fn add_series(
    db: &DatabaseConnection,
    group_id: i32,
    spec: &SeriesSpec,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let dates = series_meetings(spec).map_err(ServiceError::Invalid)?;
    let refuse = |message: String| {
        ServiceError::Fields(crate::error::FieldErrors::from([(
            "first_date".to_owned(),
            message,
        )]))
    };
    if dates
        .first()
        .is_some_and(|(starts_at, _)| *starts_at < now - chrono::Duration::days(MAX_DAYS_BACK))
    {
        return Err(refuse(format!(
            "Een bijeenkomst legt u hoogstens {MAX_DAYS_BACK} dagen achteraf vast."
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let closed = group::Entity::find_by_id(group_id)
        .one(&*txn)
        .await?
        .is_some_and(|row| row.closed_at.is_some());
    if closed {
        return Err(ServiceError::Invalid(
            "Deze groep is afgesloten; er komen geen bijeenkomsten meer bij.".into(),
        ));
    }
    if let Some(message) = overlap_refusal(&*txn, group_id, &dates, None).await? {
        return Err(refuse(message));
    }
    let mut planned = Vec::with_capacity(dates.len());
    for (starts_at, ends_at) in &dates {
        let row = meeting::ActiveModel {
            group_id: Set(group_id),
            starts_at: Set(*starts_at),
            ends_at: Set(*ends_at),
            location: Set(spec.location.clone()),
            online_link: Set(spec.link.clone()),
            cancelled: Set(false),
            sequence: Set(0),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        planned.push(row);
    }
    // Only what lies ahead goes to calendars; a meeting recorded afterwards is past.
    planned.retain(|row| row.starts_at > now);
    tell_members(&*txn, group_id, MeetingNews::Planned, &planned, now).await?;
    txn.commit().await?;
    Ok(dates.len())
}

/// An admin records a meeting that was held but not planned in time, beyond
/// [`MAX_DAYS_BACK`]: with a reason, in the audit log; its attendance can be recorded for
/// [`ATTENDANCE_DAYS`] from now. The new meeting's id.
pub async fn record_late_meeting(
    db: &DatabaseConnection,
    group_id: i32,
    slot: &MeetingSlot,
    reason: &str,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServiceError> {
    use crate::identity::model::AuditEventKind;
    use crate::identity::service::audit::{NewAuditEvent, record};
    let refuse = |field: &str, message: String| {
        ServiceError::Fields(crate::error::FieldErrors::from([(
            field.to_owned(),
            message,
        )]))
    };
    let Some((starts_at, ends_at)) = slot_moments(slot) else {
        return Err(refuse(
            "start",
            "Deze tijd bestaat niet op die dag (zomertijd).".into(),
        ));
    };
    if ends_at > now {
        return Err(refuse(
            "date",
            "Achteraf vastleggen kan alleen voor een bijeenkomst die al is afgelopen.".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    group::Entity::find_by_id(group_id)
        .one(&*txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Some(message) = overlap_refusal(&*txn, group_id, &[(starts_at, ends_at)], None).await? {
        return Err(refuse("date", message));
    }
    let row = meeting::ActiveModel {
        group_id: Set(group_id),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        location: Set("Achteraf vastgelegd".to_owned()),
        online_link: Set(None),
        cancelled: Set(false),
        sequence: Set(0),
        recorded_late_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let detail = format!(
        "meeting_recorded_late group={group_id} meeting={} reason={reason}",
        row.id
    );
    record(
        &*txn,
        NewAuditEvent {
            event: AuditEventKind::GroupManaged,
            actor_user_id: Some(admin),
            subject_user_id: None,
            detail: &detail,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam).format("%H:%M").to_string()
}

fn view_of(row: &meeting::Model, now: DateTime<Utc>) -> MeetingView {
    MeetingView {
        id: row.id,
        date: format_date_nl(amsterdam_date(row.starts_at)),
        time: format!("{}–{}", clock(row.starts_at), clock(row.ends_at)),
        location: row.location.clone(),
        link: row.online_link.clone(),
        cancelled: row.cancelled,
        past: row.starts_at <= now,
    }
}

/// "14 januari 2027, 14:00–16:00": a meeting as a confirmation names it.
pub fn when_nl(row: &meeting::Model) -> String {
    format!(
        "{}, {}–{}",
        format_date_nl(amsterdam_date(row.starts_at)),
        clock(row.starts_at),
        clock(row.ends_at)
    )
}

/// Restores a cancelled meeting that still lies ahead, unless another meeting of the group
/// now takes its time.
pub async fn restore_meeting(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let row = find_meeting(&*txn, group_id, meeting_id).await?;
    if !row.cancelled || row.starts_at <= now {
        return Err(ServiceError::Invalid(
            "Alleen een afgelaste bijeenkomst die nog moet komen, kunt u herstellen.".into(),
        ));
    }
    if let Some(message) = overlap_refusal(
        &*txn,
        group_id,
        &[(row.starts_at, row.ends_at)],
        Some(row.id),
    )
    .await?
    {
        return Err(ServiceError::Invalid(message));
    }
    let sequence = row.sequence + 1;
    let mut row: meeting::ActiveModel = row.into();
    row.cancelled = Set(false);
    row.sequence = Set(sequence);
    let row = row.update(&*txn).await?;
    tell_members(&*txn, group_id, MeetingNews::Restored, &[row], now).await?;
    txn.commit().await?;
    Ok(())
}

/// The group's meetings in order.
pub async fn meetings_of(
    db: &impl ConnectionTrait,
    group_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<MeetingView>, ServiceError> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(group_id))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?
        .iter()
        .map(|row| view_of(row, now))
        .collect())
}

/// The group's next meeting: the first that is not cancelled and has not ended at `now`.
pub async fn next_meeting(
    db: &impl ConnectionTrait,
    group_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<i32>, ServiceError> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::GroupId.eq(group_id))
        .filter(meeting::Column::Cancelled.eq(false))
        .filter(meeting::Column::EndsAt.gt(now))
        .order_by_asc(meeting::Column::StartsAt)
        .one(db)
        .await?
        .map(|row| row.id))
}

/// Meeting `meeting_id` of group `group_id`.
pub async fn find_meeting(
    db: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
) -> Result<meeting::Model, ServiceError> {
    meeting::Entity::find_by_id(meeting_id)
        .filter(meeting::Column::GroupId.eq(group_id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Cancels one meeting of the group; members are told when it still lay ahead.
pub async fn cancel_meeting(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    cancel_in(&*txn, group_id, meeting_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// [`cancel_meeting`] inside the caller's write transaction (closing a group cancels every
/// meeting ahead in the transaction that closes it).
pub(crate) async fn cancel_in(
    txn: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let row = find_meeting(txn, group_id, meeting_id).await?;
    if row.cancelled {
        return Ok(());
    }
    let ahead = row.starts_at > now;
    let sequence = row.sequence + 1;
    let mut row: meeting::ActiveModel = row.into();
    row.cancelled = Set(true);
    row.sequence = Set(sequence);
    let row = row.update(txn).await?;
    if ahead {
        tell_members(txn, group_id, MeetingNews::Cancelled, &[row], now).await?;
    }
    Ok(())
}

/// A wall-clock slot in Amsterdam as UTC start and end (the earlier moment in the autumn
/// overlap); None for a time that does not exist (the spring gap).
fn slot_moments(slot: &MeetingSlot) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let moment = |time| {
        Amsterdam
            .from_local_datetime(&slot.date.and_time(time))
            .earliest()
            .map(|at| at.with_timezone(&Utc))
    };
    Some((moment(slot.start)?, moment(slot.end)?))
}

/// The move form filled with the meeting's present date and times.
pub fn move_form_of(row: &meeting::Model) -> MoveMeetingForm {
    MoveMeetingForm {
        date: amsterdam_date(row.starts_at).format("%Y-%m-%d").to_string(),
        start: clock(row.starts_at),
        end: clock(row.ends_at),
    }
}

/// Moves one meeting that has not begun to `slot`, which must lie ahead; members are told.
pub async fn move_meeting(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    slot: &MeetingSlot,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some((starts_at, ends_at)) = slot_moments(slot).filter(|(start, _)| *start > now) else {
        return Err(ServiceError::Invalid(
            "Kies een datum en tijd die nog moeten komen.".into(),
        ));
    };
    // Read and checked in the write transaction, so two moves cannot both pass the check.
    let txn = crate::db::begin_write(db).await?;
    let row = find_meeting(&*txn, group_id, meeting_id).await?;
    if row.cancelled || row.starts_at <= now {
        return Err(ServiceError::Invalid(
            "Alleen een komende bijeenkomst die niet is afgelast, kunt u verplaatsen.".into(),
        ));
    }
    if let Some(message) =
        overlap_refusal(&*txn, group_id, &[(starts_at, ends_at)], Some(row.id)).await?
    {
        return Err(ServiceError::Invalid(message));
    }
    if (row.starts_at, row.ends_at) == (starts_at, ends_at) {
        return Ok(());
    }
    let sequence = row.sequence + 1;
    let mut row: meeting::ActiveModel = row.into();
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    row.sequence = Set(sequence);
    let row = row.update(&*txn).await?;
    tell_members(&*txn, group_id, MeetingNews::Moved, &[row], now).await?;
    txn.commit().await?;
    Ok(())
}

/// The meetings of every group `user_id` leads or is a member of with the current agreement
/// accepted, for their personal calendar
/// feed. The title is neutral ("Intervisie"): a calendar is often shared, so no group name
/// or theme.
pub async fn meeting_events(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<Event>, ServiceError> {
    let mut group_ids: Vec<i32> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    group_ids.extend(
        group_facilitator::Entity::find()
            .select_only()
            .column(group_facilitator::Column::GroupId)
            .filter(group_facilitator::Column::UserId.eq(user_id))
            .into_tuple::<i32>()
            .all(db)
            .await?,
    );
    // Only where the person stands inside the group: a member who has not accepted the
    // current agreement gets no meetings (nor their online links).
    let mut inside = Vec::new();
    for group_id in group_ids {
        let relation = crate::intervision::service::access::standing(db, group_id, user_id)
            .await?
            .map(|standing| standing.relation());
        if relation.is_some_and(|relation| relation != crate::identity::access::Relation::Unrelated)
            && !inside.contains(&group_id)
        {
            inside.push(group_id);
        }
    }
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::GroupId.is_in(inside))
        .filter(meeting::Column::Cancelled.eq(false))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    Ok(meetings.iter().map(meeting_event).collect())
}

/// A meeting as a calendar event: "Intervisie", never the group's name or theme (a calendar
/// is often shared), the same UID wherever it appears.
fn meeting_event(row: &meeting::Model) -> Event {
    crate::ics::event(
        crate::ics::EventText {
            uid_local: format!("intervision-meeting-{}", row.id),
            summary: "Intervisie",
            location: &row.location,
            link: row.online_link.as_deref(),
            sequence: row.sequence,
        },
        row.starts_at,
        row.ends_at,
    )
}

/// What happened to meetings of a group, for the notice to its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingNews {
    Planned,
    Moved,
    Cancelled,
    Restored,
}

/// Tells the group's members who accepted its current agreement what happened to `rows`: a
/// mail without the group's name, theme or anyone's name, and the invitation for their
/// calendar (the same UID; `Cancelled` as a `METHOD:CANCEL`). How many were told.
async fn tell_members(
    db: &impl ConnectionTrait,
    group_id: i32,
    news: MeetingNews,
    rows: &[meeting::Model],
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    use crate::messaging::model::MailKind;
    use crate::messaging::rules::MailContent;
    use crate::messaging::service::outbox::{NewMail, queue_for_user};
    if rows.is_empty() {
        return Ok(0);
    }
    let (subject, lead, method) = match news {
        MeetingNews::Planned => (
            "Nieuwe bijeenkomsten van uw intervisiegroep",
            "Er zijn bijeenkomsten van uw intervisiegroep gepland. De data staan in de bijlage, voor uw agenda.",
            crate::ics::Method::Request,
        ),
        MeetingNews::Moved => (
            "Bijeenkomst verplaatst",
            "Een bijeenkomst van uw intervisiegroep is verplaatst. De bijlage zet de nieuwe tijd in uw agenda.",
            crate::ics::Method::Request,
        ),
        MeetingNews::Cancelled => (
            "Bijeenkomst afgelast",
            "Een bijeenkomst van uw intervisiegroep gaat niet door. Met de bijlage haalt u haar uit uw agenda.",
            crate::ics::Method::Cancel,
        ),
        MeetingNews::Restored => (
            "Bijeenkomst gaat toch door",
            "Een afgelaste bijeenkomst van uw intervisiegroep gaat toch door. De bijlage zet haar weer in uw agenda.",
            crate::ics::Method::Request,
        ),
    };
    let mut calendar = crate::ics::calendar_with_method("Intervisie", method);
    for row in rows {
        let event = meeting_event(row);
        calendar.push(match method {
            crate::ics::Method::Cancel => crate::ics::cancelled(event),
            crate::ics::Method::Request => event,
        });
    }
    let calendar = calendar.done().to_string();
    let when: Vec<(String, String)> = rows
        .iter()
        .map(|row| ("Wanneer".to_owned(), when_nl(row)))
        .collect();
    let members = crate::intervision::service::groups::members_who_agreed(db, group_id).await?;
    for member in &members {
        let mail = NewMail {
            kind: MailKind::IntervisionMeeting,
            subject: subject.to_owned(),
            content: MailContent::default()
                .paragraph(lead)
                .facts(when.clone())
                .link("Naar uw intervisiegroepen", "/intervisie"),
            calendar: Some(calendar.clone()),
        };
        queue_for_user(db, *member, mail, now).await?;
    }
    Ok(members.len())
}

/// The attendance list of a meeting: every member, with what was recorded.
pub async fn attendance_rows(
    db: &impl ConnectionTrait,
    group_id: i32,
    meeting_id: i32,
    now: DateTime<Utc>,
) -> Result<(MeetingView, Vec<(i32, String, Option<Attendance>)>), ServiceError> {
    let row = find_meeting(db, group_id, meeting_id).await?;
    let members = member_ids(db, group_id, Reach::Everyone).await?;
    let recorded = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?;
    let labels = account_labels(db, members.iter().copied()).await?;
    let mut rows: Vec<(i32, String, Option<Attendance>)> = members
        .into_iter()
        .map(|id| {
            let status = recorded.iter().find(|r| r.user_id == id).map(|r| r.status);
            (id, labels.get(&id).cloned().unwrap_or_default(), status)
        })
        .collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    Ok((view_of(&row, now), rows))
}

/// Records attendance at a meeting that has begun; only for the group's members.
pub async fn record_attendance(
    db: &DatabaseConnection,
    group_id: i32,
    meeting_id: i32,
    marks: &[(i32, Attendance)],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let row = find_meeting(&*txn, group_id, meeting_id).await?;
    if row.starts_at > now || row.cancelled {
        return Err(ServiceError::Invalid(
            "Aanwezigheid vult u in als de bijeenkomst begonnen is.".into(),
        ));
    }
    // The record is what was noted at the time, not rewritten months later.
    // A meeting an admin recorded afterwards: from when it was recorded.
    let window_from = row
        .recorded_late_at
        .map_or(row.ends_at, |at| at.max(row.ends_at));
    if now > window_from + chrono::Duration::days(ATTENDANCE_DAYS) {
        return Err(ServiceError::Invalid(format!(
            "Aanwezigheid legt u vast tot {ATTENDANCE_DAYS} dagen na de bijeenkomst; daarna ligt ze vast."
        )));
    }
    for (user_id, status) in marks {
        if group_member::Entity::find_by_id((group_id, *user_id))
            .one(&*txn)
            .await?
            .is_none()
        {
            continue;
        }
        // An unchanged mark writes nothing.
        match meeting_attendance::Entity::find_by_id((meeting_id, *user_id))
            .one(&*txn)
            .await?
        {
            Some(stored) if stored.status == *status => {}
            Some(stored) => {
                let mut changed: meeting_attendance::ActiveModel = stored.into();
                changed.status = Set(*status);
                changed.update(&*txn).await?;
            }
            None => {
                meeting_attendance::ActiveModel {
                    meeting_id: Set(meeting_id),
                    user_id: Set(*user_id),
                    status: Set(*status),
                }
                .insert(&*txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// `user_id`'s intervision record: per group the meetings they attended as a member, and per
/// group they lead the meetings held (a facilitator's own hours), with the group's size, the
/// methods it used and its facilitators; their register numbers and who issues it. No
/// content of any dilemma.
pub async fn record_of(
    db: &impl ConnectionTrait,
    user_id: i32,
    name: String,
    issued_by: &str,
    now: DateTime<Utc>,
) -> Result<IntervisionRecord, ServiceError> {
    let attended: Vec<i32> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::UserId.eq(user_id))
        .filter(meeting_attendance::Column::Status.eq(Attendance::Present))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.meeting_id)
        .collect();
    let as_member = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(attended))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let led: Vec<i32> = group_facilitator::Entity::find()
        .select_only()
        .column(group_facilitator::Column::GroupId)
        .filter(group_facilitator::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    // A facilitator's hours: the meetings of their groups that were held.
    let as_facilitator = meeting::Entity::find()
        .filter(meeting::Column::GroupId.is_in(led.clone()))
        .filter(meeting::Column::Cancelled.eq(false))
        .filter(meeting::Column::EndsAt.lte(now))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let mut groups = Vec::new();
    let mut total = 0;
    for (meetings, leading) in [(&as_member, false), (&as_facilitator, true)] {
        let mut group_ids: Vec<i32> = meetings.iter().map(|m| m.group_id).collect();
        group_ids.sort_unstable();
        group_ids.dedup();
        for group in group::Entity::find()
            .filter(group::Column::Id.is_in(group_ids))
            .order_by_asc(group::Column::Name)
            .all(db)
            .await?
        {
            let mine: Vec<&meeting::Model> =
                meetings.iter().filter(|m| m.group_id == group.id).collect();
            let minutes: i64 = mine
                .iter()
                .map(|m| (m.ends_at - m.starts_at).num_minutes())
                .sum();
            total += minutes;
            groups.push(record_group(db, group, &mine, minutes, leading).await?);
        }
    }
    let register_numbers =
        crate::identity::service::accounts::register_numbers_of(db, user_id).await?;
    Ok(IntervisionRecord {
        name,
        register_numbers,
        groups,
        total_hours: hours_nl(total),
        issued_by: issued_by.to_owned(),
        issued_on: format_date_nl(amsterdam_date(now)),
    })
}

/// One group on a record: its size, methods and facilitators beside the meetings.
async fn record_group(
    db: &impl ConnectionTrait,
    group: group::Model,
    meetings: &[&meeting::Model],
    minutes: i64,
    as_facilitator: bool,
) -> Result<RecordGroup, ServiceError> {
    use crate::intervision::entity::dilemma;
    let facilitator_ids = facilitator_ids(db, group.id, Reach::Everyone).await?;
    let size = facilitator_ids.len() + member_ids(db, group.id, Reach::Everyone).await?.len();
    let mut facilitators: Vec<String> = account_labels(db, facilitator_ids)
        .await?
        .into_values()
        .collect();
    facilitators.sort();
    let mut methods: Vec<String> = dilemma::Entity::find()
        .select_only()
        .column(dilemma::Column::Method)
        .filter(dilemma::Column::GroupId.eq(group.id))
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        // Agendas keep the methods used after their dilemmas are gone.
        .chain(methods_used(db, meetings.iter().map(|m| m.id)).await?)
        .filter_map(|slug| {
            crate::intervision::rules::methods::method(&slug).map(|m| m.name.to_owned())
        })
        .collect();
    methods.sort();
    methods.dedup();
    Ok(RecordGroup {
        name: group.name,
        as_facilitator,
        size: u32::try_from(size).unwrap_or(u32::MAX),
        methods,
        facilitators,
        meetings: meetings
            .iter()
            .map(|m| {
                (
                    format_date_nl(amsterdam_date(m.starts_at)),
                    format!("{}–{}", clock(m.starts_at), clock(m.ends_at)),
                )
            })
            .collect(),
        hours: hours_nl(minutes),
    })
}

/// The slugs of the methods used on the agendas of these meetings (for the record).
pub async fn methods_used(
    db: &impl ConnectionTrait,
    meeting_ids: impl IntoIterator<Item = i32>,
) -> Result<Vec<String>, ServiceError> {
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.is_in(meeting_ids))
        .filter(agenda_item::Column::Method.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|item| item.method)
        .collect())
}
