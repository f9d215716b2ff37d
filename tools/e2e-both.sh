#!/usr/bin/env bash
# The browser suite twice side by side: today, and two years on (the clock and the content's
# dates 104 weeks later), each with its own servers, ports, database and results directory.
# The suites mostly wait on their browsers and servers, so on two cores the pair takes about as
# long as one. Both logs are printed whole afterwards (Playwright's summaries stay intact for
# .ci/run), and the exit status fails when either run failed.
# Usage: tools/e2e-both.sh [site-root]   (default: target/site, the debug bundles)
set -uo pipefail
cd "$(dirname "$0")/../end2end"
site_root=$(realpath "${1:-../target/site}")
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

E2E_SITE_ROOT="$site_root" E2E_OUTPUT_DIR=test-results \
  npx playwright test >"$logs/today" 2>&1 &
today=$!
E2E_SITE_ROOT="$site_root" E2E_OUTPUT_DIR=test-results-later E2E_SHIFT_WEEKS=104 \
  E2E_PORT=3300 E2E_PLATFORM_ROLES_PORT=3302 E2E_OIDC_PORT=3401 \
  E2E_MAIL_SMTP_PORT=1036 E2E_MAIL_WEB_PORT=1091 \
  npx playwright test >"$logs/later" 2>&1 &
later=$!

wait "$today"; today_status=$?
wait "$later"; later_status=$?
echo "=== the browser suite today ==="
cat "$logs/today"
echo "=== the browser suite 104 weeks later ==="
cat "$logs/later"
[ "$today_status" -eq 0 ] && [ "$later_status" -eq 0 ]
