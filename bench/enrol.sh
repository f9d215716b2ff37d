#!/usr/bin/env bash
# Benchmark: 1,000 simultaneous enrolment requests over HTTP into one run of 20 seats, on SQLite
# and on PostgreSQL, against the release server. Prints figures; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="bench/out/enrol"
PORT=3212
BASE="http://127.0.0.1:$PORT"
PG_ADMIN="${BENCH_POSTGRES_ADMIN:-postgres://postgres@127.0.0.1:5432/test}"

cargo build -p server --release --locked --bin leerplatform --example enrol_burst
BIN="$TARGET/release/leerplatform"
BURST="$TARGET/release/examples/enrol_burst"

rm -rf "$OUT" && mkdir -p "$OUT/content/trainings"
cat > "$OUT/content/trainings/belasting.md" <<'MD'
---
title: "Belastingproef"
slug: belasting
summary: "Een training om inschrijven onder belasting te meten."
phenomena: [fenomeenoverstijgend]
audience: [zorg]
owner: "Bench"
reviewed_on: 2026-11-01
review_due: 2027-11-01
status: published
sources:
  - title: "Bron"
    url: "https://example.org"
hours: 3
prerequisites: "Niets."
runs:
  - code: 2027-burst
    capacity: 20
    enrolment_opens: 2020-01-01
    enrolment_closes: 2099-01-01
    sessions:
      - { date: 2099-03-04, start: "09:30", end: "12:30", location: "Utrecht" }
---
Tekst.
MD

burst() {
  local database_url="$1" label="$2"
  DATABASE_URL="$database_url" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
    PUBLIC_URL="$BASE" CONTENT_DIR="$OUT/content" RUST_LOG=error "$BIN" &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.5; done
  echo -n "$label: "
  DATABASE_URL="$database_url" BENCH_URL="$BASE" "$BURST"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

burst "sqlite://$PWD/$OUT/enrol.db?mode=rwc" "SQLite"
psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_enrol WITH (FORCE)" -c "CREATE DATABASE bench_enrol"
burst "${PG_ADMIN%/*}/bench_enrol" "PostgreSQL"
psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_enrol WITH (FORCE)"
