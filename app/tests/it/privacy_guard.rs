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
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for finding in &found {
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
        for wanted in &expected {
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
