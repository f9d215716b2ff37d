//! The privacy guard: finds personal data in free text before it is saved, so a dilemma, an
//! intake answer or a message to a run is written with roles ("de leerling (16)", "cliënt A")
//! and never identifies a client. Every domain that stores free text staff read uses it.
//! Numbers are checked, not only shaped: a BSN must pass the elfproef and an IBAN mod-97, so
//! other 9-digit numbers and account-like strings pass. Names come from lists (see
//! `first_names.txt` and `surnames.txt`) and from the way Dutch writes them (initials, titles,
//! "de Vries"). Only name findings may be overridden by the writer.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
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
            PiiKind::Bsn => "Laat het BSN weg; het is hier niet nodig.",
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

// Speed: running a dozen patterns over every byte of a text is what made the guard slow. Most
// patterns below are therefore anchored (`^`) and tried only where a match may start (next to a
// digit, a '-', a '.', a capital), on the text from there: `find_anchored` turns that into
// exactly what `find_iter` of the unanchored pattern gives. A pattern's leading word boundary is
// left out, as the slice has lost the character before it; the finder checks it (`boundary`).

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)(?-u:\b)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)")
});
/// Anchored; the finder checks the leading word boundary.
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?-u:\b)"));
/// Anchored. In the unanchored original the two alternatives that start with '0' had a word
/// boundary before them; the finder checks it for a '0' (the others start with '+' or '(').
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    let digit = r"(?:\s?-\s?|[\s.])?\d";
    regex(&format!(
        r"^(?:(?:\+31|0031)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:{digit}){{8}}|0[1-9](?:{digit}){{8}}|\(0\d{{2,3}}\)[\s-]?\d(?:{digit}){{5,6}})(?-u:\b)"
    ))
});
/// Anchored; the finder checks the leading word boundary.
static BSN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:\d{9}|\d{3,4}[.\s]\d{2,3}[.\s]\d{2,3})(?-u:\b)"));
/// Anchored; the finder checks the leading word boundary.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| regex(r"^[1-9]\d{3} ?[A-Z]{2}(?-u:\b)"));
/// Anchored; the finder checks the leading word boundary.
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}",
        r"|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}",
        r"|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}",
        r"|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)(?-u:\b)"
    ))
});
/// Anchored; the finder checks the leading word boundary.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)^(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}|\d{1,2}\s+(?:januari|februari|maart|april|mei|juni",
        r"|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\.?\s+(?:19|20)\d{2})(?-u:\b)"
    ))
});
static BIRTH_WORD: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)(?:geboren|(?-u:\b)geb\.|geboortedatum|geboortedag|(?-u:\b)geb\s)")
});
/// The street names end on one of these, followed by white space and the house number.
const STREET_ENDINGS: [&str; 27] = [
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "dreef",
    "steeg",
    "pad",
    "hof",
    "park",
    "markt",
    "wal",
    "baan",
    "plantsoen",
    "boulevard",
    "kanaal",
    "haven",
    "veld",
    "erf",
    "oord",
    "ring",
    "allee",
    "hoven",
    "dam",
];
/// Which bytes end a street ending: most numbers follow no street, and this skips comparing.
const STREET_ENDING_LAST: [bool; 256] = {
    let mut last = [false; 256];
    let mut i = 0;
    while i < STREET_ENDINGS.len() {
        let ending = STREET_ENDINGS[i].as_bytes();
        last[ending[ending.len() - 1] as usize] = true;
        i += 1;
    }
    last
};
/// Anchored; the finder checks the leading word boundary.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(?:[A-Z][\p{{L}}'-]+\s)?[A-Z][\p{{L}}'-]*(?:{})\s+\d{{1,5}}(?:\s?-\s?\d{{1,4}}|\s?[a-zA-Z](?-u:\b)|\s?(?:hs|bis)(?-u:\b))?",
        STREET_ENDINGS.join("|")
    ))
});
/// A capitalised word (a name's core).
const CAPITAL_WORD: &str = r"[A-Z][\p{Ll}\p{Lu}'’-]+";
/// Dutch surname prefixes ("tussenvoegsels").
const PREFIXES: &str =
    r"(?:(?:van der|van den|van de|van het|in 't|op de|van|de|der|den|het|ten|ter|te|'t)\s+)";
/// The words a chain of prefixes is made of ("in" and "op" only as in "in 't", "op de").
const PREFIX_WORDS: [&str; 11] = [
    "van", "der", "den", "de", "het", "ten", "ter", "te", "'t", "in", "op",
];
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?-u:\b)(?:[Mm]evrouw|[Mm]evr\.|[Mm]eneer|[Dd]hr\.|[Mm]w\.|[Dd]e heer|[Dd]r\.|[Dd]rs\.|[Ii]r\.|[Mm]r\.|[Pp]rof\.|[Jj]uffrouw|[Jj]uf|[Mm]eester|[Ff]amilie|[Gg]ezin|[Ff]am\.)\s+(?:(?:[A-Z]\.\s?)+\s?)?{PREFIXES}*{CAPITAL_WORD}"
    ))
});
/// Anchored; the finder checks the leading word boundary.
static INITIALS: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(?:[A-Z]\.\s?){{1,4}}\s?{PREFIXES}*{CAPITAL_WORD}"
    ))
});
/// Anchored; the finder checks the leading word boundary. The surname is the match's last word.
static PREFIXED_SURNAME: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^{PREFIXES}+{CAPITAL_WORD}")));
/// A whole capitalised word. The word tokenizer (`capital_words`) asks it once per character
/// which characters continue a word, so the tokenizer and `CAPITAL_WORD` cannot drift apart.
static WORD: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"^{CAPITAL_WORD}$")));
/// The surname is the match's last word.
static FOLLOWING_SURNAME: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^\s+{PREFIXES}*{CAPITAL_WORD}")));

/// The name lists are looked up for every capitalised word; for words of a few letters FNV-1a
/// hashes several times faster than the default SipHash. Only lookups see the text, so there is
/// no table for crafted collisions to slow down.
type NameSet = HashSet<&'static str, BuildHasherDefault<NameHasher>>;

struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn list(text: &'static str) -> NameSet {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(str::trim)
        .collect()
}

static FIRST_NAMES: LazyLock<NameSet> = LazyLock::new(|| {
    let mut names = list(include_str!("first_names.txt"));
    for word in COMMON_WORDS.iter().chain(AMBIGUOUS_NAMES) {
        names.remove(word);
    }
    names
});

/// Every capitalised word of the surname list (so "Bruijne van der Veen" gives "Bruijne" and
/// "Veen"), minus words that are common in professional Dutch, plus the names that are also
/// ordinary words (found only after a prefix: "de Jong", "van Dijk").
static SURNAMES: LazyLock<NameSet> = LazyLock::new(|| {
    let mut names: NameSet = include_str!("surnames.txt")
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

/// A finding before the overlaps are resolved: its text is copied only if it stays.
type Span = (PiiKind, usize, usize);

/// `(?-u:\b)` at byte `at`: an ASCII word character on one side only.
fn boundary(bytes: &[u8], at: usize) -> bool {
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    word(at.checked_sub(1).and_then(|i| bytes.get(i))) != word(bytes.get(at))
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// Where the run of white space (`\s`, which is `char::is_whitespace`) that ends at `at` starts.
fn whitespace_start(text: &str, mut at: usize) -> usize {
    while let Some(c) = char_before(text, at).filter(|c| c.is_whitespace()) {
        at -= c.len_utf8();
    }
    at
}

/// The matches `find_iter` of the unanchored form of `pattern` gives, from the anchored
/// `pattern` tried at `starts`: ascending, and holding every position a match may start at.
fn find_anchored(
    pattern: &Regex,
    text: &str,
    starts: impl IntoIterator<Item = usize>,
    mut each: impl FnMut(usize, usize),
) {
    let mut resume = 0;
    for start in starts {
        // A match resumes the search after it, as in `find_iter`.
        if start >= resume
            && let Some(found) = pattern.find(&text[start..])
        {
            each(start, start + found.end());
            resume = start + found.end();
        }
    }
}

/// `\s` on an ASCII byte (`u8::is_ascii_whitespace` leaves out the vertical tab).
fn ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// The length of the run of ASCII digits at `at`, and the byte after it.
fn digit_run(bytes: &[u8], at: usize) -> (usize, Option<u8>) {
    let run = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (run, bytes.get(at + run).copied())
}

/// Where the patterns may start, collected in one pass over the text: the '-' and '.', and the
/// characters that may be a `\d` (a Unicode decimal digit): ASCII digits, and other numeric
/// characters (a superset; the patterns decide).
struct Marks(Vec<usize>);

impl Marks {
    fn of(text: &str) -> Marks {
        let bytes = text.as_bytes();
        let mut marks = Vec::with_capacity(bytes.len() / 16);
        // Most 16-byte chunks hold none of these bytes; the check of a whole chunk vectorises.
        let maybe_mark = |byte: u8| (b'-'..=b'9').contains(&byte) || byte >= 0xC0;
        for (chunk_index, chunk) in bytes.chunks(16).enumerate() {
            if !chunk
                .iter()
                .fold(false, |any, &byte| any | maybe_mark(byte))
            {
                continue;
            }
            for (offset, &byte) in chunk.iter().enumerate() {
                let at = chunk_index * 16 + offset;
                match byte {
                    b'0'..=b'9' | b'-' | b'.' => marks.push(at),
                    // The first byte of a character outside ASCII.
                    0xC0.. if text[at..].chars().next().is_some_and(char::is_numeric) => {
                        marks.push(at);
                    }
                    _ => {}
                }
            }
        }
        Marks(marks)
    }

    fn digits<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        self.0
            .iter()
            .copied()
            .filter(|&at| !matches!(bytes[at], b'-' | b'.'))
    }

    fn has_digits(&self, bytes: &[u8]) -> bool {
        self.digits(bytes).next().is_some()
    }

    fn of_byte<'a>(&'a self, bytes: &'a [u8], byte: u8) -> impl Iterator<Item = usize> + 'a {
        self.0.iter().copied().filter(move |&at| bytes[at] == byte)
    }
}

fn find_ibans(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // An IBAN starts with two capitals and a digit.
    let starts = marks
        .digits(bytes)
        .filter_map(|digit| digit.checked_sub(2))
        .filter(|&at| {
            bytes[at].is_ascii_uppercase()
                && bytes[at + 1].is_ascii_uppercase()
                && boundary(bytes, at)
        });
    find_anchored(&IBAN, text, starts, |start, end| {
        // The longest prefix that passes mod-97 (the pattern may run into a following word).
        let mut compact = String::new();
        let mut ends = Vec::new();
        for (offset, c) in text[start..end].char_indices() {
            if c != ' ' {
                compact.push(c);
                ends.push(start + offset + c.len_utf8());
            }
        }
        let longest = (15..=compact.len().min(34))
            .rev()
            .find(|len| passes_mod97(&compact[..*len]));
        if let Some(len) = longest {
            out.push((PiiKind::Iban, start, ends[len - 1]));
        }
    });
}

fn find_phones(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // "+31", "(0", or a word starting with "00" to "09".
    let starts = marks.digits(bytes).flat_map(|digit| {
        let before = digit.checked_sub(1).map(|at| bytes[at]);
        let after = bytes.get(digit + 1).copied();
        let opening = match (before, bytes[digit], after) {
            (Some(b'('), b'0', _) | (Some(b'+'), b'3', Some(b'1')) => Some(digit - 1),
            _ => None,
        };
        let zero = (bytes[digit] == b'0'
            && after.is_some_and(|b| b.is_ascii_digit())
            && boundary(bytes, digit))
        .then_some(digit);
        opening.into_iter().chain(zero)
    });
    find_anchored(&PHONE, text, starts, |start, end| {
        out.push((PiiKind::Phone, start, end));
    });
}

/// Digits with a word boundary before them: where a BSN, a date or a postcode may start.
fn numbers<'a>(bytes: &'a [u8], marks: &'a Marks) -> impl Iterator<Item = usize> + 'a {
    marks.digits(bytes).filter(|&at| boundary(bytes, at))
}

fn find_bsns(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // Nine digits, or three or four and a separator (a character outside ASCII: the pattern
    // decides).
    let starts = numbers(bytes, marks).filter(|&at| match digit_run(bytes, at) {
        (0 | 9, _) | (_, Some(0x80..)) => true,
        (3 | 4, Some(next)) => next == b'.' || ascii_space(next),
        _ => false,
    });
    find_anchored(&BSN, text, starts, |start, end| {
        let mut digits = [0u8; 9];
        let mut count = 0;
        for byte in text[start..end].bytes().filter(u8::is_ascii_digit) {
            if count < digits.len() {
                digits[count] = byte - b'0';
            }
            count += 1;
        }
        if count == digits.len() && passes_elfproef(&digits) {
            out.push((PiiKind::Bsn, start, end));
        }
    });
}

fn find_plates(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // Every plate has a '-' after its first one to three capitals or digits.
    let starts = marks.of_byte(bytes, b'-').flat_map(|dash| {
        // Up to three characters back, nearest first; tried farthest first.
        let mut before = [None; 3];
        let mut at = dash;
        for slot in &mut before {
            match char_before(text, at) {
                Some(c) if c.is_ascii_uppercase() || c.is_numeric() => at -= c.len_utf8(),
                _ => break,
            }
            *slot = boundary(bytes, at).then_some(at);
        }
        before.into_iter().rev().flatten()
    });
    find_anchored(&PLATE, text, starts, |start, end| {
        out.push((PiiKind::Plate, start, end));
    });
}

/// A date is a birth date when "geboren", "geb." or "geboortedatum" comes shortly before it.
fn find_birthdates(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // One or two digits and a separator or white space (a character outside ASCII: the pattern
    // decides).
    let starts = numbers(bytes, marks).filter(|&at| match digit_run(bytes, at) {
        (0, _) | (_, Some(0x80..)) => true,
        (1 | 2, Some(next)) => matches!(next, b'-' | b'/' | b'.') || ascii_space(next),
        _ => false,
    });
    find_anchored(&DATE, text, starts, |start, end| {
        let mut from = start.saturating_sub(40);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        if BIRTH_WORD.is_match(&text[from..start]) {
            out.push((PiiKind::Birthdate, start, end));
        }
    });
}

fn find_postcodes(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // Four digits, the first not 0, and a space or a capital (a character outside ASCII: the
    // pattern decides).
    let starts = numbers(bytes, marks).filter(|&at| {
        bytes[at] != b'0'
            && match digit_run(bytes, at) {
                (0, _) | (_, Some(0x80..)) => true,
                (4, Some(next)) => next == b' ' || next.is_ascii_uppercase(),
                _ => false,
            }
    });
    find_anchored(&POSTCODE, text, starts, |start, end| {
        // These letter pairs are never used in postcodes.
        if !["SA", "SD", "SS"]
            .iter()
            .any(|pair| text[start..end].ends_with(pair))
        {
            out.push((PiiKind::Postcode, start, end));
        }
    });
}

fn find_addresses(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // Every address has a street ending, white space and a digit: from each such digit, the
    // address may start at a capital in the street name or in the one word before it. The
    // words are taken wide: a superset of [\p{L}'-], but without numeric characters (no letter
    // is one), so that the stretches searched for each digit are in order and apart.
    let in_word = |c: char| (c.is_alphabetic() && !c.is_numeric()) || c == '\'' || c == '-';
    let word_start = |mut at: usize| {
        while let Some(c) = char_before(text, at).filter(|c| in_word(*c)) {
            at -= c.len_utf8();
        }
        at
    };
    let starts = marks.digits(bytes).flat_map(|digit| {
        let street_end = whitespace_start(text, digit);
        let mut from = street_end;
        if street_end < digit
            && bytes[..street_end]
                .last()
                .is_some_and(|&last| STREET_ENDING_LAST[usize::from(last)])
            && STREET_ENDINGS
                .iter()
                .any(|ending| text[..street_end].ends_with(ending))
        {
            from = word_start(street_end);
            if let Some(space) = char_before(text, from).filter(|c| c.is_whitespace()) {
                from = word_start(from - space.len_utf8());
            }
        }
        (from..street_end).filter(|&at| bytes[at].is_ascii_uppercase() && boundary(bytes, at))
    });
    find_anchored(&ADDRESS, text, starts, |start, end| {
        out.push((PiiKind::Address, start, end));
    });
}

/// The last capitalised word of a match, which must not be a common word.
fn ends_on_a_name(matched: &str) -> bool {
    matched
        .split_whitespace()
        .last()
        .is_some_and(|word| !is_common(word.trim_end_matches(['.', ','])))
}

/// The last word of a match (a surname after prefixes).
fn last_word(matched: &str) -> &str {
    matched
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or(matched)
}

/// Which characters continue a capitalised word, decided by `WORD` once per character: a table
/// for the first 2048 (ASCII, and the accented Latin, Greek and Cyrillic letters), the pattern
/// itself for the rare others.
static WORD_CHARS: LazyLock<[u64; 32]> = LazyLock::new(|| {
    let mut table = [0u64; 32];
    for code in 0..2048u32 {
        if let Some(c) = char::from_u32(code)
            && continues_word(c)
        {
            table[code as usize / 64] |= 1 << (code % 64);
        }
    }
    table
});

fn continues_word(c: char) -> bool {
    let mut word = [0u8; 8];
    word[0] = b'A';
    let len = 1 + c.encode_utf8(&mut word[1..]).len();
    std::str::from_utf8(&word[..len]).is_ok_and(|word| WORD.is_match(word))
}

/// The words `(?-u:\b){CAPITAL_WORD}` finds, as `find_iter` would, without the regex engine: a
/// capital with a word boundary before it, then the longest run (at least one) of the word's
/// characters.
fn capital_words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let table = &*WORD_CHARS;
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            // To the next capital. Most 16-byte stretches hold none, and checking a whole one
            // vectorises.
            while let Some(chunk) = bytes.get(at..at + 16)
                && !chunk
                    .iter()
                    .fold(false, |any, byte| any | byte.is_ascii_uppercase())
            {
                at += 16;
            }
            let start = at + bytes.get(at..)?.iter().position(u8::is_ascii_uppercase)?;
            at = start + 1;
            if !boundary(bytes, start) {
                continue;
            }
            let mut end = at;
            while end < bytes.len() {
                let byte = bytes[end];
                let len = if byte.is_ascii() {
                    if !(byte.is_ascii_alphabetic() || byte == b'\'' || byte == b'-') {
                        break;
                    }
                    1
                } else {
                    let c = text[end..].chars().next().unwrap_or_default();
                    let code = c as usize;
                    let continues = if code < 2048 {
                        table[code / 64] & (1 << (code % 64)) != 0
                    } else {
                        continues_word(c)
                    };
                    if !continues {
                        break;
                    }
                    c.len_utf8()
                };
                end += len;
            }
            if end > at {
                at = end;
                return Some((start, end));
            }
        }
    })
}

fn find_names(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    for found in TITLED.find_iter(text) {
        if ends_on_a_name(found.as_str()) {
            out.push((PiiKind::Name, found.start(), found.end()));
        }
    }
    // Initials start with a capital and a dot.
    let starts = marks
        .of_byte(bytes, b'.')
        .filter_map(|dot| dot.checked_sub(1))
        .filter(|&at| bytes[at].is_ascii_uppercase() && boundary(bytes, at));
    find_anchored(&INITIALS, text, starts, |start, end| {
        if ends_on_a_name(&text[start..end]) {
            out.push((PiiKind::Name, start, end));
        }
    });
    let mut prefixed_resume = 0;
    for (start, end) in capital_words(text) {
        let token = &text[start..end];
        prefixed_resume = find_prefixed_surname(text, start, prefixed_resume, out);
        if FIRST_NAMES.contains(token) {
            // A first name, with the surname after it if there is one.
            let end = FOLLOWING_SURNAME
                .find(&text[end..])
                .filter(|whole| !is_common(last_word(whole.as_str())))
                .map_or(end, |whole| end + whole.end());
            out.push((PiiKind::Name, start, end));
        } else if SURNAMES.contains(token) && token.len() >= 4 && !AMBIGUOUS_NAMES.contains(&token)
        {
            out.push((PiiKind::Name, start, end));
        }
    }
}

/// "de Vries", "van der Berg": `PREFIXED_SURNAME` ending on the capitalised word at `word`, when
/// prefixes come before it. Its matches end on such a word, so the tokenizer's words drive it;
/// `resume` is where the last one ended, as in `find_iter`. Returns the new `resume`.
fn find_prefixed_surname(text: &str, word: usize, resume: usize, out: &mut Vec<Span>) -> usize {
    let bytes = text.as_bytes();
    // Most capitalised words have no prefix right before them.
    let before = &text[..whitespace_start(text, word)];
    if before.len() == word || !PREFIX_WORDS.iter().any(|prefix| before.ends_with(prefix)) {
        return resume;
    }
    // Walk back over the words before: prefixes separated by white space; the first one may be
    // the tail of a longer word ("x-van").
    let mut from = word;
    let mut at = word;
    loop {
        let word_end = whitespace_start(text, at);
        if word_end == at {
            break;
        }
        let mut word_start = word_end;
        while let Some(c) = char_before(text, word_start).filter(|c| !c.is_whitespace()) {
            word_start -= c.len_utf8();
        }
        let previous = &text[word_start..word_end];
        if PREFIX_WORDS.contains(&previous) {
            (from, at) = (word_start, word_start);
        } else {
            if PREFIX_WORDS.iter().any(|prefix| previous.ends_with(prefix)) {
                from = word_start;
            }
            break;
        }
    }
    let mut starts = (from.max(resume)..word).filter(|&at| {
        matches!(bytes[at], b'v' | b'd' | b'h' | b't' | b'i' | b'o' | b'\'') && boundary(bytes, at)
    });
    // The first start that matches is the leftmost match.
    starts
        .find_map(|start| {
            PREFIXED_SURNAME
                .find(&text[start..])
                .map(|m| (start, start + m.end()))
        })
        .map_or(resume, |(start, end)| {
            if SURNAMES.contains(last_word(&text[start..end])) {
                out.push((PiiKind::Name, start, end));
            }
            end
        })
}

/// Every piece of personal data in `text`, in order, without overlaps (where two overlap, the
/// more specific kind stays, then the longer).
pub fn scan(text: &str) -> Vec<Finding> {
    let marks = Marks::of(text);
    let mut found = Vec::new();
    // An e-mail address needs an '@'.
    if text.as_bytes().contains(&b'@') {
        found.extend(
            EMAIL
                .find_iter(text)
                .map(|m| (PiiKind::Email, m.start(), m.end())),
        );
    }
    // All the number patterns need a digit.
    if marks.has_digits(text.as_bytes()) {
        find_ibans(text, &marks, &mut found);
        find_phones(text, &marks, &mut found);
        find_bsns(text, &marks, &mut found);
        find_plates(text, &marks, &mut found);
        find_birthdates(text, &marks, &mut found);
        find_postcodes(text, &marks, &mut found);
        find_addresses(text, &marks, &mut found);
    }
    find_names(text, &marks, &mut found);
    resolve(text, found)
}

/// The findings that stay: by kind (the more specific first), then start, then the longer first,
/// each unless it overlaps one that stayed.
fn resolve(text: &str, mut found: Vec<Span>) -> Vec<Finding> {
    found.sort_by_key(|&(kind, start, end)| (kind.priority(), start, std::cmp::Reverse(end)));
    // Kept in order of start; as they do not overlap, their ends are in order too.
    let mut kept: Vec<Span> = Vec::with_capacity(found.len());
    for (kind, start, end) in found {
        let before = kept.partition_point(|&(_, s, _)| s < end);
        if before == 0 || kept[before - 1].2 <= start {
            kept.insert(before, (kind, start, end));
        }
    }
    kept.into_iter()
        .map(|(kind, start, end)| Finding {
            kind,
            start,
            end,
            text: text[start..end].to_owned(),
        })
        .collect()
}

/// What a guarded text is, for what the guard lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guarded {
    /// Running text (an agreement, an intake answer, a message): nothing the guard knows.
    Text,
    /// A short label (a group's name, a subject). A name counts when it is a full name: a
    /// single capitalised word in a title is mostly an ordinary word ("Korte bewaartermijn").
    Label,
    /// A meeting's place: a label that may hold a venue's address and postcode, which is what
    /// it is for.
    Place,
    /// Running text without the dilemma's override (an intake answer, an evaluation remark,
    /// a message to a run): a name counts when it is a full name, since a single capitalised
    /// word ("Meer oefenen") is mostly an ordinary word and the writer cannot overrule it.
    Prose,
}

/// The Dutch refusal of `text` when it holds personal data, or `Ok`; `subject` starts the
/// sentence ("De naam bevat een telefoonnummer (…)").
pub fn refusal(subject: &str, text: &str, what: Guarded) -> Result<(), String> {
    if let Some(found) = scan(text).into_iter().find(|found| match found.kind {
        PiiKind::Address | PiiKind::Postcode => what != Guarded::Place,
        PiiKind::Name => what == Guarded::Text || found.text.split_whitespace().count() > 1,
        _ => true,
    }) {
        return Err(format!(
            "{subject} een {} (\"{}\"). {}",
            found.kind.label(),
            found.text,
            found.kind.hint()
        ));
    }
    Ok(())
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
