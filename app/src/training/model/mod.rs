//! What the training pages receive from the server: plain data, no database types.

#[cfg(feature = "ssr")]
pub mod certificate_code;
pub mod facts;
#[cfg(feature = "ssr")]
pub mod front_matter;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::training::model::facts::TrainingFacts;
use crate::vocabulary::{Phenomenon, WorkField};

crate::vocabulary! {
    /// Where an enrolment stands. `Requested`, `Confirmed`, `Waitlisted` and `Offered` are
    /// active (one per person per run); the others are ends.
    pub enum EnrolmentStatus {
        Requested = ("requested", "Aangevraagd, wacht op goedkeuring"),
        Confirmed = ("confirmed", "Ingeschreven"),
        Waitlisted = ("waitlisted", "Op de wachtlijst"),
        Offered = ("offered", "Plaats aangeboden"),
        Declined = ("declined", "Aanbod afgeslagen"),
        Expired = ("expired", "Aanbod verlopen"),
        Rejected = ("rejected", "Afgewezen"),
        Cancelled = ("cancelled", "Afgemeld"),
        LateCancelled = ("late_cancelled", "Laat afgemeld"),
    }
}

impl EnrolmentStatus {
    pub fn is_active(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Requested
                | EnrolmentStatus::Confirmed
                | EnrolmentStatus::Waitlisted
                | EnrolmentStatus::Offered
        )
    }

    /// Whether the enrolment holds one of the run's seats.
    pub fn holds_seat(self) -> bool {
        matches!(self, EnrolmentStatus::Confirmed | EnrolmentStatus::Offered)
    }
}

crate::vocabulary! {
    /// What a trainer records per participant per session.
    pub enum SessionPresence {
        Present = ("aanwezig", "Aanwezig"),
        Late = ("te-laat", "Te laat"),
        LeftEarly = ("eerder-weg", "Eerder weg"),
        Excused = ("afgemeld", "Afgemeld"),
        Absent = ("afwezig", "Afwezig"),
    }
}

impl SessionPresence {
    /// Late and left early count minutes off the session.
    pub fn takes_minutes(self) -> bool {
        matches!(self, SessionPresence::Late | SessionPresence::LeftEarly)
    }
}

/// Points for one register on a certificate, with the holder's number there (None: they
/// gave none, so the register cannot be told).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedPoint {
    pub register: String,
    /// "6,5".
    pub points: String,
    pub number: Option<String>,
}

crate::vocabulary! {
    pub enum RunStatus {
        Scheduled = ("scheduled", "Gepland"),
        Cancelled = ("cancelled", "Geannuleerd"),
    }
}

crate::vocabulary! {
    /// Where a run stands on its trainer's overview.
    pub enum RunStage {
        Upcoming = ("upcoming", "Gepland"),
        Underway = ("underway", "Bezig"),
        Ended = ("ended", "Afgelopen, nog niet afgesloten"),
        Closed = ("closed", "Afgesloten"),
        Cancelled = ("cancelled", "Geannuleerd"),
    }
}

impl RunStage {
    /// Still ahead or under way: the trainer's work is not done.
    pub fn is_current(self) -> bool {
        matches!(self, RunStage::Upcoming | RunStage::Underway)
    }
}

/// A run on its trainer's overview (`/mijn/uitvoeringen`): how full it is, what waits for the
/// trainer, and the next session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainerRun {
    pub training_slug: String,
    pub training_title: String,
    pub code: String,
    pub stage: RunStage,
    pub capacity: u32,
    pub seats_taken: u32,
    /// Requests waiting for a trainer's approval.
    pub requests: u32,
    pub waitlisted: u32,
    /// Cancellations after the free-cancellation cut-off.
    #[serde(default)]
    pub late_cancellations: u32,
    /// Marks "afwezig" without a cancellation, over all sessions.
    #[serde(default)]
    pub no_shows: u32,
    pub next_session: Option<SessionView>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

impl TrainerRun {
    /// "8 van 12 plaatsen bezet (67 %)".
    pub fn fill_nl(&self) -> String {
        let percent = match self.capacity {
            0 => 0,
            capacity => (self.seats_taken * 100 + capacity / 2) / capacity,
        };
        format!(
            "{} van {} plaatsen bezet ({percent} %)",
            self.seats_taken, self.capacity
        )
    }
}

crate::vocabulary! {
    /// Which runs the coordinators' overview shows.
    pub enum RunsShown {
        Current = ("actueel", "Komend en bezig"),
        Behind = ("afgelopen", "Afgelopen en geannuleerd"),
    }
}

/// What the coordinators' overview (`/beheer/trainingen`) is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsFilter {
    pub training: Option<String>,
    pub stage: Option<RunsShown>,
    /// From 1.
    pub page: u64,
}

pub const RUNS_PAGE_SIZE: u64 = 25;

/// A session in the coming week, for the coordinators' overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSession {
    pub training_slug: String,
    pub training_title: String,
    pub code: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub location: String,
}

/// One page of runs, current ones first by their next session, then the ones behind us.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsPage {
    pub runs: Vec<TrainerRun>,
    /// Runs under the filter, on every page.
    pub total: u64,
    pub page: u64,
    pub page_count: u64,
}

/// One page of every run, and the sessions of today and the next six days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsOverview {
    pub runs: Vec<TrainerRun>,
    /// Runs under the filter, on every page.
    pub total: u64,
    pub page: u64,
    pub page_count: u64,
    pub this_week: Vec<WeekSession>,
    /// Every training as (slug, title), for the filter.
    pub trainings: Vec<(String, String)>,
}

/// Training's admin pages (see `identity::model::AdminPage`).
pub const ADMIN_PAGES: [crate::identity::model::AdminPage; 2] = [
    crate::identity::model::AdminPage {
        action: crate::identity::access::Action::CoordinateTrainings,
        href: "/beheer/trainingen",
        label: "Trainingen",
    },
    crate::identity::model::AdminPage {
        action: crate::identity::access::Action::CoordinateTrainings,
        href: "/beheer/trainingen/personen",
        label: "Deelnemers zoeken",
    },
];

/// The flash scope of `/mijn/trainingen`.
pub const MY_TRAININGS_SCOPE: &str = "mijn";

/// One session of a run, in Europe/Amsterdam.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub date: NaiveDate,
    /// "09:30"
    pub starts_at: String,
    pub ends_at: String,
    /// A place, or "online".
    pub location: String,
    /// Only for confirmed participants, trainers and admins; None otherwise.
    pub online_link: Option<String>,
}

/// A run as the catalogue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub code: String,
    pub status: RunStatus,
    pub capacity: u32,
    pub seats_left: u32,
    pub waitlisted: u32,
    pub enrolment_opens: NaiveDate,
    pub enrolment_closes: NaiveDate,
    pub sessions: Vec<SessionView>,
    /// What the viewer may do or has done here.
    pub mine: Option<MyEnrolment>,
    pub availability: String,
    pub can_enrol: bool,
    /// Whether the viewer trains this run (or is an admin): the run's management page.
    pub manages: bool,
}

/// A training in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub phenomena: Vec<Phenomenon>,
    pub audience: Vec<WorkField>,
    pub hours: u32,
    pub runs: Vec<RunView>,
}

/// One training with its description and runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingDetail {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub phenomena: Vec<Phenomenon>,
    pub audience: Vec<WorkField>,
    pub facts: TrainingFacts,
    /// Title of the preparation course, when there is one.
    pub preparation_title: Option<String>,
    pub runs: Vec<RunView>,
    pub logged_in: bool,
    /// Whether the viewer may add a run (trainers and admins).
    #[serde(default)]
    pub can_add_run: bool,
}

/// The viewer's enrolment in one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEnrolment {
    pub status: EnrolmentStatus,
    /// 1-based, while waitlisted.
    pub waitlist_position: Option<u32>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

/// A row of `/mijn/trainingen`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTraining {
    pub training_slug: String,
    pub training_title: String,
    pub run_code: String,
    pub run_cancelled: bool,
    /// Closed: attendance and certificates are final, so there is nothing to cancel.
    #[serde(default)]
    pub run_closed: bool,
    pub enrolment: MyEnrolment,
    pub sessions: Vec<SessionView>,
    /// Cancelling now is late (after the cut-off).
    pub cancellation_is_late: bool,
    pub free_cancellation_until: Option<NaiveDate>,
    /// Once the run has begun, for a confirmed participant: "U was 6,5 van de 10 uur aanwezig."
    #[serde(default)]
    pub attended: Option<String>,
    /// What the completion rule still asks, in Dutch; empty when met.
    #[serde(default)]
    pub still_needed: Vec<String>,
    /// The run's last session is past and this confirmed participant has not evaluated it.
    #[serde(default)]
    pub may_evaluate: bool,
}

/// What an enrolment request ended in, as shown at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentOutcome {
    pub status: EnrolmentStatus,
    pub waitlist_position: Option<u32>,
    /// Why a request that was just made waits (None when it was an earlier one).
    #[serde(default)]
    pub waitlist_reason: Option<WaitlistReason>,
}

/// Why someone waits although they asked for a seat: the run is full, or seats are free but
/// their work field has its share (the group stays mixed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaitlistReason {
    Full,
    WorkFieldShare,
}

impl WaitlistReason {
    pub fn sentence_nl(self) -> &'static str {
        match self {
            WaitlistReason::Full => "De training is vol.",
            WaitlistReason::WorkFieldShare => {
                "Er zijn nog plaatsen, maar voor uw werkterrein is het maximum bereikt: zo blijft de groep gemengd."
            }
        }
    }
}

impl EnrolmentOutcome {
    pub fn message_nl(&self) -> String {
        match (self.status, self.waitlist_position) {
            (EnrolmentStatus::Confirmed, _) => "U bent ingeschreven.".to_owned(),
            (EnrolmentStatus::Requested, _) => {
                "Uw aanvraag is ontvangen. De trainers beoordelen haar; u ziet de uitkomst op Mijn trainingen.".to_owned()
            }
            (EnrolmentStatus::Waitlisted, Some(position)) => {
                let waiting = format!(
                    "U staat op de wachtlijst op plaats {position}; komt er een plaats vrij, dan bieden we die u aan."
                );
                match self.waitlist_reason {
                    Some(reason) => format!("{} {waiting}", reason.sentence_nl()),
                    None => waiting,
                }
            }
            (status, _) => status.label().to_owned(),
        }
    }
}

/// A participant as the run's trainers see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub enrolment_id: i32,
    pub name: String,
    pub organisation: String,
    pub work_field: WorkField,
    pub status: EnrolmentStatus,
    pub waitlist_position: Option<u32>,
    /// (question, answer) pairs of the intake.
    pub intake: Vec<(String, String)>,
}

/// A run's management page: the roster, the work-field mix and the run's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRoster {
    /// Messages written to this run, newest first (who, when, to whom, how many, subject).
    #[serde(default)]
    pub messages: Vec<RunMessageLog>,
    pub training_slug: String,
    pub training_title: String,
    pub run: RunView,
    pub confirmed: Vec<RosterEntry>,
    pub offered: Vec<RosterEntry>,
    pub waitlist: Vec<RosterEntry>,
    pub requests: Vec<RosterEntry>,
    /// (work field, seats held), exact: the roster beside it names each person's field.
    pub mix: Vec<(WorkField, u32)>,
    pub max_work_field_share: Option<u32>,
    pub completion: RunCompletion,
    #[serde(default)]
    pub register: RunRegister,
}

/// A run's attendance register: every confirmed participant against every session, with the
/// hours they attended and where they stand against the completion rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRegister {
    pub sessions: Vec<RegisterSession>,
    pub rows: Vec<RegisterRow>,
    /// Closed: each row says whether a certificate was issued.
    pub closed: bool,
    /// Who cancelled after the free-cancellation cut-off, and on which day.
    #[serde(default)]
    pub late_cancellations: Vec<(String, NaiveDate)>,
    /// Who was marked absent without cancelling (a no-show), and at which session's date.
    #[serde(default)]
    pub no_shows: Vec<(String, NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterSession {
    pub date: NaiveDate,
    /// "09:30"
    pub starts_at: String,
    pub minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub user_id: i32,
    pub name: String,
    /// Per session, in the order of [`RunRegister::sessions`]: the mark and its minutes late or
    /// early; None while nothing was recorded.
    pub marks: Vec<Option<(SessionPresence, i32)>>,
    pub attended_minutes: i64,
    pub total_minutes: i64,
    /// The completion rule is met (hours and, when there is one, the preparation course).
    pub complete: bool,
    /// What falls short of the rule, in Dutch, as trainers read it; empty when met.
    pub missing: Vec<String>,
    /// Once the run is closed: whether this person holds a certificate of it.
    pub certified: Option<bool>,
}

impl RegisterRow {
    /// One cell of the register: "Aanwezig", "Te laat (30 min)", or "–" while unrecorded.
    pub fn mark_nl(mark: Option<(SessionPresence, i32)>) -> String {
        match mark {
            None => "–".to_owned(),
            Some((presence, minutes)) if presence.takes_minutes() => {
                format!("{} ({minutes} min)", presence.label())
            }
            Some((presence, _)) => presence.label().to_owned(),
        }
    }
}

/// Attendance, closing and the accreditation exports of a run, for its trainers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCompletion {
    /// `(session id, "4 maart 2027, 09:30–16:30")`.
    pub sessions: Vec<(i32, String)>,
    pub closed: bool,
    pub certificates: u32,
    /// `(register, session dates as "2027-03-04", names without a number for it)`, for the
    /// exports once closed.
    pub registers: Vec<(String, Vec<String>, Vec<String>)>,
    pub evaluation: EvaluationSummary,
    /// Once closed: confirmed participants without a certificate, `(account id, name)`.
    pub without_certificate: Vec<(i32, String)>,
    /// The viewer may issue a certificate by hand (admins).
    pub may_issue: bool,
    /// "20 maart 2032" once attendance and certificates were deleted after five years.
    pub records_deleted_on: Option<String>,
}

/// How many session rows the run form offers at least (one more than are filled).
pub const RUN_FORM_SESSIONS: usize = 4;
/// The most sessions one run can have.
pub const MAX_RUN_SESSIONS: usize = 40;

/// The run form as typed: every field a string, so a refused form comes back exactly as it
/// was sent, with a Dutch message next to each wrong field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunForm {
    pub code: String,
    pub capacity: String,
    pub enrolment_opens: String,
    pub enrolment_closes: String,
    pub waitlist_closes: String,
    pub cancellation_days: String,
    pub offer_hours: String,
    pub max_work_field_share: String,
    /// Login names of the trainers, separated by commas.
    pub trainers: String,
    pub sessions: Vec<SessionForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    pub date: String,
    pub start: String,
    pub end: String,
    pub location: String,
    pub link: String,
}

/// The run editor page: the training, the form (stored values or what was typed), its errors,
/// and whether it edits an existing run (its code is then fixed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEditor {
    pub training_slug: String,
    pub training_title: String,
    pub existing: bool,
    pub form: RunForm,
    pub errors: crate::error::FieldErrors,
    /// (login subject, name) of everyone who can be a trainer of the run: the accounts with
    /// the trainer role, and whoever already is one.
    #[serde(default)]
    pub trainer_choices: Vec<(String, String)>,
}

/// One confirmed participant on a session's attendance register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub user_id: i32,
    pub name: String,
    pub presence: Option<SessionPresence>,
    /// Minutes late or left early.
    pub minutes: i32,
}

/// `/trainingen/<slug>/<run>/sessies/<id>`: the register of one session for its trainers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub training_slug: String,
    pub training_title: String,
    pub run_code: String,
    pub session_id: i32,
    /// "4 maart 2027, 09:30–16:30".
    pub session: String,
    pub rows: Vec<AttendanceRow>,
    pub closed: bool,
    /// The outcome of the last save.
    pub notice: Option<crate::notice::Notice>,
    /// A refused form's fields as sent, shown instead of what is stored.
    pub typed: Vec<(String, String)>,
}

/// A certificate as its holder lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {
    pub code: String,
    pub training_title: String,
    pub dates: String,
    pub hours: String,
    pub revoked: bool,
}

/// What `/certificaat/<code>` shows anyone: valid or revoked, name, training, dates, hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedCertificate {
    pub valid: bool,
    pub participant_name: String,
    pub training_title: String,
    pub dates: String,
    pub hours: String,
}

/// What a run's trainers see of its evaluations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    /// While participants can still answer: the last day they can (Dutch date). Until then
    /// nothing is shown, not even the count, so no change can be traced to one answer.
    pub open_until: Option<String>,
    /// How many answered, "< 5" under five.
    pub count: String,
    /// `(question, average "4,2")`, only from five answers.
    pub averages: Vec<(String, String)>,
    /// The open answers, only from five answers, in no telling order.
    pub remarks: Vec<String>,
}

crate::vocabulary! {
    /// Who a message to a run goes to.
    pub enum MessageAudience {
        Confirmed = ("confirmed", "de ingeschreven deelnemers"),
        Waitlist = ("waitlist", "de wachtlijst"),
        Both = ("both", "de ingeschreven deelnemers en de wachtlijst"),
    }
}

/// A message to a run as typed in its form (a field left out arrives empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunMessageForm {
    pub subject: String,
    pub body: String,
    /// A [`MessageAudience`] slug.
    pub audience: String,
}

/// A refused message as typed, with its errors, shown once after the redirect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunMessageDraft {
    pub form: RunMessageForm,
    pub errors: crate::error::FieldErrors,
}

/// One message in a run's log: not its text (the mails carry that).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunMessageLog {
    pub sent_at: DateTime<Utc>,
    /// The sender's name ("(verwijderd account)" once erased).
    pub sender: String,
    pub audience: MessageAudience,
    pub recipients: u32,
    pub subject: String,
}

/// One person as the coordinator's people search shows them: who, and what they did in
/// trainings (enrolments, certificates), nothing from intervision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub user_id: i32,
    pub name: String,
    pub organisation: String,
    pub work_field: Option<WorkField>,
    pub enrolments: Vec<PersonEnrolment>,
    pub certificates: Vec<CertificateSummary>,
}

/// One of a person's enrolments, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonEnrolment {
    pub training_slug: String,
    pub training_title: String,
    pub run_code: String,
    pub status: EnrolmentStatus,
    /// Closed while confirmed and without a certificate: one can be issued by hand on the
    /// run's page.
    pub may_issue_certificate: bool,
}

/// The people search of `/beheer/trainingen/personen`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleSearch {
    pub query: String,
    pub people: Vec<PersonRecord>,
    /// More matched than are shown: the query should be narrower.
    pub more: bool,
    /// Runs someone can be enrolled in on their behalf, as ("slug/code", "title — code").
    pub open_runs: Vec<(String, String)>,
    /// The outcome of enrolling someone, shown at that person.
    pub notice: Option<OnBehalfNotice>,
}

/// The outcome of an enrolment on someone's behalf; refused, the form as typed with its
/// reasons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnBehalfNotice {
    pub user_id: i32,
    pub outcome: Option<crate::notice::Notice>,
    pub run: String,
    pub reason: String,
    pub errors: crate::error::FieldErrors,
}

/// The least a people search needs, so a single letter does not list everyone.
pub const PEOPLE_QUERY_MIN: usize = 2;
/// The most people one search shows.
pub const PEOPLE_SHOWN: usize = 20;
