//! Benchmark (run by `bench/run.sh`): imports a content directory into in-memory SQLite, builds
//! the search index and prints the p50/p99 latency of a fixed mix of queries. Prints figures,
//! asserts nothing.

use std::time::{Duration, Instant};

use app::knowledge::model::SearchQuery;
use app::knowledge::service::import::import_content_dir;
use app::knowledge::service::search::SearchIndex;
use app::vocabulary::{Phenomenon, WorkField};

const WORDS: [&str; 12] = [
    "radicalisering",
    "extremisme",
    "signalen",
    "gesprek",
    "school",
    "online",
    "polarisatie",
    "weerbaarheid",
    "jongeren",
    "netwerk",
    "ideologie",
    "samenwerking",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: search_latency <content dir>");
    let db = app::db::connect_and_migrate("sqlite::memory:")
        .await
        .expect("database");
    let started = Instant::now();
    let report = import_content_dir(&db, std::path::Path::new(&dir), chrono::Utc::now())
        .await
        .expect("import");
    println!(
        "imported {} documents in {:.2} s",
        report.added,
        started.elapsed().as_secs_f64()
    );
    let index = SearchIndex::new().expect("index");
    let started = Instant::now();
    let count = index.rebuild(&db).await.expect("rebuild");
    println!(
        "indexed {count} documents in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    // A fixed mix: one, two and three words, a third of them with a filter.
    let mut queries = Vec::new();
    for i in 0..3000usize {
        let words = 1 + i % 3;
        let text: Vec<&str> = (0..words)
            .map(|w| WORDS[(i * 7 + w * 5) % WORDS.len()])
            .collect();
        queries.push(SearchQuery {
            text: text.join(" "),
            phenomenon: (i % 3 == 1).then(|| Phenomenon::ALL[i % Phenomenon::ALL.len()]),
            audience: (i % 3 == 2).then(|| WorkField::AUDIENCES[i % WorkField::AUDIENCES.len()]),
            kind: None,
        });
    }
    for query in queries.iter().take(100) {
        index.search(query).expect("warm-up");
    }
    let mut latencies = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for query in &queries {
        let started = Instant::now();
        let results = index.search(query).expect("search");
        latencies.push(started.elapsed());
        hits += results.hits.len();
    }
    latencies.sort();
    println!(
        "search over {count} documents, {} queries ({:.1} hits each, with snippets): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        queries.len(),
        hits as f64 / queries.len() as f64,
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies
            .last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or_default(),
    );
}
