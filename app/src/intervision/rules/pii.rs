//! The privacy guard: finds personal data in free text before it is saved, so a dilemma is
//! described with roles ("de leerling (16)", "cliënt A") and never identifies a client.
//! Numbers are checked, not only shaped: a BSN must pass the elfproef and an IBAN mod-97, so
//! other 9-digit numbers and account-like strings pass. Names come from lists (see
//! `first_names.txt` and `surnames.txt`) and from the way Dutch writes them (initials, titles,
//! "de Vries"). Only name findings may be overridden by the writer.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

crate::vocabulary! {
    /// What a finding is.
    pub enum PiiKind {
        Bsn = ("bsn", "BSN"),
        Phone = ("phone", "telefoonnummer"),
        Email = ("email", "e-mailadres"),
        Postcode = ("postcode", "postcode"),
        Iban = ("iban", "rekeningnummer (IBAN)"),
        Plate = ("plate", "kenteken"),
        Birthdate = ("birthdate", "geboortedatum"),
        Address = ("address", "adres"),
        Name = ("name", "naam"),
    }
}

impl PiiKind {
    /// What to write instead, in Dutch.
    pub fn hint(self) -> &'static str {
        match self {
            PiiKind::Bsn => "Laat het BSN weg; voor de intervisie is het niet nodig.",
            PiiKind::Phone => "Laat het telefoonnummer weg.",
            PiiKind::Email => "Laat het e-mailadres weg.",
            PiiKind::Postcode => "Noem hoogstens de regio, bijv. 'in een middelgrote gemeente'.",
            PiiKind::Iban => "Laat het rekeningnummer weg.",
            PiiKind::Plate => "Laat het kenteken weg; 'een auto' volstaat.",
            PiiKind::Birthdate => "Noem de leeftijd, bijv. 'een jongere (16)'.",
            PiiKind::Address => "Noem geen adres; 'thuis' of 'in de wijk' volstaat.",
            PiiKind::Name => "Vervang door een rol, bijv. 'de leerling' of 'cliënt A'.",
        }
    }

    /// Only a name can be a false alarm the writer may overrule ("dit is geen persoonsnaam"):
    /// the other kinds are checked numbers or unmistakable shapes.
    pub fn may_be_overridden(self) -> bool {
        self == PiiKind::Name
    }

    /// When two findings overlap, the more specific one stays.
    fn priority(self) -> u8 {
        match self {
            PiiKind::Email => 0,
            PiiKind::Iban => 1,
            PiiKind::Phone => 2,
            PiiKind::Bsn => 3,
            PiiKind::Plate => 4,
            PiiKind::Birthdate => 5,
            PiiKind::Postcode => 6,
            PiiKind::Address => 7,
            PiiKind::Name => 8,
        }
    }
}

/// One finding: its kind and where it is, as byte offsets into the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Word boundaries in the patterns are ASCII (`(?-u:\b)`): Unicode boundaries keep the regex
/// crate off its fast automata, and every boundary here sits next to a digit, an ASCII letter
/// or punctuation.
fn regex(pattern: &str) -> Regex {
    // The patterns are constants of this file; the unit tests compile every one.
    Regex::new(pattern).unwrap_or_else(|error| panic!("pattern {pattern}: {error}"))
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)(?-u:\b)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)")
});
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?-u:\b)[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?-u:\b)"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    let digit = r"(?:\s?-\s?|[\s.])?\d";
    regex(&format!(
        r"(?:(?:\+31|(?-u:\b)0031)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:{digit}){{8}}|(?-u:\b)0[1-9](?:{digit}){{8}}|\(0\d{{2,3}}\)[\s-]?\d(?:{digit}){{5,6}})(?-u:\b)"
    ))
});
static BSN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?-u:\b)(?:\d{9}|\d{3,4}[.\s]\d{2,3}[.\s]\d{2,3})(?-u:\b)"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?-u:\b)[1-9]\d{3} ?[A-Z]{2}(?-u:\b)"));
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?-u:\b)(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}",
        r"|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}",
        r"|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}",
        r"|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)(?-u:\b)"
    ))
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)(?-u:\b)(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}|\d{1,2}\s+(?:januari|februari|maart|april|mei|juni",
        r"|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\.?\s+(?:19|20)\d{2})(?-u:\b)"
    ))
});
static BIRTH_WORD: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)(?:geboren|(?-u:\b)geb\.|geboortedatum|geboortedag|(?-u:\b)geb\s)")
});
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?-u:\b)(?:[A-Z][\p{L}'-]+\s)?[A-Z][\p{L}'-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|steeg|pad|hof",
        r"|park|markt|wal|baan|plantsoen|boulevard|kanaal|haven|veld|erf|oord|ring|allee|hoven|dam)",
        r"\s+\d{1,5}(?:\s?-\s?\d{1,4}|\s?[a-zA-Z](?-u:\b)|\s?(?:hs|bis)(?-u:\b))?"
    ))
});
/// A capitalised word (a name's core).
const CAPITAL_WORD: &str = r"[A-Z][\p{Ll}\p{Lu}'’-]+";
/// Dutch surname prefixes ("tussenvoegsels").
const PREFIXES: &str =
    r"(?:(?:van der|van den|van de|van het|in 't|op de|van|de|der|den|het|ten|ter|te|'t)\s+)";
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?-u:\b)(?:[Mm]evrouw|[Mm]evr\.|[Mm]eneer|[Dd]hr\.|[Mm]w\.|[Dd]e heer|[Dd]r\.|[Dd]rs\.|[Ii]r\.|[Mm]r\.|[Pp]rof\.|[Jj]uffrouw|[Jj]uf|[Mm]eester|[Ff]amilie|[Gg]ezin|[Ff]am\.)\s+(?:(?:[A-Z]\.\s?)+\s?)?{PREFIXES}*{CAPITAL_WORD}"
    ))
});
static INITIALS: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?-u:\b)(?:[A-Z]\.\s?){{1,4}}\s?{PREFIXES}*{CAPITAL_WORD}"
    ))
});
static PREFIXED_SURNAME: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"(?-u:\b){PREFIXES}+({CAPITAL_WORD})")));
static WORD: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"(?-u:\b){CAPITAL_WORD}")));
static FOLLOWING_SURNAME: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^\s+{PREFIXES}*({CAPITAL_WORD})")));

fn list(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(str::trim)
        .collect()
}

static FIRST_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut names = list(include_str!("first_names.txt"));
    for word in COMMON_WORDS.iter().chain(AMBIGUOUS_NAMES) {
        names.remove(word);
    }
    names
});

/// Every capitalised word of the surname list (so "Bruijne van der Veen" gives "Bruijne" and
/// "Veen"), minus words that are common in professional Dutch, plus the names that are also
/// ordinary words (found only after a prefix: "de Jong", "van Dijk").
static SURNAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut names: HashSet<&'static str> = include_str!("surnames.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(|line| line.split([' ', ',']))
        .filter(|word| word.len() >= 3 && word.starts_with(|c: char| c.is_uppercase()))
        .collect();
    for word in COMMON_WORDS {
        names.remove(word);
    }
    names.extend(AMBIGUOUS_NAMES);
    names
});

/// Capitalised words that start sentences or name institutions, places and phenomena in the
/// texts this platform handles; a name pattern never ends on one of them.
const COMMON_WORDS: &[&str] = &[
    "De",
    "In",
    "Op",
    "En",
    "Er",
    "Zo",
    "Ik",
    "We",
    "Ze",
    "Je",
    "Het",
    "Een",
    "Dit",
    "Dat",
    "Deze",
    "Die",
    "Hij",
    "Zij",
    "Wij",
    "Jij",
    "Maar",
    "Als",
    "Bij",
    "Voor",
    "Met",
    "Toen",
    "Daarna",
    "Ook",
    "Wel",
    "Niet",
    "Nog",
    "Dan",
    "Want",
    "Omdat",
    "Hoe",
    "Wat",
    "Wie",
    "Waar",
    "Wanneer",
    "Volgens",
    "Tijdens",
    "Na",
    "Over",
    "Uit",
    "Naar",
    "Door",
    "Veilig",
    "Thuis",
    "Raad",
    "Openbaar",
    "Ministerie",
    "Politie",
    "Gemeente",
    "Zorg",
    "Jeugdzorg",
    "Wijkteam",
    "School",
    "Jeugd",
    "Hof",
    "Rechtbank",
    "Staat",
    "Moslim",
    "Islam",
    "Koran",
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Nederland",
    "Holland",
    "Europa",
    "Marokko",
    "Turkije",
    "Syrië",
    "Irak",
    "Utrecht",
    "Amsterdam",
    "Rotterdam",
    "Den",
    "Haag",
    "Maandag",
    "Dinsdag",
    "Woensdag",
    "Donderdag",
    "Vrijdag",
    "Zaterdag",
    "Zondag",
    "Januari",
    "Februari",
    "Maart",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Augustus",
    "September",
    "Oktober",
    "November",
    "December",
    "Kerst",
    "Pasen",
    "Ramadan",
    "Telegram",
    "TikTok",
    "Discord",
    "Instagram",
    "Facebook",
    "YouTube",
    "Bijlage",
    "Artikel",
    "Wet",
    "Casus",
    "Cliënt",
    "Client",
    "Leerling",
    "Moeder",
    "Vader",
    "Broer",
    "Zus",
    "Oom",
    "Tante",
];

/// Names that are also ordinary words: found with a title, initials or a first name, never
/// alone.
const AMBIGUOUS_NAMES: &[&str] = &[
    "Storm", "Hoop", "Lot", "Roos", "Vrede", "Kind", "Dijk", "Berg", "Groot", "Klein", "Bos",
    "Brink", "Leger", "Veen", "Mark", "Jong", "Wit", "Vos", "Haan", "Boer", "Smit",
];

fn is_common(word: &str) -> bool {
    COMMON_WORDS.contains(&word)
}

/// The elfproef of a BSN: 9×d1 + 8×d2 + … + 2×d8 − d9 is a multiple of 11 (and not 0).
pub fn passes_elfproef(digits: &[u8]) -> bool {
    if digits.len() != 9 {
        return false;
    }
    let sum: i64 = digits[..8]
        .iter()
        .enumerate()
        .map(|(i, d)| i64::from(*d) * (9 - i as i64))
        .sum::<i64>()
        - i64::from(digits[8]);
    sum != 0 && sum % 11 == 0
}

/// ISO 13616 mod-97 of an IBAN without spaces.
pub fn passes_mod97(iban: &str) -> bool {
    if iban.len() < 15 || !iban.is_ascii() {
        return false;
    }
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    let mut remainder: u32 = 0;
    for c in rearranged {
        let value = match c.to_digit(36) {
            Some(value) => value,
            None => return false,
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

fn finding(kind: PiiKind, text: &str, start: usize, end: usize) -> Finding {
    Finding {
        kind,
        start,
        end,
        text: text[start..end].to_owned(),
    }
}

fn find_ibans(text: &str, out: &mut Vec<Finding>) {
    for found in IBAN.find_iter(text) {
        // The longest prefix that passes mod-97 (the pattern may run into a following word).
        let mut compact = String::new();
        let mut ends = Vec::new();
        for (offset, c) in found.as_str().char_indices() {
            if c != ' ' {
                compact.push(c);
                ends.push(found.start() + offset + c.len_utf8());
            }
        }
        let longest = (15..=compact.len().min(34))
            .rev()
            .find(|len| passes_mod97(&compact[..*len]));
        if let Some(len) = longest {
            out.push(finding(PiiKind::Iban, text, found.start(), ends[len - 1]));
        }
    }
}

fn find_bsns(text: &str, out: &mut Vec<Finding>) {
    for found in BSN.find_iter(text) {
        let digits: Vec<u8> = found
            .as_str()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        if passes_elfproef(&digits) {
            out.push(finding(PiiKind::Bsn, text, found.start(), found.end()));
        }
    }
}

fn find_simple(pattern: &Regex, kind: PiiKind, text: &str, out: &mut Vec<Finding>) {
    out.extend(
        pattern
            .find_iter(text)
            .map(|found| finding(kind, text, found.start(), found.end())),
    );
}

fn find_postcodes(text: &str, out: &mut Vec<Finding>) {
    for found in POSTCODE.find_iter(text) {
        // These letter pairs are never used in postcodes.
        if !["SA", "SD", "SS"]
            .iter()
            .any(|pair| found.as_str().ends_with(pair))
        {
            out.push(finding(PiiKind::Postcode, text, found.start(), found.end()));
        }
    }
}

/// A date is a birth date when "geboren", "geb." or "geboortedatum" comes shortly before it.
fn find_birthdates(text: &str, out: &mut Vec<Finding>) {
    for found in DATE.find_iter(text) {
        let mut from = found.start().saturating_sub(40);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        if BIRTH_WORD.is_match(&text[from..found.start()]) {
            out.push(finding(
                PiiKind::Birthdate,
                text,
                found.start(),
                found.end(),
            ));
        }
    }
}

/// The last capitalised word of a match, which must not be a common word.
fn ends_on_a_name(matched: &str) -> bool {
    matched
        .split_whitespace()
        .last()
        .is_some_and(|word| !is_common(word.trim_end_matches(['.', ','])))
}

fn find_names(text: &str, out: &mut Vec<Finding>) {
    for pattern in [&*TITLED, &*INITIALS] {
        for found in pattern.find_iter(text) {
            if ends_on_a_name(found.as_str()) {
                out.push(finding(PiiKind::Name, text, found.start(), found.end()));
            }
        }
    }
    for captures in PREFIXED_SURNAME.captures_iter(text) {
        if let (Some(whole), Some(surname)) = (captures.get(0), captures.get(1))
            && SURNAMES.contains(surname.as_str())
        {
            out.push(finding(PiiKind::Name, text, whole.start(), whole.end()));
        }
    }
    for word in WORD.find_iter(text) {
        let token = word.as_str();
        if FIRST_NAMES.contains(token) {
            // A first name, with the surname after it if there is one.
            let end = FOLLOWING_SURNAME
                .captures(&text[word.end()..])
                .and_then(|c| c.get(0).zip(c.get(1)))
                .filter(|(_, surname)| !is_common(surname.as_str()))
                .map_or(word.end(), |(whole, _)| word.end() + whole.end());
            out.push(finding(PiiKind::Name, text, word.start(), end));
        } else if SURNAMES.contains(token) && token.len() >= 4 && !AMBIGUOUS_NAMES.contains(&token)
        {
            out.push(finding(PiiKind::Name, text, word.start(), word.end()));
        }
    }
}

/// Every piece of personal data in `text`, in order, without overlaps (where two overlap, the
/// more specific kind stays, then the longer).
pub fn scan(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    find_simple(&EMAIL, PiiKind::Email, text, &mut found);
    find_ibans(text, &mut found);
    find_simple(&PHONE, PiiKind::Phone, text, &mut found);
    find_bsns(text, &mut found);
    find_simple(&PLATE, PiiKind::Plate, text, &mut found);
    find_birthdates(text, &mut found);
    find_postcodes(text, &mut found);
    find_simple(&ADDRESS, PiiKind::Address, text, &mut found);
    find_names(text, &mut found);
    found.sort_by_key(|f| (f.kind.priority(), f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for candidate in found {
        if !kept
            .iter()
            .any(|k| candidate.start < k.end && k.start < candidate.end)
        {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|f| f.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, String)> {
        scan(text).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    #[test]
    fn every_pattern_compiles_and_the_lists_load() {
        for pattern in [
            &*EMAIL,
            &*IBAN,
            &*PHONE,
            &*BSN,
            &*POSTCODE,
            &*PLATE,
            &*DATE,
            &*BIRTH_WORD,
            &*ADDRESS,
            &*TITLED,
            &*INITIALS,
            &*PREFIXED_SURNAME,
            &*WORD,
            &*FOLLOWING_SURNAME,
        ] {
            assert!(!pattern.as_str().is_empty());
        }
        assert!(FIRST_NAMES.len() > 400);
        assert!(SURNAMES.len() > 800);
    }

    #[test]
    fn a_bsn_must_pass_the_elfproef_in_any_spelling() {
        for bsn in ["111222333", "111.222.333", "1112.22.333", "111 222 333"] {
            assert_eq!(
                kinds(&format!("BSN {bsn} bekend")),
                vec![(PiiKind::Bsn, bsn.to_owned())],
                "{bsn}"
            );
        }
        assert!(kinds("dossiernummer 123456789 en 111222334").is_empty());
    }

    #[test]
    fn phones_emails_ibans_postcodes_and_plates() {
        assert_eq!(kinds("bel 06-12345678")[0].0, PiiKind::Phone);
        assert_eq!(kinds("bel +31 6 1234 5678")[0].1, "+31 6 1234 5678");
        assert_eq!(kinds("of 0031 20 123 4567.")[0].1, "0031 20 123 4567");
        assert_eq!(kinds("of (020) 123 4567")[0].1, "(020) 123 4567");
        assert_eq!(
            kinds("mail a.b@voorbeeld.nl")[0],
            (PiiKind::Email, "a.b@voorbeeld.nl".to_owned())
        );
        assert_eq!(
            kinds("rekening NL91 ABNA 0417 1643 00 graag")[0],
            (PiiKind::Iban, "NL91 ABNA 0417 1643 00".to_owned())
        );
        assert!(kinds("code NL91ABNA0417164301").is_empty(), "mod-97 fails");
        assert_eq!(kinds("woont in 3511 AB")[0].0, PiiKind::Postcode);
        assert_eq!(
            kinds("auto 12-ABC-3 gezien")[0],
            (PiiKind::Plate, "12-ABC-3".to_owned())
        );
        assert_eq!(kinds("auto GB-12-34 gezien")[0].0, PiiKind::Plate);
    }

    #[test]
    fn birthdates_addresses_and_names() {
        assert_eq!(
            kinds("geboren op 12-03-2009 in")[0],
            (PiiKind::Birthdate, "12-03-2009".to_owned())
        );
        assert_eq!(kinds("geb. 3 mei 2008")[0].0, PiiKind::Birthdate);
        assert!(
            kinds("het gesprek op 12-03-2025").is_empty(),
            "a date alone is not a birth date"
        );
        assert_eq!(
            kinds("woont aan de Kerkstraat 12a.")[0],
            (PiiKind::Address, "Kerkstraat 12a".to_owned())
        );
        assert_eq!(
            kinds("op de Lange Nieuwstraat 101")[0].1,
            "Lange Nieuwstraat 101"
        );
        assert_eq!(
            kinds("mevrouw Bakker belde")[0],
            (PiiKind::Name, "mevrouw Bakker".to_owned())
        );
        assert_eq!(
            kinds("met J. de Vries gesproken")[0],
            (PiiKind::Name, "J. de Vries".to_owned())
        );
        assert_eq!(
            kinds("toen Sanne de Vries binnenkwam")[0],
            (PiiKind::Name, "Sanne de Vries".to_owned())
        );
        assert_eq!(kinds("de moeder, mevr. van den Berg,")[0].0, PiiKind::Name);
        assert!(kinds("De leerling (16) en cliënt A spraken met de wijkagent.").is_empty());
        assert!(PiiKind::Name.may_be_overridden() && !PiiKind::Bsn.may_be_overridden());
    }
}
