//! The privacy guard against its corpus (`pii_corpus/`): Dutch case texts in which every piece
//! of personal data is marked `[[kind|text]]`, and clean professional texts that must pass.
//! Prints precision and recall per kind (the table in docs/intervision.md) and holds them to a floor.

use std::collections::BTreeMap;

use app::privacy_guard::{PiiKind, scan};

struct Expected {
    kind: PiiKind,
    start: usize,
    end: usize,
}

/// The text without its markers, and the marked spans (byte offsets into that text).
fn unmark(marked: &str) -> (String, Vec<Expected>) {
    let mut text = String::new();
    let mut expected = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let close = rest[open..].find("]]").expect("a closed marker") + open;
        let (kind, span) = rest[open + 2..close].split_once('|').expect("kind|text");
        let start = text.len();
        text.push_str(span);
        expected.push(Expected {
            kind: PiiKind::from_slug(kind).expect("a known kind"),
            start,
            end: text.len(),
        });
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    (text, expected)
}

/// Counts each finding against the marked spans (right or a false alarm) and each marked span
/// against the findings (recalled or missed), per kind; prints what went wrong.
fn tally(
    file: &str,
    text: &str,
    expected: &[Expected],
    found: &[app::privacy_guard::Finding],
    scores: &mut BTreeMap<&'static str, Score>,
) {
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    for finding in found {
        let score = scores.entry(finding.kind.slug()).or_default();
        score.found += 1;
        if expected.iter().any(|e| {
            e.kind == finding.kind && overlaps((e.start, e.end), (finding.start, finding.end))
        }) {
            score.correct += 1;
        } else {
            println!(
                "false alarm in {file}: {:?} {:?}",
                finding.kind, finding.text
            );
        }
    }
    for wanted in expected {
        let score = scores.entry(wanted.kind.slug()).or_default();
        score.expected += 1;
        if found.iter().any(|f| {
            f.kind == wanted.kind && overlaps((wanted.start, wanted.end), (f.start, f.end))
        }) {
            score.recalled += 1;
        } else {
            println!(
                "missed in {file}: {:?} {:?}",
                wanted.kind,
                &text[wanted.start..wanted.end]
            );
        }
    }
}

#[derive(Default, Debug)]
struct Score {
    found: usize,
    correct: usize,
    expected: usize,
    recalled: usize,
}

#[test]
fn precision_and_recall_per_kind_on_the_corpus() {
    let mut scores: BTreeMap<&'static str, Score> = BTreeMap::new();
    for file in ["cases.txt", "clean.txt"] {
        let marked = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/it/pii_corpus")
                .join(file),
        )
        .expect("the corpus");
        let (text, expected) = unmark(&marked);
        let found = scan(&text);
        tally(file, &text, &expected, &found, &mut scores);
        if file == "clean.txt" {
            assert!(found.is_empty(), "clean text flagged: {found:?}");
        }
    }
    println!("| kind | marked | found | precision | recall |");
    println!("|---|---|---|---|---|");
    let (mut correct, mut found, mut recalled, mut expected) = (0, 0, 0, 0);
    for (kind, score) in &scores {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        println!(
            "| {kind} | {} | {} | {:.2} | {:.2} |",
            score.expected,
            score.found,
            ratio(score.correct, score.found),
            ratio(score.recalled, score.expected)
        );
        correct += score.correct;
        found += score.found;
        recalled += score.recalled;
        expected += score.expected;
    }
    assert_eq!(
        scores.len(),
        PiiKind::ALL.len(),
        "every kind is in the corpus"
    );
    let precision = correct as f64 / found as f64;
    let recall = recalled as f64 / expected as f64;
    println!("overall: precision {precision:.2}, recall {recall:.2} ({expected} marked)");
    assert!(recall >= 0.95, "recall {recall:.2}");
    assert!(precision >= 0.95, "precision {precision:.2}");
}

fn corpus(file: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/it/pii_corpus")
            .join(file),
    )
    .expect("the corpus")
}

/// The Dutch corpus of issue 30: `planted.txt`, case texts with personal data planted in them
/// (heavy on names: unlisted ones, lowercase ones, after initials and titles), and
/// `professional.txt`, clean paragraphs of ordinary professional wording that must pass
/// ("Moet ik dit melden?", "de profeet Mohammed", "de Koning", "Anne Frank").
#[test]
fn dutch_wording_recall_and_false_flags() {
    let (text, expected) = unmark(&corpus("planted.txt"));
    let found = scan(&text);
    let mut scores: BTreeMap<&'static str, Score> = BTreeMap::new();
    tally("planted.txt", &text, &expected, &found, &mut scores);
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    println!("| kind | planted | found | precision | recall |");
    println!("|---|---|---|---|---|");
    for (kind, score) in &scores {
        println!(
            "| {kind} | {} | {} | {:.2} | {:.2} |",
            score.expected,
            score.found,
            ratio(score.correct, score.found),
            ratio(score.recalled, score.expected)
        );
    }
    let total: usize = scores.values().map(|s| s.expected).sum();
    assert!(total >= 300, "{total} planted items");
    for kind in PiiKind::ALL {
        assert!(
            scores.get(kind.slug()).is_some_and(|s| s.expected > 0),
            "{kind:?} is planted"
        );
    }
    for kind in ["bsn", "email", "postcode", "phone", "iban", "handle"] {
        let score = &scores[kind];
        assert_eq!(score.recalled, score.expected, "recall of {kind}");
    }
    let names = &scores["name"];
    let name_recall = ratio(names.recalled, names.expected);
    assert!(name_recall >= 0.90, "name recall {name_recall:.2}");

    let professional = corpus("professional.txt");
    let paragraphs: Vec<&str> = professional
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut flagged = 0;
    for paragraph in &paragraphs {
        let found = scan(paragraph);
        if !found.is_empty() {
            flagged += 1;
            println!("clean text flagged: {found:?} in {paragraph:?}");
        }
    }
    println!(
        "professional.txt: {flagged} of {} clean texts flagged ({:.2} per 100)",
        paragraphs.len(),
        100.0 * flagged as f64 / paragraphs.len() as f64
    );
    assert!(paragraphs.len() >= 200, "{} clean texts", paragraphs.len());
    assert!(
        flagged * 100 <= paragraphs.len(),
        "{flagged} of {} clean texts flagged",
        paragraphs.len()
    );
}
