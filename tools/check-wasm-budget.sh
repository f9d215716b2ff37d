#!/usr/bin/env bash
# The WASM budget, checked on a built site:
# - every staff-only island (an island only with the `staff` feature) is exported by the staff
#   bundle and absent from the visitors' bundle, so staff pages add 0 bytes to what visitors load;
# - with a byte limit: the visitors' bundle, brotli-compressed, is at most that size.
# - with a second limit: the staff bundle too (a guard against e.g. the time-zone database
#   slipping into an island).
# usage: check-wasm-budget.sh <site dir> [max brotli bytes of leerplatform.wasm] [… of the staff bundle]
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="$1/pkg" limit="${2:-}" staff_limit="${3:-}"
visitors="$pkg/leerplatform.js" staff="$pkg/leerplatform-redactie.js"
mapfile -t staff_islands < <(grep -rh -A2 'cfg_attr(any(feature = "ssr", feature = "staff"), island)' app/src \
  | sed -n 's/^\(pub \)\?fn \([A-Za-z0-9_]*\).*/\2/p')
[[ ${#staff_islands[@]} -gt 0 ]] || { echo "no staff-only islands found in app/src"; exit 1; }
status=0
for island in "${staff_islands[@]}"; do
  # The island macro exports `<Name>_<hash>` for the browser to call.
  if grep -q "${island}_[0-9]" "$visitors"; then
    echo "FAIL: staff island $island is in the visitors' bundle"; status=1
  fi
  if ! grep -q "${island}_[0-9]" "$staff"; then
    echo "FAIL: staff island $island is missing from the staff bundle"; status=1
  fi
done
echo "staff-only islands kept out of the visitors' bundle: ${staff_islands[*]}"
if [[ -n "$limit" ]]; then
  size=$(brotli -q 11 -c "$pkg/leerplatform.wasm" | wc -c)
  echo "visitors' bundle: $size bytes brotli (budget $limit)"
  if (( size > limit )); then echo "FAIL: over the WASM budget"; status=1; fi
fi
if [[ -n "$staff_limit" ]]; then
  size=$(brotli -q 11 -c "$pkg/leerplatform-redactie.wasm" | wc -c)
  echo "staff bundle: $size bytes brotli (budget $staff_limit)"
  if (( size > staff_limit )); then echo "FAIL: staff bundle over its budget"; status=1; fi
fi
exit $status
