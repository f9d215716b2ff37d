//! The intervision methods as data: their steps with Dutch texts and default minutes, after
//! the structures in the centre's reference (Hendriksen's incident method, the gossip method,
//! Balint, the five-step model, Tietze's collegial consultation).

/// One step of a method, with its default time box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodStep {
    pub title: &'static str,
    pub text: &'static str,
    pub minutes: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Method {
    pub slug: &'static str,
    pub name: &'static str,
    pub steps: &'static [MethodStep],
}

const fn step(title: &'static str, text: &'static str, minutes: u32) -> MethodStep {
    MethodStep {
        title,
        text,
        minutes,
    }
}

pub const METHODS: [Method; 5] = [
    Method {
        slug: "incidentmethode",
        name: "Incidentmethode",
        steps: &[
            step(
                "Terugblik",
                "Wat deed de inbrenger met het advies van de vorige keer?",
                5,
            ),
            step(
                "Het incident",
                "De inbrenger beschrijft kort de ingebrachte situatie: wat gebeurde er, en waarom blijft het hangen?",
                10,
            ),
            step(
                "De vraag",
                "De inbrenger zegt wat hij of zij over deze situatie wil weten; de groep checkt of de vraag helder is.",
                5,
            ),
            step(
                "Feitelijke vragen",
                "Alleen vragen naar de feiten van deze situatie: wat gebeurde er, wie deed wat, wat liet de inbrenger na.",
                15,
            ),
            step(
                "Analyse",
                "De groep analyseert de ingebrachte situatie; de inbrenger luistert.",
                10,
            ),
            step(
                "Adviesronde",
                "Ieder geeft een advies; de inbrenger luistert alleen.",
                10,
            ),
            step(
                "Evaluatie",
                "Wat neemt de inbrenger mee, en hoe verliep het proces?",
                10,
            ),
        ],
    },
    Method {
        slug: "roddelmethode",
        name: "Roddelmethode",
        steps: &[
            step(
                "De vraag",
                "De inbrenger vertelt de situatie en stelt de vraag.",
                5,
            ),
            step(
                "Open vragen",
                "De groep stelt open vragen om de situatie te begrijpen.",
                10,
            ),
            step(
                "Roddelen",
                "De groep praat in de derde persoon over de situatie; de inbrenger zit buiten de kring en luistert alleen.",
                15,
            ),
            step(
                "Reactie",
                "De inbrenger vertelt wat opviel en wat raakte.",
                10,
            ),
            step(
                "Evaluatie",
                "Hoe was het om zo te werken, en wat neemt ieder mee?",
                5,
            ),
        ],
    },
    Method {
        slug: "balintmethode",
        name: "Balintmethode",
        steps: &[
            step(
                "Casussen verzamelen",
                "Wie heeft een situatie die blijft hangen?",
                5,
            ),
            step("Kiezen", "De groep kiest één casus.", 5),
            step(
                "Vertellen",
                "De inbrenger vertelt, ook wat de situatie bij hem of haar oproept.",
                10,
            ),
            step(
                "Associaties",
                "Ieder schrijft op wat het verhaal oproept.",
                5,
            ),
            step(
                "Verhelderende vragen",
                "Vragen om het verhaal beter te begrijpen.",
                10,
            ),
            step(
                "Schriftelijk advies",
                "Ieder schrijft een eigen advies op.",
                5,
            ),
            step(
                "Reflectie",
                "De groep bespreekt de adviezen; de inbrenger zwijgt.",
                15,
            ),
            step("Besluit", "De inbrenger kiest wat hij of zij meeneemt.", 5),
            step("Evaluatie", "Terugblik op het proces.", 5),
        ],
    },
    Method {
        slug: "vijfstappenmodel",
        name: "Vijfstappenmodel",
        steps: &[
            step(
                "De vraag introduceren",
                "De inbrenger schetst de situatie en de vraag.",
                5,
            ),
            step(
                "Verkennen",
                "De groep verkent met vragen en samenvattingen.",
                15,
            ),
            step("Kernvraag", "Samen de kernvraag formuleren.", 10),
            step(
                "Adviesronde",
                "Ieder geeft minstens één advies; de inbrenger reageert.",
                15,
            ),
            step(
                "Evaluatie",
                "Wat neemt de inbrenger mee, en hoe verliep het?",
                5,
            ),
        ],
    },
    Method {
        slug: "kollegiale-consultatie",
        name: "Collegiale consultatie (Tietze)",
        steps: &[
            step(
                "Rollen verdelen",
                "Gespreksleider, casusinbrenger, adviseurs en notulist.",
                5,
            ),
            step(
                "Spontaan verslag",
                "De inbrenger vertelt; een paar verhelderende vragen.",
                10,
            ),
            step(
                "Sleutelvraag",
                "De inbrenger formuleert de sleutelvraag.",
                5,
            ),
            step(
                "Methode kiezen",
                "Brainstorm, omgekeerde brainstorm, resonantieronde, hypothesen…",
                5,
            ),
            step(
                "Adviezen",
                "De adviseurs geven adviezen; de inbrenger luistert alleen.",
                10,
            ),
            step(
                "Afsluiting",
                "De inbrenger reageert op wat bruikbaar is.",
                5,
            ),
        ],
    },
];

/// The method with this slug.
pub fn method(slug: &str) -> Option<&'static Method> {
    METHODS.iter().find(|method| method.slug == slug)
}

/// The longest time box a facilitator can give one step.
pub const MAX_STEP_MINUTES: u32 = 120;

impl Method {
    /// The steps' minutes for one meeting: as the facilitator stored them ("5,15,20"), or
    /// the defaults when nothing (or something that no longer fits the method) is stored.
    pub fn minutes(&self, stored: Option<&str>) -> Vec<u32> {
        let defaults = || self.steps.iter().map(|step| step.minutes).collect();
        stored
            .and_then(|text| {
                text.split(',')
                    .map(|part| part.parse::<u32>().ok())
                    .collect::<Option<Vec<u32>>>()
            })
            .filter(|minutes| minutes.len() == self.steps.len())
            .unwrap_or_else(defaults)
    }

    /// The minutes the facilitator typed, one per step, each 1 to [`MAX_STEP_MINUTES`]; the
    /// stored form ("5,15,20"), or a Dutch message.
    pub fn parse_minutes(&self, typed: &[String]) -> Result<String, String> {
        let minutes: Option<Vec<u32>> = typed
            .iter()
            .map(|text| {
                text.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|m| (1..=MAX_STEP_MINUTES).contains(m))
            })
            .collect();
        match minutes {
            Some(minutes) if minutes.len() == self.steps.len() => Ok(minutes
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            _ => Err(format!(
                "Vul bij elke stap een aantal minuten in, van 1 tot en met {MAX_STEP_MINUTES}."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_per_meeting_replace_the_defaults_only_when_they_fit() {
        let balint = method("balintmethode").unwrap();
        let defaults: Vec<u32> = balint.steps.iter().map(|s| s.minutes).collect();
        assert_eq!(balint.minutes(None), defaults);
        let typed: Vec<String> = (1..=balint.steps.len()).map(|m| format!(" {m} ")).collect();
        let stored = balint.parse_minutes(&typed).unwrap();
        assert_eq!(
            balint.minutes(Some(&stored)),
            (1..=balint.steps.len() as u32).collect::<Vec<_>>()
        );
        // Stored for another method, or damaged: the defaults.
        assert_eq!(balint.minutes(Some("5,10")), defaults);
        assert_eq!(balint.minutes(Some("x")), defaults);
        let mut wrong = typed.clone();
        wrong[0] = "0".into();
        assert!(balint.parse_minutes(&wrong).is_err());
        wrong[0] = "121".into();
        assert!(balint.parse_minutes(&wrong).is_err());
        assert!(balint.parse_minutes(&typed[1..]).is_err());
    }

    #[test]
    fn every_method_has_steps_with_time_boxes_and_ends_looking_back() {
        for method in METHODS {
            assert!(method.steps.len() >= 5, "{}", method.slug);
            assert!(method.steps.iter().all(|s| s.minutes > 0));
            assert_eq!(super::method(method.slug), Some(&method));
        }
        let incident: u32 = method("incidentmethode")
            .unwrap()
            .steps
            .iter()
            .map(|s| s.minutes)
            .sum();
        assert_eq!(incident, 65);
        assert_eq!(method("onbekend"), None);
    }

    #[test]
    fn the_incident_method_runs_on_the_one_situation_brought_in() {
        // The runner runs on one dilemma: no step asks everyone for incidents or to choose one.
        let incident = method("incidentmethode").unwrap();
        for step in incident.steps {
            let text = format!("{} {}", step.title, step.text).to_lowercase();
            assert!(
                !text.contains("ieder noemt") && !text.contains("kiest"),
                "{}",
                step.title
            );
        }
        assert!(
            incident
                .steps
                .iter()
                .any(|s| s.text.contains("ingebrachte situatie"))
        );
    }
}
