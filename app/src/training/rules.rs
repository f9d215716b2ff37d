//! Pure rules of enrolment: windows, seats, the fair mix of work fields, cut-offs, what the
//! catalogue says about availability, and reading `runs:` from a training's front matter.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::dates::{clock_time, format_date_nl};
use crate::small_count::small_count_nl;

/// Days before the first session that a participant is reminded of it.
pub const SESSION_REMINDER_DAYS: i64 = 3;
/// Days before the first session that an unfinished preparation course is pointed out.
pub const PREPARATION_REMINDER_DAYS: i64 = 7;

/// Seats one work field may hold at most: `share` percent of the capacity, at least one.
pub fn work_field_cap(capacity: u32, share_percent: Option<u32>) -> u32 {
    match share_percent {
        Some(share) => (capacity * share.min(100) / 100).max(1),
        None => capacity,
    }
}

/// "2027-03" → (2027, 3); the catalogue's month filter.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
    ((2000..=2100).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

pub fn enrolment_is_open(today: NaiveDate, opens: NaiveDate, closes: NaiveDate) -> bool {
    opens <= today && today <= closes
}

/// Cancelling is free until `days` before the first session; later it is a late cancellation.
pub fn free_cancellation_until(first_session: NaiveDate, days: u32) -> NaiveDate {
    first_session - chrono::Duration::days(i64::from(days))
}

/// What the catalogue says about a run, e.g. "nog 3 plaatsen · inschrijving sluit 12 januari 2027".
pub fn availability_nl(
    today: NaiveDate,
    cancelled: bool,
    seats_left: u32,
    opens: NaiveDate,
    closes: NaiveDate,
) -> String {
    if cancelled {
        return "geannuleerd".to_owned();
    }
    if today < opens {
        return format!("inschrijving opent {}", format_date_nl(opens));
    }
    if today > closes {
        return "inschrijving gesloten".to_owned();
    }
    let seats = match seats_left {
        0 => "vol — wachtlijst".to_owned(),
        1 => "nog 1 plaats".to_owned(),
        n => format!("nog {n} plaatsen"),
    };
    format!("{seats} · inschrijving sluit {}", format_date_nl(closes))
}

/// One run as written under `runs:` in a training's front matter.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    pub code: String,
    pub capacity: u32,
    pub enrolment_opens: NaiveDate,
    pub enrolment_closes: NaiveDate,
    /// Free cancellation until this many days before the first session.
    #[serde(default = "default_cancellation_days")]
    pub cancellation_days: u32,
    /// No offers from the waitlist after this date; default: the day before the first session.
    pub waitlist_closes: Option<NaiveDate>,
    /// Hours to confirm an offered seat.
    #[serde(default = "default_offer_hours")]
    pub offer_hours: u32,
    /// Percent of the seats one work field may hold at most.
    pub max_work_field_share: Option<u32>,
    /// Login subjects of the run's trainers.
    #[serde(default)]
    pub trainers: Vec<String>,
    pub sessions: Vec<SessionSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    pub location: String,
    pub link: Option<String>,
}

fn default_cancellation_days() -> u32 {
    14
}

fn default_offer_hours() -> u32 {
    48
}

pub const MAX_CAPACITY: u32 = 1000;

/// Reads and checks the runs of a training file; every message is Dutch and names the run.
#[cfg(feature = "ssr")]
pub fn parse_runs(yaml: &str) -> Result<Vec<RunSpec>, String> {
    let runs: Vec<RunSpec> =
        serde_yaml_ng::from_str(yaml).map_err(|e| format!("'runs' is niet leesbaar ({e})"))?;
    let mut codes = std::collections::HashSet::new();
    for run in &runs {
        validate_run(run)?;
        if !codes.insert(run.code.as_str()) {
            return Err(format!("uitvoering '{}' staat er twee keer in", run.code));
        }
    }
    Ok(runs)
}

pub fn validate_run(run: &RunSpec) -> Result<(), String> {
    let name = &run.code;
    let code_ok = !name.is_empty()
        && name.len() <= 60
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        return Err(format!(
            "uitvoering '{name}': de code bestaat uit kleine letters, cijfers en koppeltekens (bijv. 2027-voorjaar)"
        ));
    }
    if run.capacity == 0 || run.capacity > MAX_CAPACITY {
        return Err(format!(
            "uitvoering '{name}': capaciteit moet tussen 1 en {MAX_CAPACITY} liggen"
        ));
    }
    if run.enrolment_closes < run.enrolment_opens {
        return Err(format!(
            "uitvoering '{name}': de inschrijving sluit vóór ze opent"
        ));
    }
    if run.offer_hours == 0 || run.offer_hours > 24 * 14 {
        return Err(format!(
            "uitvoering '{name}': offer_hours ligt tussen 1 en 336"
        ));
    }
    if run
        .max_work_field_share
        .is_some_and(|share| share == 0 || share > 100)
    {
        return Err(format!(
            "uitvoering '{name}': max_work_field_share is een percentage (1–100)"
        ));
    }
    if run.sessions.is_empty() {
        return Err(format!(
            "uitvoering '{name}': noem minstens één bijeenkomst"
        ));
    }
    for (index, session) in run.sessions.iter().enumerate() {
        let number = index + 1;
        let (Some(start), Some(end)) = (clock_time(&session.start), clock_time(&session.end))
        else {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: tijden als 09:30"
            ));
        };
        if end <= start {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: het einde ligt vóór het begin"
            ));
        }
        if session.location.trim().is_empty()
            || session.location.chars().count() > 200
            || crate::plain_text::has_control_characters(session.location.trim())
        {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: noem een plaats of 'online'"
            ));
        }
        if let Some(link) = &session.link
            && !crate::plain_text::is_https_link(link)
        {
            return Err(format!(
                "uitvoering '{name}', bijeenkomst {number}: de link begint met https:// en heeft geen spaties of regeleinden"
            ));
        }
    }
    let first = first_session(run);
    if run.enrolment_closes > first {
        return Err(format!(
            "uitvoering '{name}': de inschrijving sluit na de eerste bijeenkomst"
        ));
    }
    Ok(())
}

pub fn first_session(run: &RunSpec) -> NaiveDate {
    run.sessions
        .iter()
        .map(|s| s.date)
        .min()
        .unwrap_or(run.enrolment_closes)
}

/// The first Dutch message per form field, collected so that every wrong field is named at once.
#[derive(Default)]
struct Refusals(crate::error::FieldErrors);

impl Refusals {
    fn refuse(&mut self, field: &str, message: &str) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.to_owned());
    }

    /// `value`, or `message` at `field` when there is none.
    fn require<T>(&mut self, field: &str, value: Option<T>, message: &str) -> Option<T> {
        if value.is_none() {
            self.refuse(field, message);
        }
        value
    }
}

fn form_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A whole number, or `default` when the field is left empty.
fn number_or(text: &str, default: u32) -> Option<u32> {
    match text.trim() {
        "" => Some(default),
        text => text.parse::<u32>().ok(),
    }
}

/// Reads the run form into a run, or the Dutch message per wrong field (keys: the form's
/// field names, `sessie_<n>_<part>` for a session, [`WHOLE_FORM`] for the whole). Empty
/// session rows are ignored; optional fields take the file format's defaults.
///
/// [`WHOLE_FORM`]: crate::error::WHOLE_FORM
pub fn parse_run_form(
    form: &crate::training::model::RunForm,
) -> Result<RunSpec, crate::error::FieldErrors> {
    let mut refusals = Refusals::default();
    let capacity = refusals.require(
        "capacity",
        form.capacity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| (1..=MAX_CAPACITY).contains(c)),
        &format!("Een heel getal van 1 tot en met {MAX_CAPACITY}."),
    );
    let opens = refusals.require(
        "enrolment_opens",
        form_date(&form.enrolment_opens),
        "Kies een datum.",
    );
    let closes = refusals.require(
        "enrolment_closes",
        form_date(&form.enrolment_closes),
        "Kies een datum.",
    );
    let waitlist_closes = match form.waitlist_closes.trim() {
        "" => None,
        text => refusals.require(
            "waitlist_closes",
            form_date(text),
            "Kies een datum, of laat het leeg.",
        ),
    };
    let cancellation_days = refusals.require(
        "cancellation_days",
        number_or(&form.cancellation_days, default_cancellation_days()).filter(|days| *days <= 365),
        "Een heel aantal dagen (0–365), of leeg voor 14.",
    );
    let offer_hours = refusals.require(
        "offer_hours",
        number_or(&form.offer_hours, default_offer_hours())
            .filter(|hours| (1..=24 * 14).contains(hours)),
        "Een heel aantal uren (1–336), of leeg voor 48.",
    );
    let max_work_field_share = match form.max_work_field_share.trim() {
        "" => None,
        text => refusals.require(
            "max_work_field_share",
            text.trim_end_matches('%')
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|s| (1..=100).contains(s)),
            "Een percentage van 1 tot en met 100, of leeg.",
        ),
    };
    let trainers = trainer_names(&form.trainers, &mut refusals);
    let sessions = session_rows(&form.sessions, &mut refusals);
    let (
        Some(capacity),
        Some(enrolment_opens),
        Some(enrolment_closes),
        Some(cancellation_days),
        Some(offer_hours),
        true,
    ) = (
        capacity,
        opens,
        closes,
        cancellation_days,
        offer_hours,
        refusals.0.is_empty(),
    )
    else {
        return Err(refusals.0);
    };
    let spec = RunSpec {
        code: form.code.trim().to_owned(),
        capacity,
        enrolment_opens,
        enrolment_closes,
        cancellation_days,
        waitlist_closes,
        offer_hours,
        max_work_field_share,
        trainers,
        sessions,
    };
    validate_run(&spec).map_err(|message| run_refusal_in_form(&message))?;
    Ok(spec)
}

/// The trainers' login names as the form sends them: one per line or separated by commas.
pub fn trainer_subjects(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The trainers' login names, one per line or separated by commas.
fn trainer_names(text: &str, refusals: &mut Refusals) -> Vec<String> {
    let trainers = trainer_subjects(text);
    if trainers.iter().any(|name| name.chars().count() > 200) {
        refusals.refuse("trainers", "Een inlognaam is te lang.");
    }
    trainers
}

/// The filled-in session rows (empty rows are skipped), each part checked at its own field.
fn session_rows(
    rows: &[crate::training::model::SessionForm],
    refusals: &mut Refusals,
) -> Vec<SessionSpec> {
    let mut sessions = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let filled = [&row.date, &row.start, &row.end, &row.location, &row.link]
            .iter()
            .any(|part| !part.trim().is_empty());
        if !filled {
            continue;
        }
        let key = |part: &str| format!("sessie_{}_{part}", index + 1);
        let session_date = refusals.require(&key("date"), form_date(&row.date), "Kies een datum.");
        refusals.require(
            &key("start"),
            clock_time(row.start.trim()),
            "Een tijd als 09:30.",
        );
        refusals.require(
            &key("end"),
            clock_time(row.end.trim()),
            "Een tijd als 16:30.",
        );
        if row.location.trim().is_empty() {
            refusals.refuse(&key("location"), "Noem een plaats, of 'online'.");
        } else if crate::plain_text::has_control_characters(row.location.trim()) {
            refusals.refuse(&key("location"), crate::plain_text::ONE_LINE_MESSAGE);
        }
        let link = Some(row.link.trim().to_owned()).filter(|link| !link.is_empty());
        if link
            .as_ref()
            .is_some_and(|link| !crate::plain_text::is_https_link(link))
        {
            refusals.refuse(&key("link"), crate::plain_text::LINK_MESSAGE);
        }
        if let Some(session_date) = session_date {
            sessions.push(SessionSpec {
                date: session_date,
                start: row.start.trim().to_owned(),
                end: row.end.trim().to_owned(),
                location: row.location.trim().to_owned(),
                link,
            });
        }
    }
    if rows
        .iter()
        .all(|row| row.date.trim().is_empty() && row.location.trim().is_empty())
    {
        refusals.refuse("sessie_1_date", "Noem minstens één bijeenkomst.");
    }
    sessions
}

/// A message of the file format's run check, placed at the form field it concerns: the file
/// format's message names the run, in the form the run is on screen.
fn run_refusal_in_form(message: &str) -> crate::error::FieldErrors {
    let message = message.split_once(": ").map_or(message, |(_, rest)| rest);
    let field = if message.starts_with("de code") {
        "code"
    } else if message.contains("inschrijving") {
        "enrolment_closes"
    } else {
        crate::error::WHOLE_FORM
    };
    let mut sentence = message.to_owned();
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + &sentence[1..];
    }
    crate::error::FieldErrors::from([(field.to_owned(), format!("{sentence}."))])
}

/// The run form filled in from a stored run (for editing) or blank with the defaults.
pub fn run_form_of(spec: Option<&RunSpec>) -> crate::training::model::RunForm {
    use crate::training::model::{RunForm, SessionForm};
    let mut form = match spec {
        None => RunForm {
            cancellation_days: default_cancellation_days().to_string(),
            offer_hours: default_offer_hours().to_string(),
            ..Default::default()
        },
        Some(spec) => RunForm {
            code: spec.code.clone(),
            capacity: spec.capacity.to_string(),
            enrolment_opens: spec.enrolment_opens.to_string(),
            enrolment_closes: spec.enrolment_closes.to_string(),
            waitlist_closes: spec
                .waitlist_closes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            cancellation_days: spec.cancellation_days.to_string(),
            offer_hours: spec.offer_hours.to_string(),
            max_work_field_share: spec
                .max_work_field_share
                .map(|s| s.to_string())
                .unwrap_or_default(),
            trainers: spec.trainers.join(", "),
            sessions: spec
                .sessions
                .iter()
                .map(|s| SessionForm {
                    date: s.date.to_string(),
                    start: s.start.clone(),
                    end: s.end.clone(),
                    location: s.location.clone(),
                    link: s.link.clone().unwrap_or_default(),
                })
                .collect(),
        },
    };
    pad_sessions(&mut form);
    form
}

/// Empty session rows after the filled ones: up to the form's size, and always one spare, so
/// a session can be added without JavaScript.
pub fn pad_sessions(form: &mut crate::training::model::RunForm) {
    let is_empty = |row: &crate::training::model::SessionForm| {
        [&row.date, &row.start, &row.end, &row.location, &row.link]
            .iter()
            .all(|part| part.trim().is_empty())
    };
    while form.sessions.last().is_some_and(is_empty) {
        form.sessions.pop();
    }
    let rows = Ord::max(
        crate::training::model::RUN_FORM_SESSIONS,
        form.sessions.len() + 1,
    );
    form.sessions.resize_with(rows, Default::default);
}

/// Minutes a participant attended of a session lasting `session_minutes`: all of it when
/// present, less the minutes late or left early, nothing when excused, absent or unrecorded.
pub fn attended_minutes(
    session_minutes: i64,
    presence: Option<crate::training::model::SessionPresence>,
    minutes: i64,
) -> i64 {
    use crate::training::model::SessionPresence;
    match presence {
        Some(SessionPresence::Present) => session_minutes,
        Some(SessionPresence::Late | SessionPresence::LeftEarly) => {
            (session_minutes - minutes.max(0)).max(0)
        }
        Some(SessionPresence::Excused | SessionPresence::Absent) | None => 0,
    }
}

/// Where a participant stands against a training's completion rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    pub attended_minutes: i64,
    pub total_minutes: i64,
    /// The rule's share, in percent.
    pub min_attendance: u32,
    /// None when the training has no preparation course.
    pub preparation_done: Option<bool>,
}

impl Completion {
    /// The minutes the rule asks for: the share of the contact time, rounded up.
    pub fn required_minutes(&self) -> i64 {
        (self.total_minutes * i64::from(self.min_attendance) + 99) / 100
    }

    pub fn is_complete(&self) -> bool {
        self.attended_minutes >= self.required_minutes() && self.preparation_done != Some(false)
    }

    /// What is still needed, in Dutch; empty when complete.
    pub fn missing_nl(&self) -> Vec<String> {
        use crate::dates::hours_nl;
        let mut missing = Vec::new();
        let short = self.required_minutes() - self.attended_minutes;
        if short > 0 {
            missing.push(format!(
                "Nog {} aanwezigheid nodig: minstens {} % van {}, u was er {}.",
                hours_nl(short),
                self.min_attendance,
                hours_nl(self.total_minutes),
                hours_nl(self.attended_minutes)
            ));
        }
        if self.preparation_done == Some(false) {
            missing.push(
                "De voorbereidende cursus is nog niet af: lees alle modules en haal de zelftoetsen."
                    .to_owned(),
            );
        }
        missing
    }

    /// What falls short, as the run's trainers read it (about the participant, not to them);
    /// empty when complete.
    pub fn shortfall_nl(&self) -> Vec<String> {
        use crate::dates::hours_nl;
        let mut shortfall = Vec::new();
        if self.attended_minutes < self.required_minutes() {
            shortfall.push(format!(
                "{} aanwezig, {} nodig ({} % van {}).",
                hours_nl(self.attended_minutes),
                hours_nl(self.required_minutes()),
                self.min_attendance,
                hours_nl(self.total_minutes)
            ));
        }
        if self.preparation_done == Some(false) {
            shortfall.push("Voorbereidende cursus niet afgerond.".to_owned());
        }
        shortfall
    }
}

/// The evaluation's fixed questions, each answered 1 (oneens) to 5 (eens).
pub const EVALUATION_QUESTIONS: [&str; 4] = [
    "De training sloot aan bij mijn praktijk.",
    "De trainers brachten de stof helder over.",
    "Ik kan het geleerde toepassen in mijn werk.",
    "Mijn totaaloordeel over de training (1 = slecht, 5 = uitstekend).",
];

/// The questions in a few words, as a report's column headings (in the same order).
pub const EVALUATION_HEADINGS: [&str; 4] = [
    "Sluit aan bij de praktijk",
    "Heldere trainers",
    "Toepasbaar in het werk",
    "Totaaloordeel",
];

/// Fewer answers than this and trainers see only "< 5": a few answers could be traced back.
pub const EVALUATION_MINIMUM: usize = crate::small_count::SMALL_COUNT_LIMIT as usize;

/// Participants can evaluate until this many days after the last session's date; only then do
/// trainers see the outcome, all at once, so no change in it points at one answer.
pub const EVALUATION_DAYS: i64 = 14;

/// The last day a run whose last session is on `last_session` can be evaluated.
pub fn evaluation_ends(last_session: NaiveDate) -> NaiveDate {
    last_session + chrono::Duration::days(EVALUATION_DAYS)
}

/// The form field of the intake question at `index` (0-based): `antwoord_1`, `antwoord_2`, …
pub fn intake_field_name(index: usize) -> String {
    format!("antwoord_{}", index + 1)
}

/// The most characters of a message's subject and text.
pub const MAX_MESSAGE_SUBJECT: usize = 150;
pub const MAX_MESSAGE_BODY: usize = 5000;

/// A message to a run as the rules accept it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRunMessage {
    pub subject: String,
    pub body: String,
    pub audience: crate::training::model::MessageAudience,
}

/// A message to a run: a subject, a text and who it goes to, every refusal at once by field.
/// Subject and text reach participants' mailboxes, so they pass the privacy guard (on the
/// server).
pub fn parse_run_message(
    form: &crate::training::model::RunMessageForm,
) -> Result<ValidRunMessage, crate::error::FieldErrors> {
    let mut errors = crate::error::FieldErrors::new();
    let subject = form.subject.trim();
    let body = form.body.trim();
    match subject.chars().count() {
        0 => {
            errors.insert("subject".into(), "Geef het bericht een onderwerp.".into());
        }
        n if n > MAX_MESSAGE_SUBJECT => {
            errors.insert(
                "subject".into(),
                format!("Hoogstens {MAX_MESSAGE_SUBJECT} tekens."),
            );
        }
        _ => {}
    }
    match body.chars().count() {
        n if n < 10 => {
            errors.insert(
                "body".into(),
                "Schrijf het bericht (minstens 10 tekens).".into(),
            );
        }
        n if n > MAX_MESSAGE_BODY => {
            errors.insert(
                "body".into(),
                format!("Hoogstens {MAX_MESSAGE_BODY} tekens."),
            );
        }
        _ => {}
    }
    #[cfg(feature = "ssr")]
    {
        use crate::privacy_guard::{Guarded, refusal};
        for (field, subject_nl, text, what) in [
            ("subject", "Het onderwerp bevat", subject, Guarded::Label),
            ("body", "Het bericht bevat", body, Guarded::Prose),
        ] {
            if let Err(message) = refusal(subject_nl, text, what) {
                errors.entry(field.into()).or_insert(message);
            }
        }
    }
    let audience = crate::training::model::MessageAudience::from_slug(&form.audience);
    if audience.is_none() {
        errors.insert("audience".into(), "Kies wie het bericht krijgt.".into());
    }
    match audience {
        Some(audience) if errors.is_empty() => Ok(ValidRunMessage {
            subject: subject.to_owned(),
            body: body.to_owned(),
            audience,
        }),
        _ => Err(errors),
    }
}

/// The most characters of the open question.
pub const MAX_REMARK: usize = 2000;

/// An evaluation as typed: a score 1–5 for every question (field `score_<n>`), the remark
/// optional. The stored scores ("4,5,3,4") and the trimmed remark, or a message per field.
pub fn parse_evaluation(
    scores: &[String],
    remark: &str,
) -> Result<(String, Option<String>), crate::error::FieldErrors> {
    let mut errors = crate::error::FieldErrors::new();
    let mut parsed = Vec::new();
    for index in 0..EVALUATION_QUESTIONS.len() {
        match scores
            .get(index)
            .and_then(|s| s.trim().parse::<u8>().ok())
            .filter(|s| (1..=5).contains(s))
        {
            Some(score) => parsed.push(score.to_string()),
            None => {
                errors.insert(
                    format!("score_{}", index + 1),
                    "Kies een antwoord van 1 tot en met 5.".into(),
                );
            }
        }
    }
    let remark = remark.trim();
    if remark.chars().count() > MAX_REMARK {
        errors.insert("remark".into(), format!("Hoogstens {MAX_REMARK} tekens."));
    }
    // The remark reaches the trainers: it passes the privacy guard (on the server).
    #[cfg(feature = "ssr")]
    if let Err(message) = crate::privacy_guard::refusal(
        "Uw opmerking bevat",
        remark,
        crate::privacy_guard::Guarded::Prose,
    ) {
        errors.entry("remark".into()).or_insert(message);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        parsed.join(","),
        Some(remark.to_owned()).filter(|r| !r.is_empty()),
    ))
}

/// What trainers see of a run's evaluations: the number (as "< 5" under five) and, only from
/// [`EVALUATION_MINIMUM`] answers, the average per question and the remarks.
pub fn evaluation_summary(
    answers: &[(String, Option<String>)],
) -> crate::training::model::EvaluationSummary {
    let count = small_count_nl(answers.len() as u32);
    if answers.len() < EVALUATION_MINIMUM {
        return crate::training::model::EvaluationSummary {
            open_until: None,
            count,
            averages: Vec::new(),
            remarks: Vec::new(),
        };
    }
    let averages = EVALUATION_QUESTIONS
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let scores: Vec<u32> = answers
                .iter()
                .filter_map(|(scores, _)| scores.split(',').nth(index)?.parse().ok())
                .collect();
            let total: u32 = scores.iter().sum();
            // Tenths, rounded half up: 21 of 5 answers is 4,2.
            let tenths = (total * 100 / scores.len().max(1) as u32 + 5) / 10;
            (
                (*question).to_owned(),
                format!("{},{}", tenths / 10, tenths % 10),
            )
        })
        .collect();
    // In the stored order, which is random (see the service).
    let remarks: Vec<String> = answers.iter().filter_map(|(_, r)| r.clone()).collect();
    crate::training::model::EvaluationSummary {
        open_until: None,
        count,
        averages,
        remarks,
    }
}

/// How long attendance and certificates are kept after a run closes: the registers
/// (SKJ, Registerplein, NIP, BIG) re-register every five years and may audit that period.
pub const RECORDS_KEPT_YEARS: u32 = 5;

/// Runs closed before this moment have had their attendance and certificates kept long enough.
pub fn records_deletion_cutoff(
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    now.checked_sub_months(chrono::Months::new(12 * RECORDS_KEPT_YEARS))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}

/// "1 certificaat", "3 certificaten".
pub fn certificates_nl(count: u32) -> String {
    match count {
        1 => "1 certificaat".to_owned(),
        n => format!("{n} certificaten"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_kept_five_years_after_closing() {
        let now: chrono::DateTime<chrono::Utc> = "2032-03-20T10:00:00Z".parse().unwrap();
        let cutoff = records_deletion_cutoff(now);
        assert_eq!(
            cutoff,
            "2027-03-20T10:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
        );
        assert_eq!(certificates_nl(1), "1 certificaat");
        assert_eq!(certificates_nl(0), "0 certificaten");
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn months_are_year_and_month() {
        assert_eq!(parse_month("2027-03"), Some((2027, 3)));
        assert_eq!(parse_month("2027-13"), None);
        assert_eq!(parse_month("maart"), None);
    }

    #[test]
    fn the_work_field_cap_is_a_share_of_the_capacity_and_never_zero() {
        assert_eq!(work_field_cap(12, Some(50)), 6);
        assert_eq!(work_field_cap(12, None), 12);
        assert_eq!(work_field_cap(1, Some(10)), 1);
    }

    #[test]
    fn availability_speaks_dutch() {
        let (opens, closes) = (day("2026-12-01"), day("2027-01-12"));
        assert_eq!(
            availability_nl(day("2026-12-05"), false, 3, opens, closes),
            "nog 3 plaatsen · inschrijving sluit 12 januari 2027"
        );
        assert!(
            availability_nl(day("2026-12-05"), false, 0, opens, closes)
                .starts_with("vol — wachtlijst")
        );
        assert_eq!(
            availability_nl(day("2026-11-05"), false, 3, opens, closes),
            "inschrijving opent 1 december 2026"
        );
        assert_eq!(
            availability_nl(day("2027-02-05"), false, 3, opens, closes),
            "inschrijving gesloten"
        );
        assert_eq!(
            availability_nl(day("2026-12-05"), true, 3, opens, closes),
            "geannuleerd"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn runs_are_read_with_defaults_and_checked() {
        let yaml = r#"
- code: 2027-voorjaar
  capacity: 12
  enrolment_opens: 2026-12-01
  enrolment_closes: 2027-02-15
  sessions:
    - { date: 2027-03-04, start: "09:30", end: "16:30", location: "Utrecht" }
    - { date: 2027-03-18, start: "09:30", end: "12:30", location: "online" }
"#;
        let runs = parse_runs(yaml).unwrap();
        assert_eq!(runs[0].offer_hours, 48);
        assert_eq!(runs[0].cancellation_days, 14);
        assert_eq!(first_session(&runs[0]), day("2027-03-04"));
        let bad = yaml.replace("end: \"16:30\"", "end: \"08:30\"");
        assert!(parse_runs(&bad).unwrap_err().contains("bijeenkomst 1"));
        let unknown = yaml.replace("capacity: 12", "capacity: 12\n  capaciteit: 3");
        assert!(parse_runs(&unknown).is_err());
        let twice = format!("{yaml}{}", yaml.trim_start());
        assert!(parse_runs(&twice).unwrap_err().contains("twee keer"));
    }

    #[test]
    fn late_cancellation_starts_after_the_cut_off() {
        assert_eq!(
            free_cancellation_until(day("2027-03-04"), 14),
            day("2027-02-18")
        );
    }

    fn form() -> crate::training::model::RunForm {
        use crate::training::model::{RunForm, SessionForm};
        RunForm {
            code: "2027-najaar".into(),
            capacity: "12".into(),
            enrolment_opens: "2027-05-01".into(),
            enrolment_closes: "2027-08-15".into(),
            cancellation_days: "14".into(),
            offer_hours: "48".into(),
            trainers: "trainer, tweede-trainer".into(),
            sessions: vec![
                SessionForm {
                    date: "2027-09-02".into(),
                    start: "09:30".into(),
                    end: "16:30".into(),
                    location: "Utrecht".into(),
                    link: String::new(),
                },
                SessionForm::default(),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_filled_in_run_form_becomes_a_run_with_the_defaults() {
        let spec = parse_run_form(&form()).unwrap();
        assert_eq!(spec.code, "2027-najaar");
        assert_eq!(spec.capacity, 12);
        assert_eq!(spec.trainers, vec!["trainer", "tweede-trainer"]);
        assert_eq!(spec.sessions.len(), 1, "empty rows are skipped");
        assert_eq!(spec.waitlist_closes, None);
        assert_eq!(spec.max_work_field_share, None);
        // What the editor shows for a stored run reads back to the same run.
        let mut again = run_form_of(Some(&spec));
        assert!(again.sessions.len() >= crate::training::model::RUN_FORM_SESSIONS);
        again.code = spec.code.clone();
        assert_eq!(parse_run_form(&again).unwrap(), spec);
    }

    #[test]
    fn each_wrong_field_gets_its_own_dutch_message() {
        let mut wrong = form();
        wrong.capacity = "twaalf".into();
        wrong.enrolment_opens = "morgen".into();
        wrong.max_work_field_share = "150".into();
        wrong.sessions[1].date = "2027-09-16".into();
        wrong.sessions[1].start = "9 uur".into();
        wrong.sessions[1].link = "http://onveilig.example".into();
        let errors = parse_run_form(&wrong).unwrap_err();
        assert_eq!(errors["capacity"], "Een heel getal van 1 tot en met 1000.");
        assert_eq!(errors["enrolment_opens"], "Kies een datum.");
        assert!(errors["max_work_field_share"].contains("percentage"));
        assert_eq!(errors["sessie_2_start"], "Een tijd als 09:30.");
        assert!(errors["sessie_2_end"].contains("16:30"));
        assert!(errors["sessie_2_location"].contains("online"));
        assert!(errors["sessie_2_link"].contains("https://"));
        assert!(!errors.contains_key("sessie_1_date"));
    }

    #[test]
    fn rules_across_fields_name_the_field_to_fix() {
        let mut late = form();
        late.enrolment_closes = "2027-09-10".into();
        let errors = parse_run_form(&late).unwrap_err();
        assert_eq!(
            errors["enrolment_closes"],
            "De inschrijving sluit na de eerste bijeenkomst."
        );
        let mut bad_code = form();
        bad_code.code = "Najaar 2027".into();
        assert!(parse_run_form(&bad_code).unwrap_err()["code"].starts_with("De code bestaat uit"));
        let mut no_sessions = form();
        no_sessions.sessions = vec![Default::default()];
        assert_eq!(
            parse_run_form(&no_sessions).unwrap_err()["sessie_1_date"],
            "Noem minstens één bijeenkomst."
        );
    }

    #[test]
    fn net_minutes_and_the_completion_rule_with_and_without_preparation() {
        use crate::training::model::SessionPresence::*;
        assert_eq!(attended_minutes(420, Some(Present), 0), 420);
        assert_eq!(attended_minutes(420, Some(Late), 30), 390);
        assert_eq!(attended_minutes(420, Some(LeftEarly), 500), 0);
        assert_eq!(attended_minutes(420, Some(Excused), 0), 0);
        assert_eq!(attended_minutes(420, None, 0), 0);
        let mut rule = Completion {
            attended_minutes: 390 + 180,
            total_minutes: 420 + 180,
            min_attendance: 100,
            preparation_done: None,
        };
        assert!(!rule.is_complete());
        assert_eq!(
            rule.missing_nl(),
            vec!["Nog 0,5 uur aanwezigheid nodig: minstens 100 % van 10 uur, u was er 9,5 uur."]
        );
        rule.min_attendance = 80;
        assert_eq!(rule.required_minutes(), 480);
        assert!(rule.is_complete());
        rule.preparation_done = Some(false);
        assert!(!rule.is_complete());
        assert_eq!(rule.missing_nl().len(), 1);
        rule.preparation_done = Some(true);
        assert!(rule.is_complete() && rule.missing_nl().is_empty());
    }

    #[test]
    fn a_message_to_a_run_is_refused_field_by_field_and_all_at_once() {
        use crate::training::model::{MessageAudience, RunMessageForm};
        let form = |subject: &str, body: &str, audience: &str| RunMessageForm {
            subject: subject.into(),
            body: body.into(),
            audience: audience.into(),
        };
        let errors = parse_run_message(&form("", "kort", "iedereen")).unwrap_err();
        assert_eq!(
            errors.keys().cloned().collect::<Vec<_>>(),
            ["audience", "body", "subject"]
        );
        let named = parse_run_message(&form(
            "Lokaal gewijzigd",
            "Vragen? Bel Jan de Vries op 06-12345678.",
            "confirmed",
        ))
        .unwrap_err();
        assert!(named["body"].starts_with("Het bericht bevat"), "{named:?}");
        let valid = parse_run_message(&form(
            " Lokaal gewijzigd ",
            "De tweede bijeenkomst is in lokaal 2.14 op de tweede verdieping.",
            "both",
        ))
        .unwrap();
        assert_eq!(valid.subject, "Lokaal gewijzigd");
        assert_eq!(valid.audience, MessageAudience::Both);
    }

    #[test]
    fn evaluations_are_checked_and_shown_only_from_five_answers() {
        let typed = |scores: [&str; 4]| scores.map(String::from).to_vec();
        assert_eq!(
            parse_evaluation(&typed(["4", "5", "3", "4"]), "  Meer oefenen.  ").unwrap(),
            ("4,5,3,4".to_owned(), Some("Meer oefenen.".to_owned()))
        );
        let errors = parse_evaluation(&typed(["0", "5", "", "4"]), "").unwrap_err();
        assert_eq!(
            errors.keys().cloned().collect::<Vec<_>>(),
            ["score_1", "score_3"]
        );
        let answer =
            |scores: &str, remark: Option<&str>| (scores.to_owned(), remark.map(String::from));
        let four: Vec<_> = (0..4).map(|_| answer("5,5,5,5", Some("Top"))).collect();
        let hidden = evaluation_summary(&four);
        assert_eq!(hidden.count, "< 5");
        assert!(hidden.averages.is_empty() && hidden.remarks.is_empty());
        let mut five = four.clone();
        five.push(answer("1,4,3,2", None));
        let shown = evaluation_summary(&five);
        assert_eq!(shown.count, "5");
        assert_eq!(shown.averages[0].1, "4,2");
        assert_eq!(shown.averages[1].1, "4,8");
        assert_eq!(shown.remarks.len(), 4);
        // A remark that names someone is refused with the scores kept for the form.
        let named = parse_evaluation(
            &typed(["4", "5", "3", "4"]),
            "Mail gerust naar trainer@example.org voor vragen.",
        )
        .unwrap_err();
        assert!(
            named["remark"].starts_with("Uw opmerking bevat een e-mailadres"),
            "{named:?}"
        );
    }
}
