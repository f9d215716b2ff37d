//! The privacy guard's throughput: the corpus texts (the case texts with personal data marked,
//! the Dutch planted texts, and the clean texts) repeated to ~10 MB of Dutch text, scanned in one
//! piece per paragraph on one core. Prints MB/s; asserts nothing.

use std::time::Instant;

/// Without the markers: "[[kind|text]]" becomes "text".
fn unmarked(marked: &str) -> String {
    marked
        .split("[[")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                let (marked, rest) = part.split_once("]]").unwrap_or((part, ""));
                let span = marked.split_once('|').map_or(marked, |(_, span)| span);
                format!("{span}{rest}")
            }
        })
        .collect()
}

fn main() {
    let cases = unmarked(include_str!("../tests/it/pii_corpus/cases.txt"));
    let planted = unmarked(include_str!("../tests/it/pii_corpus/planted.txt"));
    let clean = include_str!("../tests/it/pii_corpus/clean.txt");
    let professional = include_str!("../tests/it/pii_corpus/professional.txt");
    let paragraphs: Vec<&str> = cases
        .split("\n\n")
        .chain(planted.split("\n\n"))
        .chain(clean.split("\n\n"))
        .chain(clean.split("\n\n"))
        .chain(professional.split("\n\n"))
        .filter(|paragraph| !paragraph.trim().is_empty())
        .collect();
    let flagged: usize =
        paragraphs.iter().map(|p| p.len()).sum::<usize>() - clean.len() * 2 - professional.len();
    let target = 10 * 1024 * 1024;
    let mut texts = Vec::new();
    let mut bytes = 0;
    while bytes < target {
        for paragraph in &paragraphs {
            bytes += paragraph.len();
            texts.push(*paragraph);
        }
    }
    // Warm up the patterns and lists once.
    app::privacy_guard::scan(texts[0]);
    let started = Instant::now();
    let mut findings = 0;
    for text in &texts {
        findings += app::privacy_guard::scan(text).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    let total: usize = paragraphs.iter().map(|p| p.len()).sum();
    println!(
        "privacy guard: {:.1} MB in {:.2} s = {:.1} MB/s on one core ({} paragraphs, {} findings; {:.0}% of the text has personal data)",
        bytes as f64 / 1_048_576.0,
        seconds,
        bytes as f64 / 1_048_576.0 / seconds,
        texts.len(),
        findings,
        100.0 * flagged as f64 / total as f64
    );
}
