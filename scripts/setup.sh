#!/usr/bin/env bash
# Installs what building and testing mlmd-lens needs, skipping what is already there:
# clang (SQLite's C for wasm), Debian chromium (browser tests), poppler-utils (pdftotext
# and pdftoppm: the PDF report's tests read and render it), the wasm32 Rust target,
# wasm-bindgen-cli pinned to the version in Cargo.lock, and the npm dev packages
# (binaryen's wasm-opt, playwright-core). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ "${MLMD_LENS_NO_BROWSER:-}" != 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium chromium-driver)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt)"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in clippy rustfmt; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    echo "setup: adding the $component component"
    rustup component add "$component"
  fi
done

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (was: ${have:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$want" --force --quiet
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dev packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
