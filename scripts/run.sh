#!/usr/bin/env bash
# Builds the portal in release mode and serves it with an SQLite database and the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release
export PORTAL_DEMO="${PORTAL_DEMO:-1}" LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# Part of the build: brotli and gzip copies of the /pkg assets (served under hashed names).
target/release/server precompress >/dev/null
exec target/release/server
