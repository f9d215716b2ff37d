//! What intervision pages receive from the server. Dilemma text travels only to members and
//! facilitators of its group, and only inside these types; it is never in a URL.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::notice::Notice;

crate::vocabulary! {
    /// The free-text fields of a dilemma, in the order the group works through them.
    pub enum DilemmaField {
        Situation = ("situatie", "De situatie"),
        Question = ("vraag", "Het dilemma, als vraag"),
        Considerations = ("overwegingen", "Overwegingen"),
        Advice = ("advies", "Wat de groep adviseert"),
        Takeaway = ("meenemen", "Wat de inbrenger meeneemt"),
    }
}

impl DilemmaField {
    /// Filled in when the dilemma is brought in; the rest may follow after the meeting.
    pub fn required(self) -> bool {
        matches!(self, DilemmaField::Situation | DilemmaField::Question)
    }

    pub fn hint(self) -> &'static str {
        match self {
            DilemmaField::Situation => {
                "Zonder namen of herleidbare details: 'een leerling (16)', 'cliënt A', 'de moeder'."
            }
            DilemmaField::Question => "Bijv. 'Meld ik dit bij Veilig Thuis, of eerst in gesprek?'",
            DilemmaField::Considerations => "Wat weegt mee, wat maakt het lastig.",
            DilemmaField::Advice => "Mag na de bijeenkomst worden aangevuld.",
            DilemmaField::Takeaway => "Wat u zelf gaat doen.",
        }
    }
}

crate::vocabulary! {
    /// Whether a member was at a meeting.
    pub enum Attendance {
        Present = ("aanwezig", "Aanwezig"),
        Excused = ("afgemeld", "Afgemeld"),
        Absent = ("afwezig", "Afwezig"),
    }
}

crate::vocabulary! {
    /// Where an action point stands, as the follow-up round decides.
    pub enum ActionStatus {
        Open = ("open", "Open"),
        Done = ("gedaan", "Gedaan"),
        Continued = ("loopt-door", "Loopt door"),
        Dropped = ("vervallen", "Vervallen"),
    }
}

impl ActionStatus {
    /// Still on the follow-up round's list.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::Continued)
    }
}

/// The form key of an action point's text.
pub const ACTION_FIELD: &str = "actiepunt";

/// An action point as the group sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPointView {
    pub id: i32,
    pub dilemma_id: i32,
    pub text: String,
    pub owner: String,
    /// The owner's account (None: the group's).
    #[serde(default)]
    pub owner_id: Option<i32>,
    pub due: Option<String>,
    pub status: ActionStatus,
    /// The viewer may change its status: its owner, or a facilitator.
    #[serde(default)]
    pub may_change: bool,
}

/// A refused action point: the text and due date as typed, with messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub errors: FieldErrors,
    pub flag: Option<GuardFlag>,
    pub only_names: bool,
}

/// The meeting-series form as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesForm {
    #[serde(default)]
    pub first_date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub every_weeks: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub link: String,
}

/// Moving one meeting: its new date and times.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveMeetingForm {
    pub date: String,
    pub start: String,
    pub end: String,
}

/// An admin records a meeting afterwards, beyond the facilitator's 14 days: its date and
/// times, and why (audited).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LateMeetingForm {
    pub date: String,
    pub start: String,
    pub end: String,
    pub reason: String,
}

impl Default for SeriesForm {
    fn default() -> Self {
        Self {
            first_date: String::new(),
            start: "14:00".into(),
            end: "16:00".into(),
            every_weeks: "6".into(),
            count: "6".into(),
            location: String::new(),
            link: String::new(),
        }
    }
}

/// At most this many meetings in one series.
pub const MAX_SERIES_MEETINGS: u32 = 24;

/// A meeting as the group sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i32,
    pub date: String,
    /// "14:00–16:00", Amsterdam time.
    pub time: String,
    pub location: String,
    pub link: Option<String>,
    pub cancelled: bool,
    /// Begun already: attendance can be recorded.
    pub past: bool,
}

/// One meeting's page: its notes for the group, attendance and moving for the facilitator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub group_id: i32,
    pub group_name: String,
    pub meeting: MeetingView,
    /// The viewer leads the group: attendance and moving are theirs.
    pub leads: bool,
    /// `(account id, name, what was recorded)`; empty for members.
    pub rows: Vec<(i32, String, Option<Attendance>)>,
    /// The form that moves the meeting: its times, or what was refused.
    pub move_form: MoveMeetingForm,
    pub move_errors: FieldErrors,
    /// What the group logged at this meeting, oldest first.
    pub notes: Vec<PostView>,
    /// A refused note as typed, with the guard's findings.
    pub note_draft: PostDraft,
    pub notice: Option<Notice>,
    /// The dilemmas on this meeting's agenda, in order, with the method used for each.
    pub agenda: Vec<AgendaItemView>,
    /// For the facilitator: the group's dilemmas not on the agenda yet, `(id, question)`.
    pub agenda_candidates: Vec<(i32, String)>,
    /// The group's open action points, on the page of its next meeting (the follow-up round
    /// starts the meeting); None on other meetings' pages.
    pub follow_up: Option<Vec<ActionPointView>>,
    /// The group is closed: nothing is added any more.
    pub closed: bool,
}

/// One dilemma on a meeting's agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItemView {
    pub id: i32,
    /// `(id, question)`; None once the dilemma is gone (retention, its author).
    pub dilemma: Option<(i32, String)>,
    /// The name of the method used for it, once started.
    pub method: Option<String>,
}

/// One group on a member's intervision record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordGroup {
    pub name: String,
    /// Led as its facilitator (their own hours), not attended as a member.
    #[serde(default)]
    pub as_facilitator: bool,
    /// Facilitators and members today.
    #[serde(default)]
    pub size: u32,
    /// The intervision methods the group used, by name.
    #[serde(default)]
    pub methods: Vec<String>,
    pub facilitators: Vec<String>,
    /// `(date, time)` of each meeting attended.
    pub meetings: Vec<(String, String)>,
    /// In Dutch, e.g. "12 uur" or "7,5 uur".
    pub hours: String,
}

/// `/intervisie/verslag`: what a member can show for re-registration; no dilemma content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervisionRecord {
    pub name: String,
    /// The holder's register numbers from their profile, as ("SKJ", "100012345").
    #[serde(default)]
    pub register_numbers: Vec<(String, String)>,
    pub groups: Vec<RecordGroup>,
    pub total_hours: String,
    /// Who issues the record, and on which day.
    #[serde(default)]
    pub issued_by: String,
    #[serde(default)]
    pub issued_on: String,
}

/// At most this many characters per dilemma field.
pub const MAX_DILEMMA_FIELD_CHARS: usize = 4000;
/// A group's size, within which the facilitator chooses its maximum.
pub const MIN_GROUP_SIZE: u32 = 3;
pub const MAX_GROUP_SIZE: u32 = 12;
/// Retention of a group's content after a meeting, in months: default and bounds.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;
pub const MIN_RETENTION_MONTHS: u32 = 3;
pub const MAX_RETENTION_MONTHS: u32 = 36;
/// Knowledge staff see the themes of the dilemmas of this many months; a theme's tally is
/// deleted once it is older.
pub const THEME_WINDOW_MONTHS: u32 = 12;
/// A theme's count is shown only when at least this many dilemmas from at least
/// [`THEME_MIN_GROUPS`] groups have it: fewer could point at one group's case.
pub const THEME_MIN_DILEMMAS: u32 = 5;
pub const THEME_MIN_GROUPS: u32 = 3;

/// How many dilemmas of the counting window have a theme; `None` when too few (or from too
/// few groups) to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeCount {
    pub theme: crate::vocabulary::Theme,
    pub dilemmas: Option<u32>,
}

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 14;

/// The dilemma form as typed (strings, so nothing typed is lost when it is refused).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaForm {
    pub work_field: String,
    pub phenomenon: String,
    /// Free text per [`DilemmaField`], by slug.
    pub texts: std::collections::BTreeMap<String, String>,
    /// "Dit zijn geen persoonsnamen": the writer overrules the guard's name findings.
    pub not_names: bool,
    /// Practice themes ticked (`Theme` slugs), besides the phenomenon.
    #[serde(default)]
    pub themes: Vec<String>,
}

/// The form key of a dilemma's practice themes (one per ticked box).
pub const THEMES_FIELD: &str = "themas";

impl DilemmaForm {
    pub fn text(&self, field: DilemmaField) -> &str {
        self.texts
            .get(field.slug())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A piece of a refused field: plain text, or a finding with what it is and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    /// `(kind in Dutch, hint)` when this piece is a finding.
    pub finding: Option<(String, String)>,
}

/// What the privacy guard found in one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardFlag {
    /// The form field's key (a [`DilemmaField`] slug, or [`REPLY_FIELD`]).
    pub field: String,
    /// The field's text cut at the findings, for highlighting.
    pub segments: Vec<Segment>,
}

/// A refused dilemma form: what was typed, the messages per field and the guard's findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaDraft {
    pub form: DilemmaForm,
    pub errors: FieldErrors,
    pub flags: Vec<GuardFlag>,
    /// Every finding is a name, so the writer may overrule them.
    pub only_names: bool,
}

/// The form key of a reply in a dilemma's thread.
pub const REPLY_FIELD: &str = "reactie";

/// A refused reply: what was typed, its message and the guard's findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDraft {
    pub text: String,
    pub errors: FieldErrors,
    pub flag: Option<GuardFlag>,
    pub only_names: bool,
}

/// A reply in a dilemma's thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i32,
    pub author: String,
    pub written_at: String,
    pub text: String,
    /// The viewer wrote it (and may delete it).
    pub mine: bool,
}

/// The new-group form as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub max_members: String,
    #[serde(default)]
    pub retention_months: String,
    #[serde(default)]
    pub agreement: String,
}

impl Default for GroupForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            max_members: "8".into(),
            retention_months: DEFAULT_RETENTION_MONTHS.to_string(),
            agreement: DEFAULT_AGREEMENT.into(),
        }
    }
}

pub const DEFAULT_AGREEMENT: &str = "Wat in deze groep wordt besproken, blijft in deze groep. \
We beschrijven situaties zonder namen of herleidbare details van cliënten, leerlingen of \
collega's. We delen niets uit de groep met anderen, ook niet geanonimiseerd, zonder \
toestemming van de inbrenger. Wie de groep verlaat, houdt zich hier ook daarna aan.";

/// One of the viewer's groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i32,
    pub name: String,
    pub is_facilitator: bool,
    /// Exact: a member sees who is in the group ("< 5" is for aggregate views only).
    pub members: u64,
}

/// `/intervisie`: the viewer's groups, and the form for a new one (facilitators).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervisionOverview {
    pub groups: Vec<GroupSummary>,
    /// Groups whose facilitator invited the viewer by address: `(group id, name)`.
    pub invitations: Vec<(i32, String)>,
    pub can_create: bool,
    pub form: GroupForm,
    pub errors: FieldErrors,
}

/// A dilemma in the group's log, without its content: opening it is a recorded read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaSummary {
    pub id: i32,
    /// The dilemma's question, shortened, as the link that opens it.
    #[serde(default)]
    pub question: String,
    pub work_field: String,
    pub phenomenon: String,
    pub brought_in_on: String,
    pub by_me: bool,
}

/// What a member who has not accepted the current agreement sees: the agreement only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementToAccept {
    pub version: i32,
    pub text: String,
    /// Whether the member accepted an earlier version (the text changed).
    pub changed: bool,
}

/// `/intervisie/<id>` for someone inside the group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i32,
    pub name: String,
    pub is_facilitator: bool,
    pub agreement_version: i32,
    pub agreement: String,
    /// `(account id, name)`, by name.
    pub facilitators: Vec<(i32, String)>,
    pub members: Vec<(i32, String)>,
    pub dilemmas: Vec<DilemmaSummary>,
    /// The log's page shown (from 1) and how many there are.
    #[serde(default)]
    pub log_page: u64,
    #[serde(default)]
    pub log_pages: u64,
    pub draft: DilemmaDraft,
    pub notice: Option<Notice>,
    /// Whether the viewer gets a mail when there is news in the group.
    pub notify: bool,
    pub meetings: Vec<MeetingView>,
    /// The follow-up round: open and continued action points of every dilemma.
    pub follow_up: Vec<ActionPointView>,
    /// The facilitator's series form, with a refused draft's messages.
    pub series_form: SeriesForm,
    pub series_errors: FieldErrors,
    /// The facilitator's "add an existing account" form, with a refused address's message.
    pub member_form: EmailForm,
    /// A refused new agreement as typed, with the message (for the facilitator).
    pub agreement_draft: Option<(String, String)>,
    /// How long the log is kept, in months.
    #[serde(default)]
    pub retention_months: u32,
    /// For the facilitator: a refused new retention period as typed, with the message.
    #[serde(default)]
    pub retention_draft: Option<(String, String)>,
    /// The day the facilitator closed the group (read-only since).
    #[serde(default)]
    pub closed_on: Option<String>,
}

/// `/intervisie/<id>` as its viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupPage {
    /// A member who must (again) accept the agreement first.
    Agreement {
        id: i32,
        name: String,
        agreement: AgreementToAccept,
        notice: Option<Notice>,
    },
    Inside(Box<GroupView>),
}

/// Who opened a dilemma and when, for the group's facilitators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadEntry {
    pub reader: String,
    pub read_at: String,
}

/// Where the group stands in the method for a dilemma.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodState {
    /// The method's slug (see `rules::methods`).
    #[serde(default)]
    pub slug: String,
    pub name: String,
    /// `(title, text, minutes)` per step.
    pub steps: Vec<(String, String, u32)>,
    /// The current step (0-based); `steps.len()` once finished.
    pub current: usize,
    /// When the current step began, "14:05" Amsterdam time.
    pub step_started_at: Option<String>,
}

impl MethodState {
    /// The line every member's screen shows: "Stap 2 van 5: Verkennen (15 min), begonnen om
    /// 14:20", or that the method is finished.
    pub fn status_nl(&self) -> String {
        match self.steps.get(self.current) {
            None => "De methode is afgerond.".to_owned(),
            Some((title, _, minutes)) => format!(
                "Stap {} van {}: {title} ({minutes} min){}",
                self.current + 1,
                self.steps.len(),
                self.step_started_at
                    .as_ref()
                    .map(|at| format!(", begonnen om {at}"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// `/intervisie/<id>/dilemmas/<id>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaView {
    pub id: i32,
    pub group_id: i32,
    pub group_name: String,
    pub work_field: String,
    pub phenomenon: String,
    pub brought_in_on: String,
    pub brought_in_by: String,
    /// `(field label, text)`, the empty fields left out.
    pub fields: Vec<(String, String)>,
    /// Only for the group's facilitators.
    /// The viewer brought it in: they may complete, correct or delete it.
    #[serde(default)]
    pub mine: bool,
    /// Which page of `reads` this is, and how many there are.
    #[serde(default)]
    pub reads_page: u64,
    #[serde(default)]
    pub reads_pages: u64,
    pub reads: Option<Vec<ReadEntry>>,
    /// The method the group works through this dilemma with, once started.
    pub method: Option<MethodState>,
    /// The viewer leads the group (picks the method, moves its steps).
    pub leads: bool,
    /// Refused minutes per step as typed, with the message (for the facilitator).
    pub minutes_draft: Option<(Vec<String>, String)>,
    /// The thread, oldest first.
    pub posts: Vec<PostView>,
    pub action_points: Vec<ActionPointView>,
    /// Who can own an action point: `(account id, name)`.
    pub people: Vec<(i32, String)>,
    pub action_draft: ActionDraft,
    /// A refused reply as typed, or an empty form.
    pub reply: PostDraft,
    pub notice: Option<Notice>,
}

/// `/uitnodiging/<token>`: where a link leads before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Open {
        group_name: String,
    },
    /// Used, expired, unknown or the group is full: one neutral message.
    Unusable(String),
    /// The viewer is already in the group.
    AlreadyIn {
        group_id: i32,
    },
}

/// A one-field form naming an account by its e-mail address, as typed, with the message
/// when it was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailForm {
    pub email: String,
    pub error: Option<String>,
}

/// Groups per page on the admins' page.
pub const GROUPS_PAGE_SIZE: u64 = 25;

/// One group on the admins' page: who leads it and who is in it, never what is inside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedGroup {
    pub id: i32,
    pub name: String,
    /// `(account id, name)`, by name.
    pub facilitators: Vec<(i32, String)>,
    /// Listed by name, so counted exactly: "< 5" beside the names would hide nothing.
    pub members: Vec<(i32, String)>,
    pub meetings_held: u32,
}

/// `/beheer/intervisie`: every group, the outcome of the last action, and the facilitator
/// form of the group it concerned (with what was typed, when refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupAdministration {
    pub groups: Vec<ManagedGroup>,
    pub page: u64,
    pub page_count: u64,
    pub notice: Option<Notice>,
    pub refused: Option<(i32, EmailForm)>,
    /// A refused "record a meeting afterwards" form: the group, what was typed, the messages.
    #[serde(default)]
    pub late_refused: Option<(i32, LateMeetingForm, FieldErrors)>,
}

/// Intervision's admin pages (see `identity::model::AdminPage`).
pub const ADMIN_PAGES: [crate::identity::model::AdminPage; 1] =
    [crate::identity::model::AdminPage {
        action: crate::identity::access::Action::ManageGroups,
        href: "/beheer/intervisie",
        label: "Intervisiegroepen",
    }];

/// The author's dilemma in its form, to complete or correct it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaEdit {
    pub group_id: i32,
    pub group_name: String,
    pub dilemma_id: i32,
    pub draft: DilemmaDraft,
}
