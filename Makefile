# The two commands: `make run` and `make test`. Both install what is missing first
# (idempotent, and quick when everything is there).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print}' Cargo.lock)
NODE_BIN := $(CURDIR)/end2end/node_modules/.bin
export PATH := $(HOME)/.cargo/bin:$(NODE_BIN):$(PATH)
# Compiled into leptos (the names of the WASM and JS files it links); set for every cargo
# command so tests, clippy and the site build share one build of leptos.
export LEPTOS_OUTPUT_NAME := leerplatform
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SITE ?= $(CURDIR)/target/site

# Configuration of the embedded run (see README); the environment overrides each.
export LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
export DATABASE_URL ?= sqlite://data/leerplatform.db?mode=rwc
export CONTENT_DIR ?= content
export RUST_LOG ?= info,tower_http=warn

.PHONY: run dev test site site-release server tools build-tools npm-packages chromium java postgres bench bench-volume e2e e2e-later wasm-budget

## make run: build, migrate, import content/ and serve on http://127.0.0.1:3000, with the
## local OpenID provider and its demo accounts unless OIDC_ISSUER_URL points elsewhere, and a
## local mail inbox on http://127.0.0.1:1080 unless SMTP_URL points elsewhere
run: build-tools site server
	@# The key intervision content is sealed with: INTERVISION_KEY, or one generated once under data/.
	@mkdir -p data; [ -n "$${INTERVISION_KEY:-}" ] || [ -s data/intervision.key ] \
		|| (umask 077; head -c 32 /dev/urandom | base64 > data/intervision.key)
	INTERVISION_KEY="$${INTERVISION_KEY:-$$(cat data/intervision.key)}" DEMO_DATA=1 \
	LEPTOS_SITE_ROOT=target/site end2end/mail/with-local-inbox.sh \
		end2end/oidc/with-local-provider.sh $(TARGET_DIR)/debug/leerplatform

## make dev: optional watch mode (rebuilds and reloads on change); needs cargo-leptos, which
## takes ~25 min to compile once, so neither `make run` nor `make test` uses it
dev: build-tools
	@cargo leptos --version 2>/dev/null | grep -qw "0.3.4" \
		|| cargo install cargo-leptos --version 0.3.4 --locked --features no_downloads
	SINGLE_WASM_BUNDLE=1 end2end/mail/with-local-inbox.sh \
		end2end/oidc/with-local-provider.sh cargo leptos watch

# The site with plain cargo: the server with `ssr`, the app library with `hydrate` for wasm32,
# wasm-bindgen on it, the stylesheet and public/ copied, each asset precompressed.
server:
	cargo build -p server --locked

# Two bundles of islands: the visitors' (`hydrate`) and the staff pages' (`staff`: every island).
WASM_BUILD := cargo build -p frontend --lib --locked --target wasm32-unknown-unknown --no-default-features

site:
	$(WASM_BUILD) --features hydrate
	bash tools/bundle-site.sh $(TARGET_DIR)/wasm32-unknown-unknown/debug/frontend.wasm $(SITE) debug leerplatform
	$(WASM_BUILD) --features staff
	bash tools/bundle-site.sh $(TARGET_DIR)/wasm32-unknown-unknown/debug/frontend.wasm $(SITE) debug leerplatform-redactie

site-release:
	$(WASM_BUILD) --features hydrate --profile wasm-release
	bash tools/bundle-site.sh $(TARGET_DIR)/wasm32-unknown-unknown/wasm-release/frontend.wasm $(SITE) release leerplatform
	$(WASM_BUILD) --features staff --profile wasm-release
	bash tools/bundle-site.sh $(TARGET_DIR)/wasm32-unknown-unknown/wasm-release/frontend.wasm $(SITE) release leerplatform-redactie

## make test: formatting, clippy (warnings denied), all cargo tests (SQLite and PostgreSQL), the
## release bundles against the WASM budget, then the browser suite on those bundles twice side by
## side (today, and two years on)
test: build-tools chromium java postgres
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo test --workspace --locked
	@# The server the browser suite runs is the binary `cargo test` just built for the startup
	@# and crash tests; `make server` would build the app once more with other features.
	$(MAKE) --no-print-directory site-release SITE=$(CURDIR)/target/site-release
	bash tools/check-wasm-budget.sh $(CURDIR)/target/site-release 250000 350000
	bash tools/e2e-both.sh $(CURDIR)/target/site-release

## make wasm-budget: the release bundles (in target/site-release) against the budget: the
## visitors' bundle at most 250,000 bytes brotli, the staff bundle at most 350,000, staff-only
## islands only in the staff bundle
wasm-budget: build-tools
	$(MAKE) --no-print-directory site-release SITE=$(CURDIR)/target/site-release
	bash tools/check-wasm-budget.sh $(CURDIR)/target/site-release 250000 350000

## make e2e SPEC=tests/intervision.spec.ts: one spec file (all when SPEC is empty)
e2e: build-tools chromium java site server
	cd end2end && CI=$${CI:-} npx playwright test $(SPEC)

## make e2e-later: the same suite two years later (the clock and the content's dates 104 weeks on)
e2e-later: build-tools chromium java site server
	cd end2end && E2E_SHIFT_WEEKS=104 CI=$${CI:-} npx playwright test

## make bench: import and page-serving figures (docs/benchmarks.md)
bench: build-tools
	bash bench/run.sh

## make bench-volume: ten years of generated use, p99 of every role's pages at 50 req/s
bench-volume: build-tools
	bash bench/volume.sh

build-tools: wasm-target wasm-bindgen npm-packages brotli

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown

wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -qw "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# Debian's brotli CLI precompresses the static assets.
brotli:
	@command -v brotli >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null)

# Playwright, axe-core and binaryen's wasm-opt (for release builds) come from npm.
npm-packages:
	@if [ ! -f end2end/node_modules/.installed ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then \
		(cd end2end && npm ci --no-audit --no-fund --loglevel=error) && touch end2end/node_modules/.installed; \
	fi

# Debian's Chromium: Playwright's own browser download cannot work offline.
chromium:
	@command -v chromium >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Debian's Java runs the Nu HTML Checker (npm vnu-jar) in the end-to-end suite.
java:
	@command -v java >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 \
		|| pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
