#!/usr/bin/env bash
# Benchmark: ten years of generated use (server/examples/ten_years.rs) on SQLite and on
# PostgreSQL; the time from start to ready, and p50/p99 of every role's pages at a fixed
# 50 requests a second (oha, coordinated-omission corrected). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="bench/out/volume"
PORT=3213
BASE="http://127.0.0.1:$PORT"
RATE="${BENCH_RATE:-50}"
DURATION="${BENCH_DURATION:-10s}"
PG_ADMIN="${BENCH_POSTGRES_ADMIN:-postgres://postgres@127.0.0.1:5432/test}"
# Only the pages whose path matches this regular expression (every page by default).
PAGES="${BENCH_PAGES:-.}"

command -v oha >/dev/null || cargo install oha --locked
cargo build -p server --release --locked --bin leerplatform --example ten_years
# Pages are rendered on the server: the development site's assets are enough.
[ -f target/site/pkg/leerplatform.wasm ] || make --no-print-directory site
BIN="$TARGET/release/leerplatform"
GENERATE="$TARGET/release/examples/ten_years"
echo "cores: $(nproc)"

start_server() {
  DATABASE_URL="$1" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
    PUBLIC_URL="$BASE" CONTENT_DIR="$OUT/content" INTERVISION_KEY="$KEY" RUST_LOG=error "$BIN" &
  SERVER=$!
}

measure() {
  local database_url="$1" label="$2"
  rm -rf "$OUT" && mkdir -p "$OUT/content"
  python3 bench/generate.py "$OUT/content" 1000 >/dev/null
  KEY=$(head -c 32 /dev/urandom | base64)
  echo "== $label: generating ten years of use"
  local started=$(date +%s.%N)
  DATABASE_URL="$database_url" CONTENT_DIR="$OUT/content" INTERVISION_KEY="$KEY" RUST_LOG=error \
    "$GENERATE" > "$OUT/pages.tsv"
  awk -v a="$(date +%s.%N)" -v b="$started" 'BEGIN {printf "  generated in %.0f s\n", a - b}'
  started=$(date +%s.%N)
  start_server "$database_url"
  until curl -sf "$BASE/readyz" >/dev/null; do sleep 0.05; done
  awk -v a="$(date +%s.%N)" -v b="$started" 'BEGIN {printf "  start to ready: %.2f s (goal: < 5 s)\n", a - b}'
  echo "  p50 and p99 at $RATE req/s for $DURATION (goal: p99 < 50 ms)"
  while IFS=$'\t' read -r role path cookie; do
    [[ "$path" =~ $PAGES ]] || continue
    local header=()
    [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$BASE$path")
    oha --no-tui --latency-correction -q "$RATE" -z "$DURATION" -c 8 "${header[@]}" \
      --output-format json "$BASE$path" \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["latencyPercentiles"]; s=d["statusCodeDistribution"]; print("  %-12s %-48s p50 %6.1f ms  p99 %6.1f ms  %s" % (sys.argv[1], sys.argv[2], p["p50"]*1000, p["p99"]*1000, s))' \
        "$role" "$path ($status)"
  done < "$OUT/pages.tsv"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

measure "sqlite://$PWD/$OUT/volume.db?mode=rwc" "SQLite"
psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_volume WITH (FORCE)" -c "CREATE DATABASE bench_volume"
measure "${PG_ADMIN%/*}/bench_volume" "PostgreSQL"
psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_volume WITH (FORCE)"
