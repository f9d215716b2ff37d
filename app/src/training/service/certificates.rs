//! Closing a run and its certificates: everyone who meets the completion rule gets one, with
//! what it certifies fixed on the day; a public page verifies a code; admins revoke with a
//! reason (audited); the accreditation exports per register.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::dates::{amsterdam_date, format_date_nl, hours_nl};
use crate::error::ServiceError;
use crate::identity::entity::{register_number, user};
use crate::identity::model::AuditEventKind;
use crate::identity::rules::Register;
use crate::identity::service::audit::{NewAuditEvent, record};
use crate::identity::service::labels::account_labels;
use crate::training::entity::certificate::{self, CertifiedPoints};
use crate::training::entity::{run, run_session, run_trainer, session_attendance};
use crate::training::model::certificate_code;
use crate::training::model::facts::tenths_nl;
use crate::training::model::{
    CertificateSummary, CertifiedPoint, RunCompletion, VerifiedCertificate,
};
use crate::training::service::attendance::{completion_of, confirmed_participants};
use crate::training::service::calendar::{sessions_of, title_of};
use crate::training::service::catalogue::training_facts;

/// How one run's closing went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub issued: usize,
    /// Confirmed participants who did not meet the rule (they see why on their page).
    pub not_met: usize,
}

/// A new verification code, readable aloud (see `certificate_code`).
fn new_code() -> Result<String, ServiceError> {
    certificate_code::new_code()
        .ok_or_else(|| ServiceError::Corrupt("certificate code alphabet".into()))
}

/// The register a training's accreditation line names ("SKJ", "BIG/V&VN"), if the profile
/// knows it.
pub fn register_named(name: &str) -> Option<Register> {
    let name = name.trim().to_lowercase();
    Register::ALL.into_iter().find(|register| {
        register != &Register::Anders
            && (name == register.slug()
                || name == register.label().to_lowercase()
                || name.starts_with(&format!("{}/", register.slug())))
    })
}

/// "4 maart 2027 en 18 maart 2027": each day with a session, in order.
fn dates_of(sessions: &[run_session::Model]) -> String {
    let mut days: Vec<chrono::NaiveDate> = sessions.iter().map(|s| s.date).collect();
    // Two sessions on one day are one date.
    days.dedup();
    let dates: Vec<String> = days.into_iter().map(format_date_nl).collect();
    match dates.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

/// The trainers' names (their login subjects while they have no account).
async fn trainer_names(db: &impl ConnectionTrait, run_id: i32) -> Result<String, ServiceError> {
    let subjects: Vec<String> = run_trainer::Entity::find()
        .select_only()
        .column(run_trainer::Column::Subject)
        .filter(run_trainer::Column::RunId.eq(run_id))
        .into_tuple()
        .all(db)
        .await?;
    let accounts = user::Entity::find()
        .filter(user::Column::Subject.is_in(subjects.clone()))
        .all(db)
        .await?;
    let mut names: Vec<String> = subjects
        .iter()
        .map(|subject| {
            accounts
                .iter()
                .find(|a| &a.subject == subject)
                .and_then(|a| a.display_name.clone())
                .unwrap_or_else(|| subject.clone())
        })
        .collect();
    names.sort();
    Ok(names.join(", "))
}

/// What every certificate of one run shares: taken once per closing.
struct RunFacts {
    facts: crate::training::model::facts::TrainingFacts,
    title: String,
    trainers: String,
    dates: String,
}

impl RunFacts {
    async fn of(db: &impl ConnectionTrait, run: &run::Model) -> Result<Self, ServiceError> {
        let sessions = sessions_of(db, run.id).await?;
        Ok(Self {
            facts: training_facts(db, &run.training_slug).await?,
            title: title_of(db, &run.training_slug).await?,
            trainers: trainer_names(db, run.id).await?,
            dates: dates_of(&sessions),
        })
    }

    /// Issues `user_id`'s certificate for `run` with `net_minutes` attended; its code. By hand
    /// (`Issue::ByHand`), for someone who did not meet the rule, a register that counts per
    /// hour gets the hours attended (whole hours, never more than the training's points).
    async fn issue(
        &self,
        db: &impl ConnectionTrait,
        run: &run::Model,
        user_id: i32,
        net_minutes: i64,
        how: Issue,
        now: DateTime<Utc>,
    ) -> Result<String, ServiceError> {
        let numbers = register_number::Entity::find()
            .filter(register_number::Column::UserId.eq(user_id))
            .all(db)
            .await?;
        let points = self
            .facts
            .accreditation
            .iter()
            .map(|line| CertifiedPoint {
                register: line.register.clone(),
                points: tenths_nl(points_for(line, net_minutes, how)),
                number: register_named(&line.register).and_then(|register| {
                    numbers
                        .iter()
                        .find(|n| n.register == register.slug())
                        .map(|n| n.number.clone())
                }),
            })
            .collect();
        let name = account_labels(db, [user_id])
            .await?
            .remove(&user_id)
            .unwrap_or_default();
        let code = new_code()?;
        certificate::ActiveModel {
            code: Set(code.clone()),
            user_id: Set(Some(user_id)),
            run_id: Set(run.id),
            participant_name: Set(name),
            training_title: Set(self.title.clone()),
            dates: Set(self.dates.clone()),
            net_minutes: Set(net_minutes as i32),
            points: Set(CertifiedPoints(points)),
            trainers: Set(self.trainers.clone()),
            issued_at: Set(now),
            revoked_at: Set(None),
            revoked_reason: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(code)
    }
}

/// How a certificate comes about: the completion rule met at closing, or by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Issue {
    AtClosing,
    ByHand,
}

/// The points of one accreditation line: the training's, or, by hand for a register that
/// counts per hour, one point per whole hour attended up to the training's.
fn points_for(
    line: &crate::training::model::facts::Accreditation,
    net_minutes: i64,
    how: Issue,
) -> crate::training::model::facts::Tenths {
    let per_hour = register_named(&line.register).is_some_and(Register::counts_per_hour);
    if how == Issue::AtClosing || !per_hour {
        return line.points;
    }
    let whole_hours = u32::try_from(net_minutes.max(0) / 60).unwrap_or(u32::MAX);
    line.points.min(whole_hours.saturating_mul(10))
}

/// The run, locked, once its last session has begun.
async fn past_run(
    db: &impl ConnectionTrait,
    run_id: i32,
    now: DateTime<Utc>,
) -> Result<run::Model, ServiceError> {
    let run = run::Entity::find_by_id(run_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // After the last session has ended (Amsterdam time), not merely on its day: otherwise the
    // certificates are decided on a register that is still being filled.
    if crate::training::service::calendar::run_span(db, run.id)
        .await?
        .is_none_or(|(_, last_end)| last_end > now)
    {
        return Err(ServiceError::Invalid(
            "Dat kan nadat de laatste bijeenkomst van de uitvoering is afgelopen.".into(),
        ));
    }
    Ok(run)
}

/// Closes `run` after its last session: a certificate for each confirmed participant who
/// meets the completion rule. Closing twice is refused.
pub async fn close_run(
    db: &DatabaseConnection,
    run: &run::Model,
    now: DateTime<Utc>,
) -> Result<Closing, ServiceError> {
    let txn = crate::db::begin_write(db).await?;
    let run = past_run(&*txn, run.id, now).await?;
    if run.closed_at.is_some() {
        return Err(ServiceError::Invalid(
            "Deze uitvoering is al afgesloten.".into(),
        ));
    }
    let shared = RunFacts::of(&*txn, &run).await?;
    let mut closing = Closing {
        issued: 0,
        not_met: 0,
    };
    for user_id in confirmed_participants(&*txn, run.id).await? {
        let completion = completion_of(&*txn, &run, user_id).await?;
        if !completion.is_complete() {
            closing.not_met += 1;
            continue;
        }
        shared
            .issue(
                &*txn,
                &run,
                user_id,
                completion.attended_minutes,
                Issue::AtClosing,
                now,
            )
            .await?;
        crate::training::service::mails::tell(
            &*txn,
            user_id,
            &run,
            crate::training::service::mails::News::CertificateAvailable,
            now,
        )
        .await?;
        closing.issued += 1;
    }
    let mut closed: run::ActiveModel = run.into();
    closed.closed_at = Set(Some(now));
    closed.update(&*txn).await?;
    txn.commit().await?;
    Ok(closing)
}

/// An admin issues a certificate by hand to a confirmed participant of a closed run who has
/// none (e.g. who made up a missed part elsewhere), with a reason of at least 10 characters,
/// in the audit log. It certifies the hours actually attended.
pub async fn issue_by_hand(
    db: &DatabaseConnection,
    run: &run::Model,
    user_id: i32,
    reason: &str,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    if reason.trim().chars().count() < 10 {
        return Err(ServiceError::Invalid(
            "Geef een reden van minstens 10 tekens.".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let run = past_run(&*txn, run.id, now).await?;
    if run.closed_at.is_none() {
        return Err(ServiceError::Invalid(
            "Sluit eerst de uitvoering af; daarna kunt u een certificaat met de hand uitgeven."
                .into(),
        ));
    }
    if !confirmed_participants(&*txn, run.id)
        .await?
        .contains(&user_id)
    {
        return Err(ServiceError::NotFound);
    }
    let has_one = certificate::Entity::find()
        .filter(certificate::Column::RunId.eq(run.id))
        .filter(certificate::Column::UserId.eq(user_id))
        .one(&*txn)
        .await?
        .is_some();
    if has_one {
        return Err(ServiceError::Invalid(
            "Deze deelnemer heeft al een certificaat voor deze uitvoering.".into(),
        ));
    }
    let attended = completion_of(&*txn, &run, user_id).await?.attended_minutes;
    let code = RunFacts::of(&*txn, &run)
        .await?
        .issue(&*txn, &run, user_id, attended, Issue::ByHand, now)
        .await?;
    record(
        &*txn,
        NewAuditEvent {
            event: AuditEventKind::CertificateIssued,
            actor_user_id: Some(admin),
            subject_user_id: Some(user_id),
            detail: &format!("run={} reason={}", run.id, reason.trim()),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(code)
}

/// Confirmed participants of `run` without a certificate, `(account id, name)`.
pub async fn without_certificate(
    db: &impl ConnectionTrait,
    run_id: i32,
) -> Result<Vec<(i32, String)>, ServiceError> {
    let certified: Vec<Option<i32>> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::UserId)
        .filter(certificate::Column::RunId.eq(run_id))
        .into_tuple()
        .all(db)
        .await?;
    let missing: Vec<i32> = confirmed_participants(db, run_id)
        .await?
        .into_iter()
        .filter(|id| !certified.contains(&Some(*id)))
        .collect();
    let labels = account_labels(db, missing.iter().copied()).await?;
    let mut people: Vec<(i32, String)> = missing
        .into_iter()
        .map(|id| (id, labels.get(&id).cloned().unwrap_or_default()))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(people)
}

/// Attendance, closing and exports of `run`, for its management page.
pub async fn run_completion(
    db: &impl ConnectionTrait,
    run: &run::Model,
    now: DateTime<Utc>,
) -> Result<RunCompletion, ServiceError> {
    let sessions = sessions_of(db, run.id).await?;
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::RunId.eq(run.id))
        .count(db)
        .await? as u32;
    let dates = session_dates(&sessions);
    let mut registers = Vec::new();
    let records_kept = run.records_deleted_at.is_none();
    if run.closed_at.is_some() && records_kept {
        for line in training_facts(db, &run.training_slug).await?.accreditation {
            let apart = register_export(db, run, &line.register)
                .await?
                .without_number;
            registers.push((line.register, dates.clone(), apart));
        }
    }
    Ok(RunCompletion {
        sessions: sessions
            .iter()
            .map(|s| {
                (
                    s.id,
                    format!("{}, {}–{}", format_date_nl(s.date), s.starts_at, s.ends_at),
                )
            })
            .collect(),
        closed: run.closed_at.is_some(),
        certificates,
        registers,
        evaluation: crate::training::service::evaluations::summary(db, run.id, now).await?,
        without_certificate: if run.closed_at.is_some() && records_kept {
            without_certificate(db, run.id).await?
        } else {
            Vec::new()
        },
        may_issue: false,
        records_deleted_on: run
            .records_deleted_at
            .map(|at| format_date_nl(amsterdam_date(at))),
    })
}

/// The certificate with this code, if there is one.
pub async fn find_certificate(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<certificate::Model, ServiceError> {
    // A code as typed ("7kq2 9xmp…") in its stored form, or an older code as it is.
    let typed = code.trim();
    let candidates: Vec<String> = certificate_code::normalised(typed)
        .into_iter()
        .chain([typed.to_owned()])
        .collect();
    certificate::Entity::find()
        .filter(certificate::Column::Code.is_in(candidates))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The certificate `user_id` holds under `code`, to download. Someone else's is "not found"
/// (no hint that the code exists); a revoked one is no longer handed out as if it were valid.
pub async fn holders_certificate(
    db: &impl ConnectionTrait,
    code: &str,
    user_id: i32,
) -> Result<certificate::Model, ServiceError> {
    let found = find_certificate(db, code).await?;
    if found.user_id != Some(user_id) {
        return Err(ServiceError::NotFound);
    }
    if let Some(revoked_at) = found.revoked_at {
        return Err(ServiceError::Withdrawn {
            kind: "Certificaat",
            title: found.training_title,
            reason: format!(
                "het certificaat is op {} ingetrokken en is niet meer geldig.",
                format_date_nl(amsterdam_date(revoked_at))
            ),
        });
    }
    Ok(found)
}

/// What anyone may see of a certificate: valid or revoked, name, training, dates, hours.
pub async fn verify(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<VerifiedCertificate, ServiceError> {
    let found = find_certificate(db, code).await?;
    Ok(VerifiedCertificate {
        valid: found.revoked_at.is_none(),
        participant_name: found.participant_name,
        training_title: found.training_title,
        dates: found.dates,
        hours: hours_nl(i64::from(found.net_minutes)),
    })
}

/// `user_id`'s certificates, newest first.
pub async fn certificates_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<CertificateSummary>, ServiceError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .order_by_desc(certificate::Column::IssuedAt)
        .all(db)
        .await?
        .into_iter()
        .map(summary_of)
        .collect())
}

/// A certificate as lists show it.
pub(crate) fn summary_of(c: certificate::Model) -> CertificateSummary {
    CertificateSummary {
        code: c.code,
        training_title: c.training_title,
        dates: c.dates,
        hours: hours_nl(i64::from(c.net_minutes)),
        revoked: c.revoked_at.is_some(),
    }
}

/// `user_id`'s certificates (with their codes and register numbers) and recorded attendance,
/// for the personal-data export.
pub async fn certificates_export(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<serde_json::Value, ServiceError> {
    let certificates: Vec<serde_json::Value> = certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "training": c.training_title,
                "data": c.dates,
                "uren": hours_nl(i64::from(c.net_minutes)),
                "punten": c.points.0,
                "uitgegeven": c.issued_at,
                "ingetrokken": c.revoked_at,
            })
        })
        .collect();
    let marks = session_attendance::Entity::find()
        .filter(session_attendance::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let sessions = run_session::Entity::find()
        .filter(run_session::Column::Id.is_in(marks.iter().map(|m| m.session_id)))
        .all(db)
        .await?;
    let attendance: Vec<serde_json::Value> = marks
        .iter()
        .map(|m| {
            let date = sessions
                .iter()
                .find(|s| s.id == m.session_id)
                .map(|s| s.date.to_string());
            serde_json::json!({ "datum": date, "status": m.status.label(), "minuten": m.minutes })
        })
        .collect();
    Ok(serde_json::json!({ "certificaten": certificates, "aanwezigheid": attendance }))
}

/// An admin revokes a certificate with a reason of at least 10 characters (audited); the
/// verification page then says it is revoked.
pub async fn revoke(
    db: &DatabaseConnection,
    code: &str,
    reason: &str,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(ServiceError::Invalid(
            "Geef een reden van minstens 10 tekens.".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let found = find_certificate(&*txn, code).await?;
    if found.revoked_at.is_some() {
        return Err(ServiceError::Invalid(
            "Dit certificaat is al ingetrokken.".into(),
        ));
    }
    let subject = found.user_id;
    let id = found.id;
    let mut revoked: certificate::ActiveModel = found.into();
    revoked.revoked_at = Set(Some(now));
    revoked.revoked_reason = Set(Some(reason.to_owned()));
    revoked.update(&*txn).await?;
    record(
        &*txn,
        NewAuditEvent {
            event: AuditEventKind::CertificateRevoked,
            actor_user_id: Some(admin),
            subject_user_id: subject,
            detail: &format!("certificate={id}"),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One register's numbers per session date of a run, as PE-online's "Importeren" takes
/// them (one number per line), and the participants without a number for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterExport {
    pub register: String,
    /// `(session date "2027-03-04", numbers)`, a date once even with two sessions on it; a
    /// participant is listed for a date they attended a session on (present, late or left
    /// early).
    pub per_session: Vec<(String, Vec<String>)>,
    /// `(name, register number, dates, hours, points)` per certified participant.
    pub certified: Vec<(String, String, String, String, String)>,
    pub without_number: Vec<String>,
}

/// The accreditation export of `run` for the register named `register` (as the training's
/// accreditation names it): built from the certificates the run gave.
pub async fn register_export(
    db: &impl ConnectionTrait,
    run: &run::Model,
    register: &str,
) -> Result<RegisterExport, ServiceError> {
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::RunId.eq(run.id))
        .filter(certificate::Column::RevokedAt.is_null())
        .order_by_asc(certificate::Column::ParticipantName)
        .all(db)
        .await?;
    let sessions = sessions_of(db, run.id).await?;
    let mut export = RegisterExport {
        register: register.to_owned(),
        per_session: session_dates(&sessions)
            .into_iter()
            .map(|date| (date, Vec::new()))
            .collect(),
        certified: Vec::new(),
        without_number: Vec::new(),
    };
    for found in certificates {
        let Some(line) = found.points.0.iter().find(|p| p.register == register) else {
            return Err(ServiceError::NotFound);
        };
        let Some(number) = line.number.clone() else {
            export.without_number.push(found.participant_name.clone());
            continue;
        };
        if let Some(user_id) = found.user_id {
            let attended: Vec<i32> = session_attendance::Entity::find()
                .select_only()
                .column(session_attendance::Column::SessionId)
                .filter(session_attendance::Column::UserId.eq(user_id))
                .filter(session_attendance::Column::SessionId.is_in(sessions.iter().map(|s| s.id)))
                .filter(session_attendance::Column::Status.is_in([
                    crate::training::model::SessionPresence::Present,
                    crate::training::model::SessionPresence::Late,
                    crate::training::model::SessionPresence::LeftEarly,
                ]))
                .into_tuple()
                .all(db)
                .await?;
            for (date, numbers) in export.per_session.iter_mut() {
                let attended_that_day = sessions
                    .iter()
                    .any(|s| attended.contains(&s.id) && iso_date(s) == *date);
                if attended_that_day {
                    numbers.push(number.clone());
                }
            }
        }
        export.certified.push((
            found.participant_name.clone(),
            number,
            found.dates.clone(),
            hours_nl(i64::from(found.net_minutes)),
            line.points.clone(),
        ));
    }
    Ok(export)
}

/// The dates a run meets on, in order, each once: PE-online registers attendance per date, so
/// a morning and an afternoon session on one day are one list.
fn session_dates(sessions: &[run_session::Model]) -> Vec<String> {
    let mut dates: Vec<String> = Vec::new();
    for session in sessions {
        let date = iso_date(session);
        if !dates.contains(&date) {
            dates.push(date);
        }
    }
    dates
}

/// `2026-12-03`: chrono writes a date as ISO 8601.
fn iso_date(session: &run_session::Model) -> String {
    session.date.to_string()
}

/// The export as CSV for a register without a documented import: UTF-8 with a byte-order
/// mark (so spreadsheet programs read the accents), semicolons, one row per participant.
pub fn register_csv(export: &RegisterExport) -> String {
    let mut file =
        crate::csv_file::CsvFile::new(&["naam", "registratienummer", "data", "uren", "punten"]);
    for (name, number, dates, hours, points) in &export.certified {
        file.row([
            name.as_str(),
            number.as_str(),
            dates.as_str(),
            hours.as_str(),
            points.as_str(),
        ]);
    }
    file.finish()
}

/// PE-online's import for one session date: one registration number per line.
pub fn pe_online_list(export: &RegisterExport, date: &str) -> Option<String> {
    export
        .per_session
        .iter()
        .find(|(session, _)| session == date)
        .map(|(_, numbers)| numbers.iter().map(|n| format!("{n}\n")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::model::facts::Accreditation;

    #[test]
    fn by_hand_a_per_hour_register_counts_the_whole_hours_attended() {
        let line = |register: &str| Accreditation {
            register: register.into(),
            points: 60,
        };
        // 4 h 50 min attended of a 6-point training.
        assert_eq!(points_for(&line("SKJ"), 290, Issue::ByHand), 40);
        assert_eq!(points_for(&line("Registerplein"), 290, Issue::ByHand), 40);
        assert_eq!(points_for(&line("SKJ"), 290, Issue::AtClosing), 60);
        assert_eq!(points_for(&line("BIG/V&VN"), 290, Issue::ByHand), 60);
        assert_eq!(
            points_for(&line("SKJ"), 480, Issue::ByHand),
            60,
            "never more"
        );
    }
}
