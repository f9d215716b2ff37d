#!/usr/bin/env bash
# Benchmark: import of N generated factsheets, then throughput and latency of one factsheet
# page from the app and, in the same run, the same HTML as a static file from nginx.
# Prints figures; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_FACTSHEETS:-10000}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
APP_PORT=3210
NGINX_PORT=3211
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="bench/out"

command -v wrk >/dev/null && command -v nginx >/dev/null && command -v hugo >/dev/null \
  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light hugo >/dev/null)
# oha (fixed-rate load with coordinated-omission correction), built from the Rust crate registry.
command -v oha >/dev/null || cargo install oha --locked

echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "== building release (server + WASM)"
cargo build -p server --release --locked
make --no-print-directory site-release
BIN="$TARGET/release/leerplatform"

rm -rf "$OUT" && mkdir -p "$OUT/content" "$OUT/html/factsheets"
echo "== generating $N factsheets"
python3 bench/generate.py "$OUT/content" "$N"

export DATABASE_URL="sqlite://$OUT/bench.db?mode=rwc" RUST_LOG=warn
echo "== import (fresh database)"
IMPORT_START=$(date +%s.%N)
"$BIN" content import "$OUT/content" | head -1
IMPORT_SECONDS=$(awk -v a="$(date +%s.%N)" -v b="$IMPORT_START" 'BEGIN {print a - b}')

echo "== hugo building a site from the same Markdown files"
mkdir -p "$OUT/hugo/layouts/_default" "$OUT/hugo/content"
cat > "$OUT/hugo/config.toml" <<'HUGO'
baseURL = "http://127.0.0.1/"
languageCode = "nl"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
HUGO
echo '<!DOCTYPE html><html lang="nl"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</body></html>' \
  > "$OUT/hugo/layouts/_default/single.html"
echo '<!DOCTYPE html><html lang="nl"><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>' \
  > "$OUT/hugo/layouts/_default/list.html"
ln -sfn "$PWD/$OUT/content/factsheets" "$OUT/hugo/content/factsheets"
HUGO_START=$(date +%s.%N)
hugo --quiet -s "$OUT/hugo" -d "$PWD/$OUT/hugo/public"
HUGO_SECONDS=$(awk -v a="$(date +%s.%N)" -v b="$HUGO_START" 'BEGIN {print a - b}')
awk -v i="$IMPORT_SECONDS" -v h="$HUGO_SECONDS" \
  'BEGIN {printf "import %.2f s, hugo %.2f s: hugo / import = %.1f (goal: >= 5)\n", i, h, h / i}'
echo "== storing the imported rows alone, no parsing (python3's sqlite3, the app's settings)"
python3 bench/store_floor.py "$OUT/bench.db"
echo "== import again (nothing changed; goal: < 0.5 s)"
AGAIN_START=$(date +%s.%N)
"$BIN" content import "$OUT/content" | head -1
awk -v a="$(date +%s.%N)" -v b="$AGAIN_START" 'BEGIN {printf "unchanged re-import %.2f s\n", a - b}'

echo "== rendering inputs known to be slow for Markdown parsers (256 KB each)"
cargo run --quiet --release -p app --features ssr --example render_adversarial

echo "== search latency (tantivy, in-memory index over the same factsheets; goal: p99 < 5 ms)"
cargo run --quiet --release -p app --features ssr --example search_latency -- "$OUT/content"
echo "== privacy guard (goal >= 50 MB/s on one core)"
cargo run --quiet --release -p app --features ssr --example privacy_throughput
echo "== saving a dilemma (guard, sealing, insert)"
cargo run --quiet --release -p app --features ssr --example dilemma_save
echo "== certificates (PDF with embedded font and QR code)"
cargo run --quiet --release -p app --features ssr --example certificate_pdfs

echo "== where a factsheet page's time goes (in process, one core)"
cargo run --quiet --release -p server --example page_profile

PAGE="/factsheets/synthetisch-00042"
LEPTOS_SITE_ADDR="127.0.0.1:$APP_PORT" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
  CONTENT_DIR="$OUT/content" "$BIN" &
APP_PID=$!
trap 'kill $APP_PID 2>/dev/null || true; [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/readyz" >/dev/null && break; sleep 0.5; done
# The same HTML as static files for nginx: factsheet, index, home.
curl -sf "http://127.0.0.1:$APP_PORT$PAGE" > "$OUT/html/factsheets/synthetisch-00042.html"
curl -sf "http://127.0.0.1:$APP_PORT/factsheets" > "$OUT/html/factsheets.html"
curl -sf "http://127.0.0.1:$APP_PORT/" > "$OUT/html/index.html"
echo "page sizes: factsheet $(wc -c < "$OUT/html/factsheets/synthetisch-00042.html"), index $(wc -c < "$OUT/html/factsheets.html"), home $(wc -c < "$OUT/html/index.html") bytes"

cat > "$OUT/nginx.conf" <<NGINX
worker_processes 1;
pid $PWD/$OUT/nginx.pid;
error_log $PWD/$OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $PWD/$OUT/html;
    location = / { try_files /index.html =404; }
    location / { try_files \$uri.html \$uri =404; }
  }
}
NGINX
nginx -c "$PWD/$OUT/nginx.conf" -p "$PWD/$OUT"
sleep 0.5

run_wrk() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1"; }
summarise() {
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%s req/s  p50 %s  p99 %s\n", rps, p50, p99}'
}
# Fixed rate with coordinated-omission correction: latency counts from when a request was due.
fixed_rate() {
  local rate="$1" url="$2"; shift 2
  oha --no-tui --latency-correction -q "$rate" -z "$DURATION" -c 16 "$@" --output-format json "$url" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["latencyPercentiles"]; s=d["statusCodeDistribution"]; print("p50 %.1f ms  p99 %.1f ms  statuses %s" % (p["p50"]*1000, p["p99"]*1000, s))'
}
compare() {
  local label="$1" app_path="$2" nginx_path="$3" goal="$4"
  echo "== $label: app $app_path against nginx serving the same HTML (wrk, $CONNECTIONS connections)"
  local app nginx_result
  app=$(run_wrk "http://127.0.0.1:$APP_PORT$app_path" | summarise)
  nginx_result=$(run_wrk "http://127.0.0.1:$NGINX_PORT$nginx_path" | summarise)
  echo "  app:   $app"
  echo "  nginx: $nginx_result"
  awk -v a="$(echo "$app" | awk '{print $1}')" -v n="$(echo "$nginx_result" | awk '{print $1}')" -v g="$goal" \
    'BEGIN {
      printf "  app / nginx: %.1f %% (goal: >= %d %%)\n", 100 * a / n, g
      # Where nginx is not at least twice as fast, both servers wait on wrk, not on themselves.
      if (n < 2 * a) print "  WARNING: nginx is not twice as fast as the app here: the load generator is the limit, and the ratio says little about the app"
    }'
  echo "  at a fixed 300 req/s (goal: p99 < 50 ms): $(fixed_rate 300 "http://127.0.0.1:$APP_PORT$app_path")"
}
compare "factsheet page" "$PAGE" "/factsheets/synthetisch-00042" 50
compare "factsheet index" "/factsheets" "/factsheets" 30
compare "home page" "/" "/" 30
# Only writes an account and its session: a debug build is enough, and far quicker to link.
COOKIE=$(DATABASE_URL="$DATABASE_URL" cargo run --quiet -p server --example bench_session)
echo "== a logged-in participant's page, /mijn/trainingen, at a fixed 100 req/s (goal: p99 < 50 ms)"
echo "  $(fixed_rate 100 "http://127.0.0.1:$APP_PORT/mijn/trainingen" -H "Cookie: $COOKIE")"
echo "== server memory after the page benchmarks (goal: <= 150 MB): $(( $(ps -o rss= -p $APP_PID) / 1024 )) MB RSS"
for bundle in leerplatform leerplatform-redactie; do
  wasm=target/site/pkg/$bundle.wasm
  echo "WASM $bundle: $(wc -c < $wasm) bytes, $(gzip -9c $wasm | wc -c) gzip, $(brotli -q 11 -c $wasm | wc -c) brotli"
done
echo "  (budget for the visitors' bundle, leerplatform.wasm: 250000 bytes brotli)"
echo "== enrolment under load"; bash bench/enrol.sh
