#!/usr/bin/env bash
# Turns the app library compiled for wasm32 into the site the server serves:
#   <site>/pkg/leerplatform.{js,wasm,css} and the files of public/,
# each with .br and .gz beside it (the server picks one by Accept-Encoding).
# usage: bundle-site.sh <app.wasm> <site dir> debug|release <bundle name>
set -euo pipefail
cd "$(dirname "$0")/.."
wasm="$1" site="$2" mode="$3" name="$4"
pkg="$site/pkg"
mkdir -p "$pkg"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

wasm-bindgen --target web --no-typescript --out-dir "$tmp" --out-name "$name" "$wasm"
# leptos links `<name>.wasm` when LEPTOS_OUTPUT_NAME is set at compile time.
if [[ "$mode" == release ]]; then
  # binaryen's wasm-opt from npm (end2end/node_modules/.bin is on the Makefile's PATH).
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$tmp/$name.wasm" "$tmp/${name}_bg.wasm"
else
  mv "$tmp/${name}_bg.wasm" "$tmp/$name.wasm"
fi
# Replace only what changed, so a warm rebuild leaves file times (and browser caches) alone.
for file in "$tmp/$name.js" "$tmp/$name.wasm"; do
  cmp -s "$file" "$pkg/$(basename "$file")" || cp "$file" "$pkg/"
done
css="$pkg/${LEPTOS_OUTPUT_NAME:-leerplatform}.css"
cmp -s style/main.css "$css" || cp style/main.css "$css"
cp -ru public/. "$site/"

# Brotli at its best level for release; a quick level for the much larger debug WASM.
quality=11
[[ "$mode" == release ]] || quality=5
find "$site" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) |
  while read -r file; do
    [[ "$file.br" -nt "$file" ]] || brotli -f -q "$quality" -o "$file.br" "$file"
    [[ "$file.gz" -nt "$file" ]] || gzip -9 -n -c "$file" > "$file.gz"
  done
printf 'site: %s (%s WASM: %s bytes, %s brotli)\n' "$site" "$mode" \
  "$(wc -c < "$pkg/$name.wasm")" "$(wc -c < "$pkg/$name.wasm.br")"
