//! Pure rules of intervision: what a group and a dilemma must be, and the privacy guard every
//! free text of this domain passes before it is saved.

pub mod methods;
#[cfg(feature = "ssr")]
use crate::privacy_guard::Guarded;

#[cfg(feature = "ssr")]
pub use guard::{ValidAction, ValidDilemma, ValidPost, check_action, check_dilemma, check_post};

use crate::error::FieldErrors;
use crate::intervision::model::{
    GroupForm, MAX_GROUP_SIZE, MAX_RETENTION_MONTHS, MAX_SERIES_MEETINGS, MIN_GROUP_SIZE,
    MIN_RETENTION_MONTHS, MoveMeetingForm, SeriesForm,
};

/// A meeting series as the rules accept it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesSpec {
    pub first_date: chrono::NaiveDate,
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
    pub every_weeks: u32,
    pub count: u32,
    pub location: String,
    pub link: Option<String>,
}

/// When one meeting is: its date and Amsterdam wall-clock times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeetingSlot {
    pub date: chrono::NaiveDate,
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
}

/// A date and two times from a form; a Dutch message per refused field (the date's under
/// `date_field`).
fn parse_slot(
    date: &str,
    start: &str,
    end: &str,
    date_field: &str,
    errors: &mut FieldErrors,
) -> Option<MeetingSlot> {
    use crate::dates::clock_time;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.insert(
            date_field.into(),
            "Kies de datum van de bijeenkomst.".into(),
        );
    }
    let start = clock_time(start.trim());
    if start.is_none() {
        errors.insert("start".into(), "Vul een tijd in, bijv. 14:00.".into());
    }
    let end = clock_time(end.trim());
    match (start, end) {
        (_, None) => {
            errors.insert("end".into(), "Vul een tijd in, bijv. 16:00.".into());
        }
        (Some(start), Some(end)) if end <= start => {
            errors.insert("end".into(), "Het einde ligt na het begin.".into());
        }
        _ => {}
    }
    match (date, start, end) {
        (Some(date), Some(start), Some(end)) if end > start => {
            Some(MeetingSlot { date, start, end })
        }
        _ => None,
    }
}

/// The form that moves one meeting, or a Dutch message per refused field.
pub fn parse_move_form(form: &MoveMeetingForm) -> Result<MeetingSlot, FieldErrors> {
    let mut errors = FieldErrors::new();
    parse_slot(&form.date, &form.start, &form.end, "date", &mut errors).ok_or(errors)
}

/// An admin's "record a meeting afterwards" form: the slot and the reason, or a Dutch message
/// per refused field (all at once).
pub fn parse_late_meeting_form(
    form: &crate::intervision::model::LateMeetingForm,
) -> Result<(MeetingSlot, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let slot = parse_slot(&form.date, &form.start, &form.end, "date", &mut errors);
    let reason = form.reason.trim().to_owned();
    let length = reason.chars().count();
    if length < 10 {
        errors.insert(
            "reason".into(),
            "Schrijf waarom de bijeenkomst achteraf wordt vastgelegd (minstens 10 tekens).".into(),
        );
    } else if length > 300 {
        errors.insert("reason".into(), "Hoogstens 300 tekens.".into());
    } else if crate::plain_text::has_control_characters(&reason) {
        errors.insert("reason".into(), crate::plain_text::ONE_LINE_MESSAGE.into());
    } else if let Err(message) = guarded("De reden bevat", &reason, Guarded::Prose) {
        errors.insert("reason".into(), message);
    }
    match slot {
        Some(slot) if errors.is_empty() => Ok((slot, reason)),
        _ => Err(errors),
    }
}

/// The series form, or a Dutch message per refused field.
pub fn parse_series_form(form: &SeriesForm) -> Result<SeriesSpec, FieldErrors> {
    let mut errors = FieldErrors::new();
    let slot = parse_slot(
        &form.first_date,
        &form.start,
        &form.end,
        "first_date",
        &mut errors,
    );
    let every_weeks = number_within(&form.every_weeks, 1, 26)
        .map_err(|message| errors.insert("every_weeks".into(), message))
        .ok();
    let count = number_within(&form.count, 1, MAX_SERIES_MEETINGS)
        .map_err(|message| errors.insert("count".into(), message))
        .ok();
    let location = form.location.trim().to_owned();
    if location.is_empty() {
        errors.insert("location".into(), "Vul een plaats in, of 'online'.".into());
    } else if crate::plain_text::has_control_characters(&location) {
        errors.insert(
            "location".into(),
            crate::plain_text::ONE_LINE_MESSAGE.into(),
        );
    } else if let Err(message) = guarded("De plaats bevat", &location, Guarded::Place) {
        errors.insert("location".into(), message);
    }
    let link = Some(form.link.trim().to_owned()).filter(|link| !link.is_empty());
    if link
        .as_deref()
        .is_some_and(|link| !crate::plain_text::is_https_link(link))
    {
        errors.insert("link".into(), crate::plain_text::LINK_MESSAGE.into());
    }
    // An online series is no series without the address to meet at.
    if link.is_none() && location.eq_ignore_ascii_case("online") {
        errors.insert(
            "link".into(),
            "Een online bijeenkomst heeft een link nodig (https://…).".into(),
        );
    }
    match (slot, every_weeks, count) {
        (Some(slot), Some(every_weeks), Some(count)) if errors.is_empty() => Ok(SeriesSpec {
            first_date: slot.date,
            start: slot.start,
            end: slot.end,
            every_weeks,
            count,
            location,
            link,
        }),
        _ => Err(errors),
    }
}

/// A meeting's start and end, in UTC.
pub type MeetingTimes = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

/// The meetings of a series as `(start, end)` in UTC: the recurrence rule (RFC 5545, the
/// `rrule` crate) in Amsterdam time, so 14:00 stays 14:00 across daylight saving time.
#[cfg(feature = "ssr")]
pub fn series_meetings(spec: &SeriesSpec) -> Result<Vec<MeetingTimes>, String> {
    use chrono::Utc;
    let start = spec.first_date.and_time(spec.start);
    let rule = format!(
        "DTSTART;TZID=Europe/Amsterdam:{}\nRRULE:FREQ=WEEKLY;INTERVAL={};COUNT={}",
        start.format("%Y%m%dT%H%M%S"),
        spec.every_weeks,
        spec.count
    );
    let set: rrule::RRuleSet = rule.parse().map_err(|e: rrule::RRuleError| e.to_string())?;
    let length = spec.end - spec.start;
    Ok(set
        .all(MAX_SERIES_MEETINGS as u16)
        .dates
        .into_iter()
        .map(|begin| {
            let begin = begin.with_timezone(&Utc);
            (begin, begin + length)
        })
        .collect())
}

/// A new group as the rules accept it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSpec {
    pub name: String,
    pub max_members: u32,
    pub retention_months: u32,
    pub agreement: String,
}

fn number_within(text: &str, low: u32, high: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (low..=high).contains(&n) => Ok(n),
        _ => Err(format!("Vul een getal van {low} tot en met {high} in.")),
    }
}

/// A new retention period in months as typed, or the Dutch message.
pub fn parse_retention(text: &str) -> Result<u32, String> {
    number_within(text, MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS)
}

/// Content written from `from` until `until` (None: without bound) is kept `months` months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionSegment {
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub months: i32,
}

/// The periods that apply to a group's content, given its retention changes `(when, months
/// before the change)` in order and its `current` months. Content keeps the period it was
/// written under, unless a later one is shorter: a shorter period applies to everything at
/// once, a longer one only to what is written after it.
pub fn retention_segments(
    changes: &[(chrono::DateTime<chrono::Utc>, i32)],
    current: i32,
) -> Vec<RetentionSegment> {
    let mut segments = Vec::with_capacity(changes.len() + 1);
    let mut from = None;
    for (changed_at, months_before) in changes {
        segments.push(RetentionSegment {
            from,
            until: Some(*changed_at),
            months: *months_before,
        });
        from = Some(*changed_at);
    }
    segments.push(RetentionSegment {
        from,
        until: None,
        months: current,
    });
    // Walking back, each segment takes the shortest period that came after it.
    let mut shortest = i32::MAX;
    for segment in segments.iter_mut().rev() {
        shortest = shortest.min(segment.months);
        segment.months = shortest;
    }
    segments
}

/// A confidentiality agreement as the members will read it: written out, at least 40
/// characters; the Dutch message otherwise.
pub fn check_agreement(text: &str) -> Result<String, String> {
    let agreement = text.trim();
    if agreement.chars().count() < 40 {
        return Err("Schrijf de vertrouwelijkheidsafspraken uit (minstens 40 tekens).".into());
    }
    guarded("De afspraken bevatten", agreement, Guarded::Text)?;
    Ok(agreement.to_owned())
}

/// Every free text this domain stores passes the privacy guard (on the server, where it is
/// saved): `subject` starts the Dutch refusal ("De naam bevat").
#[cfg(feature = "ssr")]
fn guarded(subject: &str, text: &str, what: Guarded) -> Result<(), String> {
    crate::privacy_guard::refusal(subject, text, what)
}

/// In the browser the guard does not run: the server checks what is saved.
#[cfg(not(feature = "ssr"))]
#[derive(Clone, Copy)]
enum Guarded {
    Text,
    Label,
    Place,
    Prose,
}

#[cfg(not(feature = "ssr"))]
fn guarded(_subject: &str, _text: &str, _what: Guarded) -> Result<(), String> {
    Ok(())
}

/// The new-group form, or a Dutch message per refused field.
pub fn parse_group_form(form: &GroupForm) -> Result<GroupSpec, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        errors.insert("name".into(), "Geef de groep een naam.".into());
    } else if name.chars().count() > 120 {
        errors.insert("name".into(), "Hoogstens 120 tekens.".into());
    } else if let Err(message) = guarded("De naam bevat", &name, Guarded::Label) {
        errors.insert("name".into(), message);
    }
    let max_members = number_within(&form.max_members, MIN_GROUP_SIZE, MAX_GROUP_SIZE)
        .map_err(|message| errors.insert("max_members".into(), message))
        .ok();
    let retention_months = number_within(
        &form.retention_months,
        MIN_RETENTION_MONTHS,
        MAX_RETENTION_MONTHS,
    )
    .map_err(|message| errors.insert("retention_months".into(), message))
    .ok();
    let agreement = check_agreement(&form.agreement)
        .map_err(|message| errors.insert("agreement".into(), message))
        .unwrap_or_default();
    match (max_members, retention_months) {
        (Some(max_members), Some(retention_months)) if errors.is_empty() => Ok(GroupSpec {
            name,
            max_members,
            retention_months,
            agreement,
        }),
        _ => Err(errors),
    }
}

#[cfg(feature = "ssr")]
mod guard {
    use crate::error::FieldErrors;
    use crate::intervision::model::{
        ACTION_FIELD, ActionDraft, DilemmaDraft, DilemmaField, DilemmaForm, GuardFlag,
        MAX_DILEMMA_FIELD_CHARS, PostDraft, REPLY_FIELD, Segment, THEMES_FIELD,
    };
    use crate::privacy_guard::{self as pii, PiiKind};
    use crate::vocabulary::{Phenomenon, Theme, WorkField};

    /// A dilemma the rules and the guard accept.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ValidDilemma {
        pub work_field: WorkField,
        pub phenomenon: Phenomenon,
        /// Practice themes besides the phenomenon (see `Theme::practice`).
        pub themes: std::collections::BTreeSet<Theme>,
        /// Per field, in [`DilemmaField::ALL`] order.
        pub texts: Vec<(DilemmaField, String)>,
        /// Name findings the writer overruled ("dit zijn geen persoonsnamen").
        pub names_overruled: usize,
    }

    /// The form cut at its findings, so the page can highlight them.
    fn segments_of(text: &str, findings: &[pii::Finding]) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut at = 0;
        for finding in findings {
            if finding.start > at {
                segments.push(Segment {
                    text: text[at..finding.start].to_owned(),
                    finding: None,
                });
            }
            segments.push(Segment {
                text: text[finding.start..finding.end].to_owned(),
                finding: Some((
                    finding.kind.label().to_owned(),
                    finding.kind.hint().to_owned(),
                )),
            });
            at = finding.end;
        }
        if at < text.len() {
            segments.push(Segment {
                text: text[at..].to_owned(),
                finding: None,
            });
        }
        segments
    }

    /// What the guard made of one free text.
    enum Guarded {
        /// Clean, or only names the writer overruled.
        Passed { names_overruled: usize },
        Refused {
            flag: GuardFlag,
            message: String,
            /// Every finding is a name (the writer may overrule them).
            only_names: bool,
        },
    }

    /// One free text through the guard; `not_names`: the writer overrules name findings.
    fn guard_text(key: &str, text: &str, not_names: bool) -> Guarded {
        let findings = pii::scan(text);
        let kinds: Vec<PiiKind> = findings.iter().map(|f| f.kind).collect();
        let only_names = kinds.iter().all(|k| k.may_be_overridden());
        if findings.is_empty() || (only_names && not_names) {
            return Guarded::Passed {
                names_overruled: findings.len(),
            };
        }
        let mut labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
        labels.dedup();
        Guarded::Refused {
            flag: GuardFlag {
                field: key.to_owned(),
                segments: segments_of(text, &findings),
            },
            message: format!(
                "Dit veld bevat mogelijk persoonsgegevens ({}). Pas de gemarkeerde tekst aan.",
                labels.join(", ")
            ),
            only_names,
        }
    }

    /// A reply the guard passed.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ValidPost {
        pub text: String,
        pub names_overruled: usize,
    }

    /// Checks a reply in a thread as a dilemma's fields are checked.
    pub fn check_post(text: &str, not_names: bool) -> Result<ValidPost, Box<PostDraft>> {
        let trimmed = text.trim();
        let refuse = |message: String, flag: Option<GuardFlag>, only_names: bool| {
            let mut errors = FieldErrors::new();
            errors.insert(REPLY_FIELD.into(), message);
            Err(Box::new(PostDraft {
                text: text.to_owned(),
                errors,
                flag,
                only_names,
            }))
        };
        if trimmed.is_empty() {
            return refuse("Schrijf eerst uw reactie.".into(), None, false);
        }
        if trimmed.chars().count() > MAX_DILEMMA_FIELD_CHARS {
            return refuse(
                format!("Hoogstens {MAX_DILEMMA_FIELD_CHARS} tekens."),
                None,
                false,
            );
        }
        match guard_text(REPLY_FIELD, trimmed, not_names) {
            Guarded::Passed { names_overruled } => Ok(ValidPost {
                text: trimmed.to_owned(),
                names_overruled,
            }),
            Guarded::Refused {
                flag,
                message,
                only_names,
            } => refuse(message, Some(flag), only_names),
        }
    }

    /// An action point the rules and the guard accept.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ValidAction {
        pub text: String,
        pub owner: Option<i32>,
        pub due_on: Option<chrono::NaiveDate>,
        pub names_overruled: usize,
    }

    /// Checks an action point: its text (short, through the guard), an owner from the group
    /// (`people`) or none, a due date or none.
    /// An action point: text through the guard, an owner from the group, a due date (if any)
    /// that lies after `today`.
    pub fn check_action(
        draft: ActionDraft,
        not_names: bool,
        people: &[i32],
        today: chrono::NaiveDate,
    ) -> Result<ValidAction, Box<ActionDraft>> {
        let mut draft = draft;
        let text = draft.text.trim().to_owned();
        let mut names = 0;
        if text.is_empty() {
            draft
                .errors
                .insert(ACTION_FIELD.into(), "Beschrijf het actiepunt.".into());
        } else if text.chars().count() > 500 {
            draft
                .errors
                .insert(ACTION_FIELD.into(), "Hoogstens 500 tekens.".into());
        } else {
            match guard_text(ACTION_FIELD, &text, not_names) {
                Guarded::Passed { names_overruled } => names = names_overruled,
                Guarded::Refused {
                    flag,
                    message,
                    only_names,
                } => {
                    draft.errors.insert(ACTION_FIELD.into(), message);
                    draft.flag = Some(flag);
                    draft.only_names = only_names;
                }
            }
        }
        let owner = match draft.owner.trim() {
            "" => None,
            id => match id.parse::<i32>() {
                Ok(id) if people.contains(&id) => Some(id),
                _ => {
                    draft
                        .errors
                        .insert("owner".into(), "Kies iemand uit de groep.".into());
                    None
                }
            },
        };
        let due_on = match draft.due_on.trim() {
            "" => None,
            text => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) if date > today => Some(date),
                Ok(_) => {
                    draft.errors.insert(
                        "due_on".into(),
                        "Kies een datum die nog moet komen, of laat het leeg.".into(),
                    );
                    None
                }
                Err(_) => {
                    draft
                        .errors
                        .insert("due_on".into(), "Kies een datum, of laat het leeg.".into());
                    None
                }
            },
        };
        if draft.errors.is_empty() {
            Ok(ValidAction {
                text,
                owner,
                due_on,
                names_overruled: names,
            })
        } else {
            Err(Box::new(draft))
        }
    }

    /// Checks a dilemma form: required fields, lengths, the vocabularies, and the privacy
    /// guard over every free-text field. Refused: the draft to show, with nothing typed lost.
    pub fn check_dilemma(form: &DilemmaForm) -> Result<ValidDilemma, Box<DilemmaDraft>> {
        let mut errors = FieldErrors::new();
        let work_field = WorkField::from_slug(&form.work_field);
        if work_field.is_none() {
            errors.insert("work_field".into(), "Kies een werkterrein.".into());
        }
        let phenomenon = Phenomenon::from_slug(&form.phenomenon);
        if phenomenon.is_none() {
            errors.insert("phenomenon".into(), "Kies een fenomeen.".into());
        }
        let mut themes = std::collections::BTreeSet::new();
        for slug in &form.themes {
            match Theme::from_slug(slug).filter(|t| t.phenomenon().is_none()) {
                Some(theme) => {
                    themes.insert(theme);
                }
                None => {
                    errors.insert(THEMES_FIELD.into(), "Kies thema's uit de lijst.".into());
                }
            }
        }
        let mut flags = Vec::new();
        let mut only_names = true;
        let mut names = 0;
        let mut texts = Vec::new();
        for field in DilemmaField::ALL {
            let text = form.text(field).trim();
            if field.required() && text.is_empty() {
                errors.insert(field.slug().into(), "Vul dit veld in.".into());
            } else if text.chars().count() > MAX_DILEMMA_FIELD_CHARS {
                errors.insert(
                    field.slug().into(),
                    format!("Hoogstens {MAX_DILEMMA_FIELD_CHARS} tekens."),
                );
            }
            match guard_text(field.slug(), text, form.not_names) {
                Guarded::Passed { names_overruled } => names += names_overruled,
                Guarded::Refused {
                    flag,
                    message,
                    only_names: field_only_names,
                } => {
                    only_names &= field_only_names;
                    errors.insert(field.slug().into(), message);
                    flags.push(flag);
                }
            }
            texts.push((field, text.to_owned()));
        }
        match (work_field, phenomenon) {
            (Some(work_field), Some(phenomenon)) if errors.is_empty() => Ok(ValidDilemma {
                work_field,
                phenomenon,
                themes,
                texts,
                names_overruled: names,
            }),
            _ => Err(Box::new(DilemmaDraft {
                form: form.clone(),
                errors,
                only_names: !flags.is_empty() && only_names,
                flags,
            })),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn form(situation: &str, question: &str) -> DilemmaForm {
            let mut form = DilemmaForm {
                work_field: "onderwijs".into(),
                phenomenon: "jihadisme".into(),
                ..DilemmaForm::default()
            };
            form.texts.insert("situatie".into(), situation.into());
            form.texts.insert("vraag".into(), question.into());
            form
        }

        #[test]
        fn practice_themes_are_taken_from_the_list_and_a_phenomenon_is_not_one_of_them() {
            let mut ticked = form("Een leerling deelt filmpjes.", "Wat doe ik?");
            ticked.themes = vec!["school".into(), "gezin".into(), "school".into()];
            let valid = check_dilemma(&ticked).expect("known themes");
            assert_eq!(
                valid.themes.into_iter().collect::<Vec<_>>(),
                [Theme::School, Theme::Gezin]
            );
            for wrong in ["jihadisme", "onbekend"] {
                let mut refused = ticked.clone();
                refused.themes.push(wrong.into());
                let draft = check_dilemma(&refused).expect_err(wrong);
                assert_eq!(draft.errors[THEMES_FIELD], "Kies thema's uit de lijst.");
                assert_eq!(draft.form.themes, refused.themes, "nothing ticked is lost");
            }
        }

        #[test]
        fn a_pseudonymised_dilemma_passes() {
            let valid = check_dilemma(&form(
                "Een leerling (16) deelt in de klasgroep filmpjes van een prediker.",
                "Bespreek ik dit eerst met de ouders of met de wijkagent?",
            ))
            .expect("clean");
            assert_eq!(valid.work_field, WorkField::Onderwijs);
            assert_eq!(
                valid.texts[1],
                (
                    DilemmaField::Question,
                    "Bespreek ik dit eerst met de ouders of met de wijkagent?".to_owned()
                )
            );
        }

        #[test]
        fn a_bsn_and_a_phone_number_are_refused_and_highlighted_with_nothing_lost() {
            let situation = "Cliënt met BSN 111222333 belde vanaf 06-12345678 over zijn zoon.";
            let draft = check_dilemma(&form(situation, "Wat nu?")).expect_err("guarded");
            assert_eq!(draft.form.text(DilemmaField::Situation), situation);
            let flag = &draft.flags[0];
            assert_eq!(flag.field, "situatie");
            let marked: Vec<&str> = flag
                .segments
                .iter()
                .filter(|s| s.finding.is_some())
                .map(|s| s.text.as_str())
                .collect();
            assert_eq!(marked, ["111222333", "06-12345678"]);
            let rebuilt: String = flag.segments.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(rebuilt, situation);
            assert!(draft.errors["situatie"].contains("BSN"));
            assert!(!draft.only_names);
        }

        #[test]
        fn only_name_findings_can_be_overruled() {
            let text = "Mevrouw Bakker van het wijkteam belde.";
            let draft = check_dilemma(&form(text, "Wat nu?")).expect_err("a name");
            assert!(draft.only_names);
            let mut overruled = form(text, "Wat nu?");
            overruled.not_names = true;
            assert_eq!(
                check_dilemma(&overruled)
                    .expect("overruled")
                    .names_overruled,
                1
            );
            let mut with_bsn = form("Mevrouw Bakker, BSN 111222333.", "Wat nu?");
            with_bsn.not_names = true;
            assert!(check_dilemma(&with_bsn).is_err());
        }

        #[test]
        fn a_reply_passes_the_same_guard() {
            assert_eq!(
                check_post("  Goed punt; ik zou eerst de mentor spreken. ", false)
                    .expect("clean")
                    .text,
                "Goed punt; ik zou eerst de mentor spreken."
            );
            let draft = check_post("Bel hem op 06-12345678.", false).expect_err("phone");
            assert_eq!(draft.text, "Bel hem op 06-12345678.");
            assert!(draft.errors["reactie"].contains("telefoonnummer"));
            assert!(check_post("   ", false).is_err());
        }

        #[test]
        fn an_action_point_needs_text_from_the_guard_an_owner_from_the_group_and_a_real_date() {
            let draft = |text: &str, owner: &str, due: &str| ActionDraft {
                text: text.into(),
                owner: owner.into(),
                due_on: due.into(),
                ..ActionDraft::default()
            };
            let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).expect("date");
            let valid = check_action(
                draft("Gesprek met de mentor plannen", "7", "2027-02-01"),
                false,
                &[7],
                today,
            )
            .expect("valid");
            assert_eq!(valid.owner, Some(7));
            let refused = check_action(draft("Bel 06-12345678", "8", "1 feb"), false, &[7], today)
                .expect_err("refused");
            for key in ["actiepunt", "owner", "due_on"] {
                assert!(refused.errors.contains_key(key), "{key}");
            }
            // A due date that has passed (or is today) is no promise for later.
            let past = check_action(
                draft("Gesprek plannen", "7", "2027-01-20"),
                false,
                &[7],
                today,
            )
            .expect_err("past");
            assert!(past.errors["due_on"].contains("nog moet komen"));
            assert_eq!(refused.text, "Bel 06-12345678");
        }

        #[test]
        fn missing_fields_and_vocabulary_are_refused_in_dutch() {
            let empty = DilemmaForm {
                work_field: "politie".into(),
                ..DilemmaForm::default()
            };
            let draft = check_dilemma(&empty).expect_err("empty");
            for key in ["work_field", "phenomenon", "situatie", "vraag"] {
                assert!(draft.errors.contains_key(key), "{key}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shorter_period_applies_to_all_content_a_longer_one_only_to_new_content() {
        let at = |day: u32| {
            chrono::NaiveDate::from_ymd_opt(2027, 1, day)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
        };
        // Never changed: one period for everything.
        assert_eq!(
            retention_segments(&[], 12),
            vec![RetentionSegment {
                from: None,
                until: None,
                months: 12
            }]
        );
        // 12, then longer (24) on the 5th, then shorter (6) on the 10th, then 18 on the 20th.
        let segments = retention_segments(&[(at(5), 12), (at(10), 24), (at(20), 6)], 18);
        let months: Vec<i32> = segments.iter().map(|s| s.months).collect();
        assert_eq!(months, vec![6, 6, 6, 18]);
        assert_eq!(segments[1].from, Some(at(5)));
        assert_eq!(segments[1].until, Some(at(10)));
        assert_eq!(segments[3].until, None);
        // Only longer: what was written before keeps its own shorter period.
        let months: Vec<i32> = retention_segments(&[(at(5), 6), (at(10), 12)], 24)
            .iter()
            .map(|s| s.months)
            .collect();
        assert_eq!(months, vec![6, 12, 24]);
        assert!(parse_retention("2").is_err() && parse_retention(" 24 ").is_ok());
    }
    use crate::dates::hours_nl;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_series_every_six_weeks_keeps_its_local_time_across_daylight_saving() {
        let spec = parse_series_form(&SeriesForm {
            first_date: "2027-01-14".into(),
            location: "Utrecht".into(),
            ..SeriesForm::default()
        })
        .expect("valid");
        let meetings = series_meetings(&spec).expect("rule");
        assert_eq!(meetings.len(), 6);
        let amsterdam = |at: chrono::DateTime<chrono::Utc>| {
            at.with_timezone(&chrono_tz::Europe::Amsterdam)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        // Winter (UTC+1) and summer (UTC+2): 14:00 in Amsterdam each time, six weeks apart.
        assert_eq!(amsterdam(meetings[0].0), "2027-01-14 14:00");
        assert_eq!(amsterdam(meetings[2].0), "2027-04-08 14:00");
        assert_eq!(amsterdam(meetings[5].1), "2027-08-12 16:00");
        assert_eq!(
            hours_nl((meetings[0].1 - meetings[0].0).num_minutes()),
            "2 uur"
        );
        assert_eq!(hours_nl(90), "1,5 uur");
    }

    #[test]
    fn a_series_form_is_refused_field_by_field() {
        let errors = parse_series_form(&SeriesForm {
            first_date: "14-01-2027".into(),
            start: "16:00".into(),
            end: "14:00".into(),
            every_weeks: "0".into(),
            count: "99".into(),
            location: "".into(),
            link: "http://onveilig".into(),
        })
        .expect_err("invalid");
        for key in [
            "first_date",
            "end",
            "every_weeks",
            "count",
            "location",
            "link",
        ] {
            assert!(errors.contains_key(key), "{key}");
        }
        // Online without a link: refused at the link.
        let online = parse_series_form(&SeriesForm {
            first_date: "2027-01-14".into(),
            location: "Online".into(),
            ..SeriesForm::default()
        })
        .expect_err("no link");
        assert!(online["link"].contains("link nodig"), "{online:?}");
    }

    #[test]
    fn a_group_needs_a_name_a_size_a_retention_and_an_agreement() {
        let spec = parse_group_form(&GroupForm {
            name: "Intervisie Zuid".into(),
            ..GroupForm::default()
        })
        .expect("valid");
        assert_eq!((spec.max_members, spec.retention_months), (8, 12));
        let errors = parse_group_form(&GroupForm {
            name: " ".into(),
            max_members: "40".into(),
            retention_months: "1".into(),
            agreement: "kort".into(),
        })
        .expect_err("invalid");
        assert_eq!(errors.len(), 4);
    }

    #[test]
    fn group_names_and_meeting_places_pass_the_privacy_guard() {
        let group = |name: &str| GroupForm {
            name: name.into(),
            max_members: "8".into(),
            retention_months: "12".into(),
            agreement: "Wat hier besproken wordt, blijft in de groep en gaat niet naar buiten."
                .into(),
        };
        let errors = parse_group_form(&group("Casus Jan de Vries")).expect_err("a name");
        assert!(
            errors["name"].starts_with("De naam bevat een naam"),
            "{errors:?}"
        );
        assert!(parse_group_form(&group("Wijkteams Utrecht-Zuid")).is_ok());
        assert!(parse_group_form(&group("Korte bewaartermijn")).is_ok());

        let series = |location: &str| SeriesForm {
            first_date: "2027-03-01".into(),
            location: location.into(),
            ..SeriesForm::default()
        };
        let errors =
            parse_series_form(&series("Thuis, bel 06-12345678")).expect_err("a phone number");
        assert!(
            errors["location"].starts_with("De plaats bevat een telefoonnummer"),
            "{errors:?}"
        );
        // A venue's address is what the field is for.
        assert!(
            parse_series_form(&series("Stadskantoor, Stationsplein 1, 3511 ED Utrecht")).is_ok()
        );
    }
}
