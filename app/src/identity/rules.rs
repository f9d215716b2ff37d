//! The profile a user fills in at first login, and its validation. Shared by server and
//! browser so both give the same Dutch messages.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::WorkField;

crate::vocabulary! {
    /// Professional registers whose numbers accreditation needs.
    pub enum Register {
        Big = ("big", "BIG-register"),
        Skj = ("skj", "SKJ"),
        Nip = ("nip", "NIP"),
        Registerplein = ("registerplein", "Registerplein"),
        Anders = ("anders", "Ander register"),
    }
}

impl Register {
    /// Registers that award a training's points per hour of contact time attended (SKJ and
    /// Registerplein: one point per hour), so someone who missed part earns fewer.
    pub fn counts_per_hour(self) -> bool {
        matches!(self, Register::Skj | Register::Registerplein)
    }

    /// Checks the shape of a number (spaces already removed); `Err` holds the Dutch message.
    pub fn check_number(self, number: &str) -> Result<(), &'static str> {
        let digits = number.chars().all(|c| c.is_ascii_digit());
        let ok = match self {
            // BIG numbers are always 11 digits.
            Register::Big => digits && number.len() == 11,
            Register::Skj => digits && (5..=10).contains(&number.len()),
            Register::Nip => digits && (4..=8).contains(&number.len()),
            Register::Registerplein => digits && (5..=10).contains(&number.len()),
            Register::Anders => {
                (2..=30).contains(&number.len())
                    && number
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            }
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            Register::Big => "Een BIG-nummer bestaat uit precies 11 cijfers.",
            Register::Skj => "Een SKJ-registratienummer bestaat uit 5 tot 10 cijfers.",
            Register::Nip => "Een NIP-lidnummer bestaat uit 4 tot 8 cijfers.",
            Register::Registerplein => "Een Registerplein-nummer bestaat uit 5 tot 10 cijfers.",
            Register::Anders => {
                "Gebruik 2 tot 30 letters, cijfers, punten of streepjes voor het registratienummer."
            }
        })
    }
}

/// One register line as typed in the form (strings, so nothing typed is lost on an error).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterInput {
    #[serde(default)]
    pub register: String,
    #[serde(default)]
    pub number: String,
}

/// The profile form exactly as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub work_field: String,
    #[serde(default)]
    pub registers: Vec<RegisterInput>,
}

/// A validated profile, ready to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub organisation: String,
    pub work_field: WorkField,
    pub registers: Vec<(Register, String)>,
}

impl Profile {
    pub fn to_input(&self) -> ProfileInput {
        ProfileInput {
            display_name: self.display_name.clone(),
            organisation: self.organisation.clone(),
            work_field: self.work_field.slug().to_owned(),
            registers: self
                .registers
                .iter()
                .map(|(register, number)| RegisterInput {
                    register: register.slug().to_owned(),
                    number: number.clone(),
                })
                .collect(),
        }
    }
}

/// Dutch messages keyed by field name (`display_name`, `registers.2.number`, …).
pub use crate::error::FieldErrors;

pub const MAX_REGISTERS: usize = 10;

/// Validates the form. Empty register rows are ignored (the form always offers one).
pub fn validate(input: &ProfileInput) -> Result<Profile, FieldErrors> {
    let mut errors = FieldErrors::new();
    let display_name = input.display_name.trim();
    if display_name.chars().count() < 2 {
        errors.insert("display_name".into(), "Vul uw naam in.".into());
    } else if display_name.chars().count() > 120 {
        errors.insert(
            "display_name".into(),
            "Uw naam mag hoogstens 120 tekens lang zijn.".into(),
        );
    }
    let organisation = input.organisation.trim();
    if organisation.is_empty() {
        errors.insert(
            "organisation".into(),
            "Vul de organisatie in waar u werkt.".into(),
        );
    } else if organisation.chars().count() > 200 {
        errors.insert(
            "organisation".into(),
            "De naam van de organisatie mag hoogstens 200 tekens lang zijn.".into(),
        );
    }
    let work_field = WorkField::from_slug(input.work_field.trim());
    if work_field.is_none() {
        errors.insert("work_field".into(), "Kies uw werkterrein.".into());
    }
    let mut registers = Vec::new();
    for (index, row) in input.registers.iter().enumerate() {
        let number: String = row.number.chars().filter(|c| !c.is_whitespace()).collect();
        let chosen = row.register.trim();
        if number.is_empty() && chosen.is_empty() {
            continue;
        }
        let Some(register) = Register::from_slug(chosen) else {
            errors.insert(
                format!("registers.{index}.register"),
                "Kies bij welk register dit nummer hoort.".into(),
            );
            continue;
        };
        if number.is_empty() {
            errors.insert(
                format!("registers.{index}.number"),
                "Vul het registratienummer in, of maak het register leeg.".into(),
            );
        } else if let Err(message) = register.check_number(&number) {
            errors.insert(format!("registers.{index}.number"), message.into());
        } else if registers.contains(&(register, number.clone())) {
            errors.insert(
                format!("registers.{index}.number"),
                "Dit nummer staat er al.".into(),
            );
        } else {
            registers.push((register, number));
        }
    }
    if registers.len() > MAX_REGISTERS {
        errors.insert(
            "registers".into(),
            format!("U kunt hoogstens {MAX_REGISTERS} registraties opgeven."),
        );
    }
    match (errors.is_empty(), work_field) {
        (true, Some(work_field)) => Ok(Profile {
            display_name: display_name.to_owned(),
            organisation: organisation.to_owned(),
            work_field,
            registers,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(registers: &[(&str, &str)]) -> ProfileInput {
        ProfileInput {
            display_name: " Sanne de Vries ".into(),
            organisation: "Gemeente Utrecht".into(),
            work_field: "gemeente".into(),
            registers: registers
                .iter()
                .map(|(r, n)| RegisterInput {
                    register: r.to_string(),
                    number: n.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn valid_profile_is_trimmed_and_keeps_registers() {
        let profile = validate(&input(&[("big", "1234567 8901"), ("", "")])).unwrap();
        assert_eq!(profile.display_name, "Sanne de Vries");
        assert_eq!(profile.work_field, WorkField::Gemeente);
        assert_eq!(
            profile.registers,
            vec![(Register::Big, "12345678901".into())]
        );
    }

    #[test]
    fn every_field_gets_its_own_dutch_message() {
        let errors = validate(&ProfileInput {
            registers: vec![
                RegisterInput {
                    register: "big".into(),
                    number: "123".into(),
                },
                RegisterInput {
                    register: "".into(),
                    number: "99999".into(),
                },
            ],
            ..ProfileInput::default()
        })
        .unwrap_err();
        assert_eq!(errors["display_name"], "Vul uw naam in.");
        assert!(errors.contains_key("organisation"));
        assert_eq!(errors["work_field"], "Kies uw werkterrein.");
        assert!(errors["registers.0.number"].contains("11 cijfers"));
        assert!(errors.contains_key("registers.1.register"));
    }

    #[test]
    fn register_formats() {
        assert!(Register::Big.check_number("12345678901").is_ok());
        assert!(Register::Big.check_number("1234567890").is_err());
        assert!(Register::Big.check_number("1234567890a").is_err());
        assert!(Register::Skj.check_number("100012345").is_ok());
        assert!(Register::Nip.check_number("12345").is_ok());
        assert!(Register::Anders.check_number("AB-123").is_ok());
        assert!(Register::Anders.check_number("<script>").is_err());
    }

    #[test]
    fn duplicate_numbers_are_refused() {
        let errors =
            validate(&input(&[("big", "12345678901"), ("big", "12345678901")])).unwrap_err();
        assert_eq!(errors["registers.1.number"], "Dit nummer staat er al.");
    }
}
