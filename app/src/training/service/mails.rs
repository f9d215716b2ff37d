//! What participants are told by mail, and the reminders before a run. Each mail is queued in
//! the transaction of the change it reports (see `messaging`): it names the training, the run
//! and what changed for the recipient, never another person, and links to the page where they
//! act (a GET that changes nothing; the action is a button there).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::dates::{format_date_nl, format_datetime_nl};
use crate::error::ServiceError;
use crate::ics::Method;
use crate::messaging::model::{JobKind, MailKind};
use crate::messaging::rules::MailContent;
use crate::messaging::service::jobs;
use crate::messaging::service::outbox::{self, NewMail};
use crate::training::entity::{enrolment, run, run_session};
use crate::training::model::{EnrolmentStatus, RunStatus, WaitlistReason};
use crate::training::rules::{PREPARATION_REMINDER_DAYS, SESSION_REMINDER_DAYS};
use crate::training::service::calendar::{
    amsterdam_moment, calendar_of_run, invitation_of_sessions, sessions_of, title_of,
};
use crate::training::service::catalogue::training_facts;
use crate::training::service::session_changes::SessionChanges;

/// What happened to someone's enrolment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum News {
    Confirmed,
    Waitlisted {
        position: u32,
        reason: WaitlistReason,
    },
    Offered {
        deadline: DateTime<Utc>,
    },
    OfferExpired,
    /// Approved into a seat (`None`) or onto the waitlist at a position, and why.
    Approved {
        waitlisted_at: Option<(u32, WaitlistReason)>,
    },
    /// A request for a training with approval was received.
    Requested,
    Rejected {
        reason: String,
    },
    Cancelled {
        late: bool,
    },
    /// The run was cancelled; `was_confirmed`: its sessions are in their calendar, and the
    /// mail takes them out.
    RunCancelled {
        reason: String,
        was_confirmed: bool,
    },
    SessionReminder,
    PreparationReminder {
        course: String,
    },
    /// The run was closed and this participant's certificate was issued.
    CertificateAvailable,
}

const MY_TRAININGS: &str = "/mijn/trainingen";

fn session_line(session: &run_session::Model) -> (String, String) {
    (
        format_date_nl(session.date),
        format!(
            "{}–{}, {}",
            session.starts_at, session.ends_at, session.location
        ),
    )
}

/// Who a mail about a training goes to and the training's title: read before a write lock,
/// so that the locked part of a change only does what has to be decided under it.
#[derive(Clone, Debug)]
pub struct Addressee {
    pub recipient: Option<String>,
    pub title: String,
}

impl Addressee {
    pub async fn read(
        db: &impl ConnectionTrait,
        user_id: i32,
        training_slug: &str,
    ) -> Result<Self, ServiceError> {
        Ok(Self {
            recipient: outbox::address_of(db, user_id).await?,
            title: title_of(db, training_slug).await?,
        })
    }
}

/// Queues the mail for `news` to `user_id` about `run`.
pub async fn tell(
    db: &impl ConnectionTrait,
    user_id: i32,
    run: &run::Model,
    news: News,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let addressee = Addressee::read(db, user_id, &run.training_slug).await?;
    tell_addressee(db, addressee, run, news, now).await
}

/// [`tell`] with the addressee already read.
pub async fn tell_addressee(
    db: &impl ConnectionTrait,
    addressee: Addressee,
    run: &run::Model,
    news: News,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mail = mail_of(db, addressee.title, run, news).await?;
    outbox::queue_to(db, addressee.recipient, mail, now).await?;
    Ok(())
}

/// The mail that tells a participant `news` of `run` (of the training titled `title`): read
/// from the database only where it lists the sessions.
pub async fn mail_of(
    db: &impl ConnectionTrait,
    title: String,
    run: &run::Model,
    news: News,
) -> Result<NewMail, ServiceError> {
    let training_path = format!("/trainingen/{}", run.training_slug);
    let mut facts = vec![
        ("Training".to_owned(), title.clone()),
        ("Uitvoering".to_owned(), run.code.clone()),
    ];
    let with_sessions = matches!(
        news,
        News::Confirmed
            | News::Offered { .. }
            | News::Approved {
                waitlisted_at: None
            }
            | News::SessionReminder
    );
    if with_sessions {
        facts.extend(sessions_of(db, run.id).await?.iter().map(session_line));
    }
    let (kind, subject, lead, link) = match &news {
        News::Confirmed => (
            MailKind::EnrolmentConfirmed,
            format!("Ingeschreven: {title}"),
            "U bent ingeschreven. De bijeenkomsten staan hieronder en in de bijlage, voor uw agenda.".to_owned(),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::Waitlisted { position, reason } => (
            MailKind::Waitlisted,
            format!("Op de wachtlijst: {title}"),
            format!("{} U staat op de wachtlijst op plaats {position}. Komt er een plaats vrij, dan bieden we die u aan en krijgt u bericht.", reason.sentence_nl()),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::Offered { deadline } => (
            MailKind::SeatOffered,
            format!("Er is een plaats voor u: {title}"),
            format!("Er is een plaats vrijgekomen en die bieden we u aan. Neem haar aan of sla haar af vóór {}; daarna gaat de plaats naar de volgende op de wachtlijst.", format_datetime_nl(*deadline)),
            ("Aannemen of afslaan", MY_TRAININGS.to_owned()),
        ),
        News::OfferExpired => (
            MailKind::OfferExpired,
            format!("Aanbod verlopen: {title}"),
            "De plaats die we u aanboden is niet op tijd aangenomen en is naar de volgende op de wachtlijst gegaan. U kunt zich opnieuw inschrijven zolang de inschrijving open is.".to_owned(),
            ("Naar de training", training_path.clone()),
        ),
        News::Approved { waitlisted_at: None } => (
            MailKind::RequestApproved,
            format!("Aanvraag goedgekeurd: {title}"),
            "Uw aanvraag is goedgekeurd en u bent ingeschreven. De bijeenkomsten staan hieronder en in de bijlage.".to_owned(),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::Approved { waitlisted_at: Some((position, reason)) } => (
            MailKind::RequestApproved,
            format!("Aanvraag goedgekeurd: {title}"),
            format!("Uw aanvraag is goedgekeurd, maar er is nu geen plaats voor u. {} U staat op de wachtlijst op plaats {position}.", reason.sentence_nl()),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::Requested => (
            MailKind::RequestReceived,
            format!("Aanvraag ontvangen: {title}"),
            "Uw aanvraag is ontvangen. De trainers beoordelen haar; u krijgt bericht zodra zij hebben besloten.".to_owned(),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::CertificateAvailable => (
            MailKind::CertificateAvailable,
            format!("Uw certificaat staat klaar: {title}"),
            "De uitvoering is afgesloten en u heeft aan de eisen voldaan. Uw certificaat staat klaar om te downloaden; wie het wil controleren, gebruikt de controlepagina.".to_owned(),
            ("Naar uw certificaten", format!("{MY_TRAININGS}#certificaten")),
        ),
        News::Rejected { reason } => (
            MailKind::RequestRejected,
            format!("Aanvraag niet toegekend: {title}"),
            format!("Uw aanvraag is helaas niet toegekend. De trainers gaven als reden: {reason}"),
            ("Naar de trainingen", "/trainingen".to_owned()),
        ),
        News::Cancelled { late } => (
            MailKind::EnrolmentCancelled,
            format!("Afgemeld: {title}"),
            if *late {
                "U bent afgemeld. Dat was na de termijn voor kosteloos afmelden en is vastgelegd als late afmelding.".to_owned()
            } else {
                "U bent afgemeld.".to_owned()
            },
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::RunCancelled { reason, .. } => (
            MailKind::RunCancelled,
            format!("Uitvoering geannuleerd: {title}"),
            format!("Deze uitvoering gaat niet door; uw inschrijving is vervallen. Reden: {reason}"),
            ("Andere uitvoeringen", training_path.clone()),
        ),
        News::SessionReminder => (
            MailKind::SessionReminder,
            format!("Binnenkort: {title}"),
            "Een herinnering: de training begint binnenkort. Kunt u niet, meld u dan af, zodat iemand van de wachtlijst uw plaats krijgt.".to_owned(),
            ("Uw trainingen", MY_TRAININGS.to_owned()),
        ),
        News::PreparationReminder { course } => (
            MailKind::PreparationReminder,
            format!("Voorbereiding: {title}"),
            "De training begint over ongeveer een week. U heeft de voorbereidende modules nog niet allemaal afgerond; doe dat vóór de eerste bijeenkomst.".to_owned(),
            ("Naar de voorbereiding", format!("/modules/{course}")),
        ),
    };
    let content = MailContent::default()
        .paragraph(lead)
        .facts(facts)
        .link(link.0, link.1);
    let calendar = match news {
        News::Confirmed
        | News::Approved {
            waitlisted_at: None,
        } => Some(calendar_of_run(db, run, true).await?),
        News::RunCancelled {
            was_confirmed: true,
            ..
        } => Some(invitation_of_sessions(
            &title,
            run,
            &sessions_of(db, run.id).await?,
            Method::Cancel,
        )),
        _ => None,
    };
    Ok(NewMail {
        kind,
        subject,
        content,
        calendar,
    })
}

/// Tells the confirmed participants of `run` what a save changed in its sessions: the new
/// date, time or place beside the old, and an updated invitation for their calendar (the
/// same UID with its SEQUENCE raised; a removed session as a cancellation). Returns how many
/// were told. A run that is not on tells nobody.
pub async fn tell_of_session_changes(
    db: &impl ConnectionTrait,
    run: &run::Model,
    changes: &SessionChanges,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    if changes.is_empty() || run.status != RunStatus::Scheduled || run.closed_at.is_some() {
        return Ok(0);
    }
    let participants: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::RunId.eq(run.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Confirmed))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.user_id)
        .collect();
    if participants.is_empty() {
        return Ok(0);
    }
    let title = title_of(db, &run.training_slug).await?;
    let mut facts = vec![
        ("Training".to_owned(), title.clone()),
        ("Uitvoering".to_owned(), run.code.clone()),
    ];
    for (before, after) in &changes.changed {
        let (day, line) = session_line(before);
        facts.push((format!("Was: {day}"), line));
        let (day, line) = session_line(after);
        let link_note = if before.online_link != after.online_link {
            " (nieuwe link voor de online bijeenkomst, in de bijlage en op uw pagina)"
        } else {
            ""
        };
        facts.push((format!("Wordt: {day}"), format!("{line}{link_note}")));
    }
    for added in &changes.added {
        let (day, line) = session_line(added);
        facts.push((format!("Nieuw: {day}"), line));
    }
    for removed in &changes.removed {
        let (day, line) = session_line(removed);
        facts.push((format!("Vervalt: {day}"), line));
    }
    let updated: Vec<run_session::Model> = changes
        .changed
        .iter()
        .map(|(_, after)| after.clone())
        .chain(changes.added.iter().cloned())
        .collect();
    // One attachment per mail: the updated invitation, and the cancellation apart when
    // sessions were also removed.
    let mut calendars = Vec::new();
    if !updated.is_empty() {
        calendars.push(invitation_of_sessions(
            &title,
            run,
            &updated,
            Method::Request,
        ));
    }
    if !changes.removed.is_empty() {
        calendars.push(invitation_of_sessions(
            &title,
            run,
            &changes.removed,
            Method::Cancel,
        ));
    }
    for user_id in &participants {
        let recipient = outbox::address_of(db, *user_id).await?;
        for (index, calendar) in calendars.iter().enumerate() {
            let content = if index == 0 {
                MailContent::default()
                    .paragraph("De bijeenkomsten van uw training zijn gewijzigd. Hieronder staat wat er verandert; de bijlage werkt uw agenda bij.")
                    .facts(facts.clone())
                    .link("Uw trainingen", MY_TRAININGS)
            } else {
                MailContent::default()
                    .paragraph(
                        "Met deze bijlage haalt u de vervallen bijeenkomst(en) uit uw agenda.",
                    )
                    .facts(facts[..2].to_vec())
                    .link("Uw trainingen", MY_TRAININGS)
            };
            outbox::queue_to(
                db,
                recipient.clone(),
                NewMail {
                    kind: MailKind::SessionChanged,
                    subject: format!("Gewijzigd: {title} ({})", run.code),
                    content,
                    calendar: Some(calendar.clone()),
                },
                now,
            )
            .await?;
        }
    }
    Ok(participants.len())
}

/// Tells the trainers of `run` that a request waits for them: the training and the run, never
/// who asked (that is on the run's page, after login).
pub async fn tell_trainers_of_request(
    db: &impl ConnectionTrait,
    run: &run::Model,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    use crate::identity::entity::user;
    use crate::training::entity::run_trainer;
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let subjects: Vec<String> = run_trainer::Entity::find()
        .select_only()
        .column(run_trainer::Column::Subject)
        .filter(run_trainer::Column::RunId.eq(run.id))
        .into_tuple()
        .all(db)
        .await?;
    let trainers: Vec<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Subject.is_in(subjects))
        .into_tuple()
        .all(db)
        .await?;
    let title = title_of(db, &run.training_slug).await?;
    for trainer in trainers {
        let mail = NewMail {
            kind: MailKind::NewRequest,
            subject: format!("Nieuwe aanvraag: {title}"),
            content: MailContent::default()
                .paragraph("Er is een nieuwe aanvraag die op uw beoordeling wacht.")
                .facts(vec![
                    ("Training".to_owned(), title.clone()),
                    ("Uitvoering".to_owned(), run.code.clone()),
                ])
                .link(
                    "Naar de uitvoering",
                    format!("/trainingen/{}/{}/beheer", run.training_slug, run.code),
                ),
            calendar: None,
        };
        outbox::queue_for_user(db, trainer, mail, now).await?;
    }
    Ok(())
}

/// When the first session of `run` starts (Amsterdam wall-clock time, in UTC).
async fn first_start(
    db: &impl ConnectionTrait,
    run: &run::Model,
) -> Result<Option<DateTime<Utc>>, ServiceError> {
    Ok(sessions_of(db, run.id)
        .await?
        .first()
        .and_then(|first| amsterdam_moment(first.date, &first.starts_at)))
}

/// For a confirmed enrolment: a reminder a few days before the first session, and, when the
/// training has a preparation course, one a week before (sent only if it is unfinished then).
/// Reminders that would fall in the past are not scheduled.
pub async fn schedule_reminders(
    db: &impl ConnectionTrait,
    enrolment_id: i32,
    run: &run::Model,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some(start) = first_start(db, run).await? else {
        return Ok(());
    };
    let session_reminder = start - Duration::days(SESSION_REMINDER_DAYS);
    if session_reminder > now {
        jobs::enqueue(
            db,
            JobKind::SessionReminder,
            enrolment_id,
            session_reminder,
            now,
        )
        .await?;
    }
    let has_preparation = training_facts(db, &run.training_slug)
        .await
        .is_ok_and(|facts| facts.preparation.is_some());
    let preparation_reminder = start - Duration::days(PREPARATION_REMINDER_DAYS);
    if has_preparation && preparation_reminder > now {
        jobs::enqueue(
            db,
            JobKind::PreparationReminder,
            enrolment_id,
            preparation_reminder,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The enrolment and its run, when the enrolment is still confirmed and the run still on.
async fn confirmed(
    db: &impl ConnectionTrait,
    enrolment_id: i32,
) -> Result<Option<(enrolment::Model, run::Model)>, ServiceError> {
    let Some(found) = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .filter(|e| e.status == EnrolmentStatus::Confirmed)
    else {
        return Ok(None);
    };
    Ok(run::Entity::find_by_id(found.run_id)
        .one(db)
        .await?
        .filter(|r| r.status == RunStatus::Scheduled)
        .map(|r| (found, r)))
}

/// The job `session_reminder`: mails the participant if they are still confirmed.
pub async fn send_session_reminder(
    db: &impl ConnectionTrait,
    enrolment_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if let Some((found, run)) = confirmed(db, enrolment_id).await? {
        tell(db, found.user_id, &run, News::SessionReminder, now).await?;
    }
    Ok(())
}

/// The job `preparation_reminder`: mails the participant if they are still confirmed and have
/// not finished the preparation course.
pub async fn send_preparation_reminder(
    db: &impl ConnectionTrait,
    enrolment_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some((found, run)) = confirmed(db, enrolment_id).await? else {
        return Ok(());
    };
    let Some(course) = training_facts(db, &run.training_slug).await?.preparation else {
        return Ok(());
    };
    if crate::knowledge::service::courses::course_completed(db, found.user_id, &course).await? {
        return Ok(());
    }
    tell(
        db,
        found.user_id,
        &run,
        News::PreparationReminder { course },
        now,
    )
    .await
}
