#!/usr/bin/env bash
# Builds pkg/ (wasm-bindgen --target web, then wasm-opt -Oz) and prints its size.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --lib --release --target wasm32-unknown-unknown
# Build beside pkg/ and swap at the end, so a page or test using pkg/ never sees it half-built.
rm -rf pkg.tmp
wasm-bindgen --target web --out-dir pkg.tmp target/wasm32-unknown-unknown/release/mlmd_lens.wasm
node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals pkg.tmp/mlmd_lens_bg.wasm -o pkg.tmp/mlmd_lens_bg.wasm
rm -rf pkg.old
[ -d pkg ] && mv pkg pkg.old
mv pkg.tmp pkg
rm -rf pkg.old
raw=$(stat -c %s pkg/mlmd_lens_bg.wasm)
gz=$(gzip -9 -c pkg/mlmd_lens_bg.wasm | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "pkg/mlmd_lens_bg.wasm: %d bytes raw (%.2f MB), %d bytes gzipped (%.2f MB)\n", r, r/1048576, g, g/1048576 }'
node scripts/bundle.mjs
