//! The privacy guard: finds personal data in free text before it is saved, so a dilemma, an
//! intake answer or a message to a run is written with roles ("de leerling (16)", "cliënt A")
//! and never identifies a client. Every domain that stores free text staff read uses it.
//! Numbers are checked, not only shaped: a BSN must pass the elfproef and an IBAN mod-97, so
//! other 9-digit numbers and account-like strings pass. Accounts on social media ("@naam",
//! "t.me/naam") are a kind of their own. Names come from lists (the `*.txt` files beside this
//! one) and are read in context, as Dutch writes them: initials, titles, "de Vries", a role
//! before an unlisted name ("de leerling Kerem"), but not a sentence's inverted first word
//! ("Moet ik…"), a public figure ("de profeet Mohammed") or a noun after an article ("de
//! Koning"). Only name findings may be overridden by the writer.

use std::collections::{HashMap, HashSet};
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
        Handle = ("handle", "account op sociale media"),
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
            PiiKind::Handle => "Laat het account weg; 'een account op TikTok' volstaat.",
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
            PiiKind::Handle => 1,
            PiiKind::Iban => 2,
            PiiKind::Phone => 3,
            PiiKind::Bsn => 4,
            PiiKind::Plate => 5,
            PiiKind::Birthdate => 6,
            PiiKind::Postcode => 7,
            PiiKind::Address => 8,
            PiiKind::Name => 9,
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
/// A profile on a platform: the host, then the account ("tiktok.com/@x", "t.me/x"). YouTube
/// names channels after "@", "c/", "channel/" or "user/"; its other paths are videos.
static PROFILE_URL: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)(?:https?://)?(?-u:\b)(?:(?:www|m|mobile|vm|web)\.)?",
        r"(?:tiktok\.com/@?|instagram\.com/|t\.me/|telegram\.me/|x\.com/|twitter\.com/|facebook\.com/|fb\.com/",
        r"|youtube\.com/(?:@|c/|channel/|user/)|snapchat\.com/add/|threads\.net/@?|reddit\.com/u(?:ser)?/",
        r"|linkedin\.com/in/|discord\.gg/|twitch\.tv/)[a-z0-9_.%-]*[a-z0-9_]"
    ))
});
/// The first part of a platform's path that is a page of the platform, not an account.
const NOT_AN_ACCOUNT: &[&str] = &[
    "watch", "p", "reel", "reels", "explore", "hashtag", "search", "share", "sharer", "tag",
    "tags", "help", "about", "legal", "privacy", "policies", "login", "signup", "home", "intent",
    "i", "events", "groups", "pages", "video", "videos", "live", "discover", "stories",
];
/// Anchored; the finder checks the leading word boundary. Any case: "nl91 abna 0417 1643 00"
/// is as much an account as the capitals (mod-97 decides).
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?-u:\b)"));
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
/// The letters in capitals or in lowercase ("3511 ab"; the finder leaves out lowercase words and
/// units: "in 2024 de", "1500 mg").
static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[1-9]\d{3} ?(?:[A-Z]{2}|[a-z]{2})(?-u:\b)"));
/// Two letters after four digits that are a Dutch word or a unit, not a postcode's letters, when
/// written in lowercase.
const NOT_POSTCODE_LETTERS: &[&str] = &[
    "aa", "ad", "af", "al", "am", "as", "at", "au", "bh", "bv", "ca", "cc", "cd", "cl", "cm", "co",
    "ct", "de", "dl", "dm", "do", "dr", "eh", "ei", "el", "en", "er", "et", "eu", "ex", "ga", "ha",
    "he", "hl", "hm", "hr", "hz", "ie", "ik", "in", "is", "ja", "je", "jr", "kg", "km", "kw", "la",
    "li", "ma", "me", "mg", "ml", "mm", "mn", "ms", "mw", "na", "no", "nr", "nu", "nv", "of", "oh",
    "ok", "om", "op", "pa", "pk", "pm", "pp", "re", "sa", "sd", "ss", "st", "ta", "te", "tm", "to",
    "tv", "ui", "uk", "um", "uu", "uw", "vs", "wc", "we", "ze", "zo",
];
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
/// A capitalised word (a name's core), also with a capital outside ASCII ("Öztürk").
const CAPITAL_WORD: &str = r"\p{Lu}[\p{Ll}\p{Lu}'’-]+";
/// Dutch surname prefixes ("tussenvoegsels").
const PREFIXES: &str =
    r"(?:(?:van der|van den|van de|van het|in 't|op de|van|de|der|den|het|ten|ter|te|'t)\s+)";
/// The words a chain of prefixes is made of ("in" and "op" only as in "in 't", "op de").
const PREFIX_WORDS: [&str; 11] = [
    "van", "der", "den", "de", "het", "ten", "ter", "te", "'t", "in", "op",
];
/// A title or form of address with a name; the name may be in lowercase ("mevrouw bakker"),
/// then the finder wants it in the lists.
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?-u:\b)(?:[Mm]evrouw|[Mm]evr\.|[Mm]eneer|[Dd]hr\.|[Mm]w\.|heer|[Dd]r\.|[Dd]rs\.|[Ii]r\.|[Mm]r\.|[Pp]rof\.|[Jj]uffrouw|[Jj]uf|[Mm]eester|[Ff]amilie|[Gg]ezin|[Ff]am\.)\s+(?:(?:[A-Z]\.\s?)+\s?)?{PREFIXES}*(?:{CAPITAL_WORD}|\p{{Ll}}[\p{{Ll}}'’-]+)"
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

/// The word lists are looked up for every capitalised word; for words of a few letters FNV-1a
/// hashes several times faster than the default SipHash. Only lookups see the text, so there is
/// no table for crafted collisions to slow down.
type WordSet = HashSet<Box<str>, BuildHasherDefault<NameHasher>>;
type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<NameHasher>>;

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

/// The entries of a list file: one a line, without comments and blank lines.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn list(text: &'static str) -> WordSet {
    entries(text).map(Box::from).collect()
}

/// "moet" → "Moet".
fn capitalised(word: &str) -> Box<str> {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default()
        .into()
}

/// Pronouns, articles, prepositions, modal and auxiliary verbs, adverbs (lowercase).
static FUNCTION_WORDS: LazyLock<WordSet> =
    LazyLock::new(|| list(include_str!("function_words.txt")));
/// Roles and kinship words after which an unlisted capitalised word is a name (lowercase).
static NAME_CUES: LazyLock<WordSet> = LazyLock::new(|| list(include_str!("name_cues.txt")));
/// Titles of public, religious and historical figures (lowercase).
static PUBLIC_TITLES: LazyLock<WordSet> = LazyLock::new(|| list(include_str!("public_titles.txt")));
/// Public, religious and historical figures in full ("Anne Frank"), by each of their words as
/// written and in lowercase: the figure, and where the word is in it. A name found is looked up
/// by its words.
static PUBLIC_FIGURES: LazyLock<WordMap<Vec<(&'static str, usize)>>> = LazyLock::new(|| {
    let mut figures: WordMap<Vec<_>> = HashMap::default();
    for figure in entries(include_str!("public_figures.txt")) {
        let mut at = 0;
        for word in figure.split(' ') {
            for key in [word.to_owned(), word.to_lowercase()] {
                let entry: &mut Vec<_> = figures.entry(key.into_boxed_str()).or_default();
                if !entry.contains(&(figure, at)) {
                    entry.push((figure, at));
                }
            }
            at += word.len() + 1;
        }
    }
    figures
});

/// Names that are also ordinary words, never a name alone ("Storm", "Post").
static AMBIGUOUS_NAMES: LazyLock<WordSet> =
    LazyLock::new(|| list(include_str!("ambiguous_names.txt")));
/// Names that are also Dutch words: not alone at a sentence's start, never in lowercase.
static NAME_WORDS: LazyLock<WordSet> = LazyLock::new(|| list(include_str!("name_words.txt")));
/// Surnames that after a bare article are nouns ("de Koning").
static ARTICLE_NOUNS: LazyLock<WordSet> = LazyLock::new(|| list(include_str!("article_nouns.txt")));

/// Capitalised words that start sentences or name institutions, places, days and phenomena;
/// a name never ends on one. The function words, cues and public titles count too,
/// capitalised ("Moet ik…", "Leerling (16)", "Koning Willem-Alexander").
static COMMON_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    let mut words = list(include_str!("common_words.txt"));
    for lowercase in [&*FUNCTION_WORDS, &*NAME_CUES, &*PUBLIC_TITLES] {
        words.extend(lowercase.iter().map(|word| capitalised(word)));
    }
    words
});

fn is_common(word: &str) -> bool {
    kind_of(word) & COMMON != 0
}

static FIRST_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    let mut names = list(include_str!("first_names.txt"));
    names.extend(list(include_str!("first_names_extra.txt")));
    names.extend(list(include_str!("first_names_more.txt")));
    names.retain(|name| !COMMON_WORDS.contains(name));
    names
});

/// Every capitalised word of the surname lists (so "Bruijne van der Veen" gives "Bruijne" and
/// "Veen"), minus the common words, plus the names that are also ordinary words (found only
/// after a prefix or a first name: "de Jong", "van Dijk").
static SURNAMES: LazyLock<WordSet> = LazyLock::new(|| {
    let mut names: WordSet = entries(include_str!("surnames.txt"))
        .chain(entries(include_str!("surnames_extra.txt")))
        .flat_map(|line| line.split([' ', ',']))
        .filter(|word| word.len() >= 3 && word.starts_with(|c: char| c.is_uppercase()))
        .filter(|word| !COMMON_WORDS.contains(*word))
        .map(Box::from)
        .collect();
    names.extend(AMBIGUOUS_NAMES.iter().cloned());
    names
});

/// What a capitalised word is, as bits: one lookup per word in the text.
const COMMON: u8 = 1;
const FIRST: u8 = 2;
const SURNAME: u8 = 4;
const AMBIGUOUS: u8 = 8;
const NAME_WORD: u8 = 16;
const ARTICLE_NOUN: u8 = 32;

static CAPITALISED: LazyLock<WordMap<u8>> = LazyLock::new(|| {
    let mut words = HashMap::default();
    for (set, bit) in [
        (&*COMMON_WORDS, COMMON),
        (&*FIRST_NAMES, FIRST),
        (&*SURNAMES, SURNAME),
        (&*AMBIGUOUS_NAMES, AMBIGUOUS),
        (&*NAME_WORDS, NAME_WORD),
        (&*ARTICLE_NOUNS, ARTICLE_NOUN),
    ] {
        for word in set {
            *words.entry(word.clone()).or_default() |= bit;
        }
    }
    words
});

/// The bits of a capitalised word (0 when it is in no list).
fn kind_of(word: &str) -> u8 {
    CAPITALISED.get(word).copied().unwrap_or_default()
}

/// The lowercase names: those written in lowercase are found only when they are no Dutch word.
fn lowercase_names(names: &WordSet) -> WordSet {
    names
        .iter()
        .filter(|name| !NAME_WORDS.contains(*name) && !AMBIGUOUS_NAMES.contains(*name))
        .map(|name| name.to_lowercase())
        .filter(|name| name.len() >= 3 && !FUNCTION_WORDS.contains(name.as_str()))
        .map(Box::from)
        .collect()
}

/// First names found in lowercase anywhere ("mijn cliënt samira zei").
static LOWER_FIRST_NAMES: LazyLock<WordSet> = LazyLock::new(|| lowercase_names(&FIRST_NAMES));
/// Surnames found in lowercase after a first name ("kerem yilmaz").
static LOWER_SURNAMES: LazyLock<WordSet> = LazyLock::new(|| lowercase_names(&SURNAMES));
/// Any listed name, in lowercase, found after a title ("mevrouw bakker").
static LOWER_TITLED_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    FIRST_NAMES
        .iter()
        .chain(SURNAMES.iter())
        .map(|name| name.to_lowercase())
        .filter(|name| name.len() >= 3 && !FUNCTION_WORDS.contains(name.as_str()))
        .map(Box::from)
        .collect()
});

/// Which starts (four letters, or three and the word's end) the lowercase first names have,
/// hashed into 2^16 bits: nearly every other word starts otherwise, and the bit is far cheaper
/// than the hash of the set.
static LOWER_FIRST_STARTS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; (1 << 16) / 64];
    for name in LOWER_FIRST_NAMES.iter() {
        if let Some(index) = start_key(name.as_bytes()) {
            bits[index / 64] |= 1 << (index % 64);
        }
    }
    bits
});

/// The bit of a word's start in `LOWER_FIRST_STARTS`: its first three letters when they are
/// ASCII lowercase, and its fourth (or that it has none).
fn start_key(word: &[u8]) -> Option<usize> {
    let letter = |at: usize| {
        word.get(at)
            .filter(|b| b.is_ascii_lowercase())
            .map(|b| u32::from(b - b'a'))
    };
    let fourth = letter(3).map_or(0, |letter| letter + 1);
    let index = ((letter(0)? * 26 + letter(1)?) * 26 + letter(2)?) * 27 + fourth;
    Some((index.wrapping_mul(0x9E37_79B1) >> 16) as usize)
}

/// Subject pronouns and the like: after a sentence's first word they show an inverted
/// sentence ("Moet ik…", "Kan je…", "Post het…"), so that word is a verb, not a name.
const INVERSION_WORDS: [&str; 15] = [
    "ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie", "men", "er", "het", "dat",
    "dit",
];

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
    // An IBAN starts with two letters and a digit.
    let starts = marks
        .digits(bytes)
        .filter_map(|digit| digit.checked_sub(2))
        .filter(|&at| {
            bytes[at].is_ascii_alphabetic()
                && bytes[at + 1].is_ascii_alphabetic()
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
    // Four digits, the first not 0, and a space or a letter (a character outside ASCII: the
    // pattern decides).
    let starts = numbers(bytes, marks).filter(|&at| {
        bytes[at] != b'0'
            && match digit_run(bytes, at) {
                (0, _) | (_, Some(0x80..)) => true,
                (4, Some(next)) => next == b' ' || next.is_ascii_alphabetic(),
                _ => false,
            }
    });
    find_anchored(&POSTCODE, text, starts, |start, end| {
        let letters = &text[end - 2..end];
        // SA, SD and SS are never used in postcodes; in lowercase, words and units are more
        // likely than a postcode ("in 2024 de", "1500 mg").
        if !["SA", "SD", "SS"].contains(&letters) && !NOT_POSTCODE_LETTERS.contains(&letters) {
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

/// The words a capitalised word is found as: a capital (an ASCII one, or another after a
/// character that is no letter or digit), then the longest run (at least one) of the word's
/// characters, as `CAPITAL_WORD` has them; without the regex engine.
fn capital_words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let table = &*WORD_CHARS;
    // The lead bytes of the capitals of Latin-1 and Latin Extended-A ("Ö", "Ç", "Ş", "İ").
    let maybe_capital = |byte: u8| byte.is_ascii_uppercase() | (0xC3..=0xC5).contains(&byte);
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            // To the next capital. Most 16-byte stretches hold none, and checking a whole one
            // vectorises.
            while let Some(chunk) = bytes.get(at..at + 16)
                && !chunk
                    .iter()
                    .fold(false, |any, &byte| any | maybe_capital(byte))
            {
                at += 16;
            }
            let start = at + bytes.get(at..)?.iter().position(|&b| maybe_capital(b))?;
            if bytes[start].is_ascii() {
                at = start + 1;
                if !boundary(bytes, start) {
                    continue;
                }
            } else {
                let c = text[start..].chars().next().unwrap_or_default();
                at = start + c.len_utf8();
                if !c.is_uppercase() || char_before(text, start).is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
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

/// The word that ends where white space (and at most one ',' or ':') before `at` starts, as
/// written ("Cliënt", "profeet", "dhr.").
fn previous_word(text: &str, at: usize) -> &str {
    let mut end = whitespace_start(text, at);
    if let Some(mark @ (',' | ':')) = char_before(text, end) {
        end = whitespace_start(text, end - mark.len_utf8());
    }
    let mut start = end;
    while let Some(c) =
        char_before(text, start).filter(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '.'))
    {
        start -= c.len_utf8();
    }
    &text[start..end]
}

/// The word after the white space at `at`.
fn next_word(text: &str, at: usize) -> &str {
    let rest = text[at..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// Whether `word`, in lowercase, is in `set` (most words are lowercase already).
fn lowercase_in(set: &WordSet, word: &str) -> bool {
    if word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        set.contains(word.to_lowercase().as_str())
    } else {
        set.contains(word)
    }
}

/// Whether the word at `at` starts a sentence: only white space, brackets or a bullet between it
/// and the start of the text, a line break, an opening quote, or a '.', '!', '?', ':' or ';'.
fn starts_sentence(text: &str, mut at: usize) -> bool {
    loop {
        match char_before(text, at) {
            None | Some('\n' | '.' | '!' | '?' | ':' | ';') => return true,
            // Quoted words start a sentence of their own ("noemde zich 'Leeuw van…'").
            Some('"' | '\'' | '‘' | '“' | '„') => return true,
            Some(c @ ('(' | '[' | '*' | '•' | '-' | '–' | '—')) => at -= c.len_utf8(),
            Some(c) if c.is_whitespace() => at -= c.len_utf8(),
            Some(_) => return false,
        }
    }
}

/// An age in brackets after a word ("Kerem (15)", "(15 jaar)"): the word is a person's name.
fn age_follows(text: &str, end: usize) -> bool {
    let rest = text[end..].strip_prefix(' ').unwrap_or(&text[end..]);
    let Some(inside) = rest.strip_prefix('(') else {
        return false;
    };
    let digits = inside.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && (inside[digits..].starts_with(')') || inside[digits..].starts_with(" jaar)"))
}

/// Whether the name at `start..end` is part of a public figure's full name ("Anne Frank",
/// "Zwarte Piet"), in any case.
fn in_public_figure(text: &str, start: usize, end: usize) -> bool {
    text[start..end].split_whitespace().any(|word| {
        // Where the word is in the text.
        let word_start = word.as_ptr() as usize - text.as_ptr() as usize;
        PUBLIC_FIGURES.get(word).is_some_and(|figures| {
            figures.iter().any(|&(figure, offset)| {
                word_start.checked_sub(offset).is_some_and(|from| {
                    let to = from + figure.len();
                    text.get(from..to)
                        .is_some_and(|found| found.eq_ignore_ascii_case(figure))
                        && !text[..from].ends_with(char::is_alphanumeric)
                        && !text[to..].starts_with(char::is_alphanumeric)
                })
            })
        })
    })
}

/// Where the surname after a first name ends: the capitalised word after it, with prefixes
/// ("Sanne de Vries"), unless that is a common word.
fn surname_after(text: &str, end: usize) -> usize {
    FOLLOWING_SURNAME
        .find(&text[end..])
        .filter(|whole| !is_common(last_word(whole.as_str())))
        .map_or(end, |whole| end + whole.end())
}

/// The last capitalised word of a match, which must not be a common word; a lowercase one
/// (after a title) must be a listed name.
fn ends_on_a_name(matched: &str) -> bool {
    matched.split_whitespace().last().is_some_and(|word| {
        let word = word.trim_end_matches(['.', ',']);
        if word.starts_with(char::is_lowercase) {
            LOWER_TITLED_NAMES.contains(word)
        } else {
            !is_common(word)
        }
    })
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

/// Names are found in three ways. With a title or initials ("mevrouw Bakker", "J. de Vries").
/// As capitalised words, read in context: a listed first name (with the surname after it) or
/// surname, and an unlisted word after a role ("de leerling Kerem") or before an age ("Kerem
/// (15)"); not a public figure ("de profeet Mohammed", "Anne Frank"), not a sentence's first
/// word when the sentence is inverted ("Moet ik…") or when it is also a Dutch word ("Groen is…").
/// And as lowercase first names that are no Dutch word ("mijn cliënt samira zei").
fn find_names(text: &str, marks: &Marks, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let from = out.len();
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
    // Words inside a public figure's name after a title ("Koning Willem-Alexander").
    let mut skip_until = 0;
    for (start, end) in capital_words(text) {
        if start < skip_until {
            continue;
        }
        prefixed_resume = find_prefixed_surname(text, start, prefixed_resume, out);
        let token = &text[start..end];
        // Abbreviations ("IS", "NCTV") and common words are no names.
        let kind = kind_of(token);
        if !token.chars().skip(1).any(char::is_lowercase) || kind & COMMON != 0 {
            continue;
        }
        // "Pieter-Jan", "Anne-Sophie": first names joined.
        let first = kind & FIRST != 0
            || token
                .split_once('-')
                .is_some_and(|(one, two)| kind_of(one) & kind_of(two) & FIRST != 0);
        let alone = first || (kind & (SURNAME | AMBIGUOUS) == SURNAME && token.len() >= 4);
        // An unlisted or ambiguous word is a name only in a person's context.
        if !alone
            && !age_follows(text, end)
            && !lowercase_in(&NAME_CUES, previous_word(text, start))
        {
            continue;
        }
        let name_end = if first || !alone {
            surname_after(text, end)
        } else {
            end
        };
        let previous = previous_word(text, start);
        if lowercase_in(&PUBLIC_TITLES, previous) {
            skip_until = name_end;
            continue;
        }
        // "Den Haag", "Den Bosch"; "de Grote Vervanging", "het Groene Hart": places and titles.
        if previous == "Den"
            || (alone
                && !first
                && PREFIX_WORDS.contains(&previous)
                && next_word(text, end).starts_with(char::is_uppercase))
        {
            continue;
        }
        if starts_sentence(text, start) {
            let next = next_word(text, end);
            if INVERSION_WORDS.contains(&next)
                || (alone && name_end == end && kind & NAME_WORD != 0)
            {
                continue;
            }
        }
        out.push((PiiKind::Name, start, name_end));
    }
    find_lowercase_names(text, out);
    // Public, religious and historical figures named in full are no clients ("Anne Frank").
    let names = out.split_off(from);
    out.extend(
        names
            .into_iter()
            .filter(|&(_, start, end)| !in_public_figure(text, start, end)),
    );
}

/// Lowercase first names that are no Dutch word, with a lowercase listed surname or a
/// The positions after each space and line break (where most words start), ascending: eight
/// bytes at a time, as the letters in between need not be looked at one by one.
fn after_spaces(bytes: &[u8], mut each: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // 0x80 in every byte of `x` that is `byte`, and 0 in the others.
    let equal = |x: u64, byte: u8| {
        let y = x ^ (ONES * u64::from(byte));
        !(((y & LOW7) + LOW7) | y | LOW7)
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    let mut visit = |chunk: [u8; 8], offset: usize| {
        let x = u64::from_le_bytes(chunk);
        let mut spaces = equal(x, b' ') | equal(x, b'\n');
        while spaces != 0 {
            each(offset + spaces.trailing_zeros() as usize / 8 + 1);
            spaces &= spaces - 1;
        }
    };
    for chunk in chunks.by_ref() {
        visit(chunk.try_into().unwrap_or_default(), offset);
        offset += 8;
    }
    // The last bytes, padded with letters.
    let mut last = [b'a'; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    visit(last, offset);
}

/// Lowercase first names that are no Dutch word ("mijn cliënt samira zei"), at the start of the
/// text or after a space or a line break, with a lowercase listed surname or a capitalised one
/// after them.
fn find_lowercase_names(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let starts = &*LOWER_FIRST_STARTS;
    let mut resume = 0;
    let mut each = |start: usize| {
        // Most words start with three letters no first name starts with.
        if start_key(bytes.get(start..).unwrap_or_default())
            .is_some_and(|index| starts[index / 64] & (1 << (index % 64)) != 0)
            && start >= resume
        {
            resume = lowercase_name_at(text, start, out).unwrap_or(resume);
        }
    };
    each(0);
    after_spaces(bytes, each);
}

/// The lowercase first name at `start`, if it is one: pushed, and where it ends. Out of line, so
/// the loop over every word stays small.
#[inline(never)]
fn lowercase_name_at(text: &str, start: usize, out: &mut Vec<Span>) -> Option<usize> {
    let bytes = text.as_bytes();
    let end = start
        + bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
    // The whole word (not one going on in capitals, digits or letters outside ASCII), and not an
    // account ("samira_x@…").
    if bytes
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b >= 0x80 || matches!(b, b'@' | b'_'))
        || !LOWER_FIRST_NAMES.contains(&text[start..end])
        || lowercase_in(&PUBLIC_TITLES, previous_word(text, start))
    {
        return None;
    }
    let next = next_word(text, end);
    let name_end = if LOWER_SURNAMES.contains(next) {
        text[end..]
            .find(next)
            .map_or(end, |offset| end + offset + next.len())
    } else {
        surname_after(text, end)
    };
    out.push((PiiKind::Name, start, name_end));
    Some(name_end)
}

/// "de Vries", "van der Berg": `PREFIXED_SURNAME` ending on the capitalised word at `word`, when
/// prefixes come before it. Its matches end on such a word, so the tokenizer's words drive it;
/// `resume` is where the last one ended, as in `find_iter`. Returns the new `resume`. A bare
/// article before a noun ("de Koning", "de Boer") is no name.
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
            let matched = &text[start..end];
            let surname = last_word(matched);
            // The words before the surname: a bare article, or "op de", "in 't".
            let mut prefixes: Vec<&str> = matched.split_whitespace().collect();
            prefixes.pop();
            let kind = kind_of(surname);
            let article_noun = kind & ARTICLE_NOUN != 0
                && matches!(
                    prefixes[..],
                    [] | ["de" | "het" | "den" | "der" | "'t"] | ["op" | "in", "de" | "het" | "'t"]
                );
            // "de Grote Markt", "de Lange Voorhout": a place or a title, not a surname.
            let title = next_word(text, end).starts_with(char::is_uppercase);
            if kind & SURNAME != 0 && !article_noun && !title {
                out.push((PiiKind::Name, start, end));
            }
            end
        })
}

/// Accounts: "@naam" (not an e-mail address: nothing of an address's name right before the
/// '@'), and profile links ("tiktok.com/@naam", "t.me/naam").
fn find_handles(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // The pattern has no literal to start from; a profile link has one of these.
    if [".com/", ".me/", ".gg/", ".net/", ".tv/"]
        .iter()
        .any(|host| text.contains(host))
    {
        for found in PROFILE_URL.find_iter(text) {
            let account = found
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_start_matches('@');
            if !NOT_AN_ACCOUNT
                .iter()
                .any(|page| account.eq_ignore_ascii_case(page))
            {
                out.push((PiiKind::Handle, found.start(), found.end()));
            }
        }
    }
    let in_account = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.');
    for (at, _) in text.match_indices('@') {
        if at
            .checked_sub(1)
            .is_some_and(|i| bytes[i].is_ascii_alphanumeric() || b"._%+-/".contains(&bytes[i]))
        {
            continue;
        }
        let len = bytes[at + 1..].iter().take_while(|b| in_account(b)).count();
        let account = text[at + 1..at + 1 + len].trim_end_matches('.');
        // A bare domain ("op @politie.nl eindigen") is the end of an address, not an account;
        // an account may hold dots too ("@ummah.sisters.nl").
        let domain = account.split('.').count() == 2
            && account.rsplit_once('.').is_some_and(|(_, top)| {
                ["nl", "com", "org", "net", "be", "eu", "info"].contains(&top)
            });
        if account.len() >= 2 && account.bytes().any(|b| b.is_ascii_alphabetic()) && !domain {
            out.push((PiiKind::Handle, at, at + 1 + account.len()));
        }
    }
}

/// Every piece of personal data in `text`, in order, without overlaps (where two overlap, the
/// more specific kind stays, then the longer).
pub fn scan(text: &str) -> Vec<Finding> {
    let marks = Marks::of(text);
    let mut found = Vec::new();
    // An e-mail address needs an '@', an account an '@' or a '/'.
    if text.as_bytes().iter().any(|&b| b == b'@' || b == b'/') {
        find_handles(text, &mut found);
    }
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
        // Numbers, addresses of mail and accounts on social media: in every mode.
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

    /// The false alarms of issue 30: ordinary Dutch wording, public figures, nouns after "de".
    #[test]
    fn ordinary_dutch_wording_is_no_name() {
        for clean in [
            "Moet ik dit melden bij Veilig Thuis?",
            "Kan je de ouders bellen? Zal ik het doen? Mag ik het delen?",
            "De leerling sprak over de profeet Mohammed.",
            "De jongen noemde de Koning een marionet.",
            "De Boer en de Burger: een debat over stikstof.",
            "We lazen het dagboek van Anne Frank.",
            "Sint Maarten is op school een feest; ook Zwarte Piet kwam ter sprake.",
            "Koning Willem-Alexander bezocht de wijk.",
            "Meer aandacht is nodig. Boven alles telt veiligheid.",
            "Groen licht van de directie. Post van de gemeente volgt.",
            "Het gaat om jihadisme, rechts-extremisme, Hamas, IS en de Koerden.",
            "Een krans op de Dam; een overleg in Den Bosch over 'de Grote Vervanging'.",
        ] {
            assert!(kinds(clean).is_empty(), "{clean}: {:?}", kinds(clean));
        }
    }

    /// The misses of issue 30: names outside the lists, in lowercase, after initials.
    #[test]
    fn names_in_context_and_in_lowercase() {
        let names = |text: &str| -> Vec<String> {
            scan(text)
                .into_iter()
                .filter(|f| f.kind == PiiKind::Name)
                .map(|f| f.text)
                .collect()
        };
        assert_eq!(
            names("De leerling Kerem Yilmaz (16) deelt filmpjes."),
            ["Kerem Yilmaz"]
        );
        assert_eq!(names("Gisteren belde Samira over haar broer."), ["Samira"]);
        assert_eq!(names("mijn cliënt samira zei dat ze bang is"), ["samira"]);
        assert_eq!(
            names("de leerling Dilano (15) en zijn broer Jaylano"),
            ["Dilano", "Jaylano"]
        );
        assert_eq!(
            names("gesprek met mevrouw bakker over haar zoon"),
            ["mevrouw bakker"]
        );
        assert_eq!(names("K. Öztürk belt de ouders."), ["K. Öztürk"]);
        assert_eq!(names("Dat zei Pieter-Jan in de klas."), ["Pieter-Jan"]);
        // A first name that is also a word is a name only mid-sentence or with a surname.
        assert!(names("Ben je bij het overleg? Lieve collega's, welkom.").is_empty());
        assert_eq!(names("Toen zei Merel dat ze niet meer kwam."), ["Merel"]);
    }

    #[test]
    fn postcodes_and_ibans_in_lowercase() {
        assert_eq!(
            kinds("woont in 3511 ab Utrecht"),
            [(PiiKind::Postcode, "3511 ab".to_owned())]
        );
        assert_eq!(kinds("postcode 3511ab")[0].0, PiiKind::Postcode);
        assert!(kinds("in 2024 de training, 1500 mg per dag, 1000 km").is_empty());
        assert_eq!(
            kinds("rekening nl91 abna 0417 1643 00 graag")[0],
            (PiiKind::Iban, "nl91 abna 0417 1643 00".to_owned())
        );
    }

    #[test]
    fn handles_and_profile_links_are_accounts() {
        for handle in [
            "@strijder_nl",
            "@kerem.y2009",
            "https://tiktok.com/@x",
            "https://www.tiktok.com/@omvolking.nu",
            "instagram.com/x",
            "t.me/x",
            "x.com/x",
            "twitter.com/x",
            "facebook.com/x",
            "youtube.com/@x",
        ] {
            assert_eq!(
                kinds(&format!("Zie {handle} voor de filmpjes.")),
                [(PiiKind::Handle, handle.to_owned())],
                "{handle}"
            );
        }
        for clean in [
            "Zie https://www.rijksoverheid.nl/onderwerpen/radicalisering voor de handreiking.",
            "De video staat op https://www.youtube.com/watch?v=abc123 en instagram.com/explore.",
            "Afspraak @ 14:00 uur; adressen die op @politie.nl eindigen.",
        ] {
            assert!(kinds(clean).is_empty(), "{clean}: {:?}", kinds(clean));
        }
        assert_eq!(
            kinds("mail naar kerem.y@voorbeeld.nl"),
            [(PiiKind::Email, "kerem.y@voorbeeld.nl".to_owned())]
        );
        assert!(!PiiKind::Handle.may_be_overridden());
        assert_eq!(PiiKind::from_slug("handle"), Some(PiiKind::Handle));
    }

    /// An account is refused in every mode; a single capitalised word only in running text.
    #[test]
    fn refusal_in_each_mode() {
        for what in [
            Guarded::Text,
            Guarded::Label,
            Guarded::Place,
            Guarded::Prose,
        ] {
            let refused =
                refusal("Het veld bevat", "Volg @kalifaat_nl", what).expect_err("an account");
            assert!(
                refused
                    .starts_with("Het veld bevat een account op sociale media (\"@kalifaat_nl\")."),
                "{refused}"
            );
        }
        assert!(
            refusal(
                "De plaats bevat",
                "Buurthuis, Kerkstraat 12, 3511 AB",
                Guarded::Place
            )
            .is_ok()
        );
        assert!(refusal("Het veld bevat", "Meer oefenen met Samira", Guarded::Prose).is_ok());
        assert!(refusal("Het veld bevat", "Meer oefenen met Samira", Guarded::Text).is_err());
    }
}
