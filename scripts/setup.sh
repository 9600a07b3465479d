#!/usr/bin/env bash
# Installs what building (and, with --test, testing) the portal needs, skipping what is there.
# Safe to run again. Needs only rustup on a fresh machine; uses apt-get for system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
SCHEMATHESIS_VERSION=4.32.5
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

export PATH="$HOME/.cargo/bin:$PATH"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 20 minutes once)"
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# wasm-opt for release builds comes from npm's binaryen (Debian's is too old and breaks hydration);
# axe-core (the browser tests' accessibility checks) from npm too.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  say "installing binaryen (wasm-opt) and axe-core from npm"; npm ci --no-audit --no-fund --silent
fi
if [ "$want_test" = 1 ]; then
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || { say "installing chromium"; apt_install chromium chromium-driver; }
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { say "installing postgresql"; apt_install postgresql; }
  # Schemathesis checks the JSON API against its OpenAPI document (tests/api_conformance.rs).
  if [ ! -x target/schemathesis/bin/st ]; then
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv target/schemathesis 2>/dev/null || { apt_install python3-venv; rm -rf target/schemathesis; python3 -m venv target/schemathesis; }
    say "installing schemathesis $SCHEMATHESIS_VERSION"
    target/schemathesis/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi
exit 0
