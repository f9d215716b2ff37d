//! Kinds and states of jobs and mail, and what the outbox page receives.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::vocabulary! {
    /// Timed work the job runner knows how to do; `subject_id` names what it concerns.
    pub enum JobKind {
        /// Send one mail from the outbox (subject: the mail).
        SendMail = ("send_mail", "E-mail versturen"),
        /// An offered seat whose deadline has come (subject: the enrolment).
        ExpireOffer = ("expire_offer", "Aanbod laten verlopen"),
        /// A few days before the first session (subject: the enrolment).
        SessionReminder = ("session_reminder", "Herinnering eerste bijeenkomst"),
        /// A week before the first session, when the preparation course is unfinished
        /// (subject: the enrolment).
        PreparationReminder = ("preparation_reminder", "Herinnering voorbereiding"),
        /// Daily: intervision content past its group's retention period goes (subject: 0).
        IntervisionRetention = ("intervision_retention", "Bewaartermijn intervisie"),
        /// Daily: attendance and certificates of runs closed more than five years ago go
        /// (subject: 0).
        TrainingRecordsRetention = ("training_records_retention", "Bewaartermijn presentie en certificaten"),
        /// Daily: owners of documents whose review date nears or passed (subject: 0).
        ReviewReminders = ("review_reminders", "Herinneringen controledatum"),
        /// Weekly: the editors' digest of overdue documents (subject: 0).
        EditorialDigest = ("editorial_digest", "Overzicht voor de redactie"),
    }
}

crate::vocabulary! {
    pub enum JobState {
        Pending = ("pending", "Wacht"),
        Running = ("running", "Bezig"),
        Done = ("done", "Klaar"),
        Failed = ("failed", "Mislukt"),
    }
}

crate::vocabulary! {
    /// Why a mail was written; the outbox page shows the label, never the text.
    pub enum MailKind {
        EnrolmentConfirmed = ("enrolment_confirmed", "Inschrijving bevestigd"),
        Waitlisted = ("waitlisted", "Op de wachtlijst"),
        SeatOffered = ("seat_offered", "Plaats aangeboden"),
        OfferExpired = ("offer_expired", "Aanbod verlopen"),
        RequestReceived = ("request_received", "Aanvraag ontvangen"),
        NewRequest = ("new_request", "Nieuwe aanvraag (aan de trainers)"),
        RequestApproved = ("request_approved", "Aanvraag goedgekeurd"),
        RequestRejected = ("request_rejected", "Aanvraag afgewezen"),
        EnrolmentCancelled = ("enrolment_cancelled", "Afmelding"),
        RunCancelled = ("run_cancelled", "Uitvoering geannuleerd"),
        SessionChanged = ("session_changed", "Bijeenkomst gewijzigd"),
        RunMessage = ("run_message", "Bericht aan een uitvoering"),
        SessionReminder = ("session_reminder", "Herinnering eerste bijeenkomst"),
        PreparationReminder = ("preparation_reminder", "Herinnering voorbereiding"),
        CertificateAvailable = ("certificate_available", "Certificaat beschikbaar"),
        IntervisionNews = ("intervision_news", "Nieuws in een intervisiegroep"),
        IntervisionInvitation = ("intervision_invitation", "Uitnodiging voor een intervisiegroep"),
        IntervisionMeeting = ("intervision_meeting", "Bijeenkomst van een intervisiegroep"),
        IntervisionActionPoint = ("intervision_action_point", "Actiepunt toegekend"),
        IntervisionMembership = ("intervision_membership", "Toegevoegd aan een intervisiegroep"),
        IntervisionAgreement = ("intervision_agreement", "Afspraken van een intervisiegroep gewijzigd"),
        ReviewReminder = ("review_reminder", "Herinnering controledatum"),
        EditorialDigest = ("editorial_digest", "Overzicht voor de redactie"),
    }
}

crate::vocabulary! {
    pub enum MailState {
        Queued = ("queued", "In de wachtrij"),
        Sent = ("sent", "Verstuurd"),
        Failed = ("failed", "Mislukt"),
    }
}

/// One mail as the outbox page lists it: what kind, to whom, how it went. Not its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: i32,
    pub kind: MailKind,
    pub recipient: String,
    pub state: MailState,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The outbox page: counts over everything kept, the newest mails first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
    pub mails: Vec<MailRow>,
    /// Whether a mail server is configured; without one, mail stays queued.
    pub smtp_configured: bool,
    /// A message after a form post ("opnieuw in de wachtrij").
    pub notice: Option<String>,
}

/// How many mails the outbox page lists.
pub const OUTBOX_PAGE_SIZE: u64 = 200;

/// Messaging's admin pages (see `identity::model::AdminPage`).
pub const ADMIN_PAGES: [crate::identity::model::AdminPage; 1] =
    [crate::identity::model::AdminPage {
        action: crate::identity::access::Action::ViewOutbox,
        href: "/beheer/mail",
        label: "E-mail",
    }];
