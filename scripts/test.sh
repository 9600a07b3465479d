#!/usr/bin/env bash
# Runs every test: unit tests, integration tests on SQLite and PostgreSQL, browser tests in
# headless Chromium. Installs what is missing and starts a throwaway PostgreSQL server unless
# PORTAL_TEST_PG already names one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The browser tests need the built site (wasm, js, css) in target/site.
cargo leptos build

if [ -z "${PORTAL_TEST_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
  port=$(( 55000 + RANDOM % 1000 ))
  trap 'scripts/pg.sh stop "$pgdir" || true; rm -rf "$pgdir"' EXIT
  PORTAL_TEST_PG=$(scripts/pg.sh start "$pgdir" "$port")
  export PORTAL_TEST_PG
fi
# Missing PostgreSQL or browser makes the tests fail instead of skipping silently.
export PORTAL_REQUIRE_PG=1 PORTAL_REQUIRE_BROWSER=1 PORTAL_REQUIRE_SCHEMATHESIS=1
export PORTAL_SCHEMATHESIS="$PWD/target/schemathesis/bin/st"
export PORTAL_SITE_ROOT="$PWD/target/site"
cargo test --workspace "$@"
