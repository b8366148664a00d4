#!/usr/bin/env bash
# Builds pkg/ (wasm-bindgen --target web, then wasm-opt) and prints its size: the viewer's
# core (pkg/mlmd_lens_bg.wasm, the first load) and the PDF module (pkg/report-pdf/, loaded
# only when a PDF report is asked).
set -euo pipefail
cd "$(dirname "$0")/.."
# The `wasm` profile (Cargo.toml): size first, SQLite at full speed.
cargo build --quiet --lib --profile wasm --target wasm32-unknown-unknown
cargo build --quiet --lib --profile wasm --target wasm32-unknown-unknown -p mlmd-lens-report-pdf
# Build beside pkg/ and swap at the end, so a page or test using pkg/ never sees it half-built.
rm -rf pkg.tmp
opt() { node_modules/.bin/wasm-opt "$1" --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$2" -o "$2"; }
wasm-bindgen --target web --out-dir pkg.tmp target/wasm32-unknown-unknown/wasm/mlmd_lens.wasm
opt -O3 pkg.tmp/mlmd_lens_bg.wasm
wasm-bindgen --target web --out-dir pkg.tmp/report-pdf target/wasm32-unknown-unknown/wasm/mlmd_lens_report_pdf.wasm
opt -Oz pkg.tmp/report-pdf/mlmd_lens_report_pdf_bg.wasm
rm -rf pkg.old
[ -d pkg ] && mv pkg pkg.old
mv pkg.tmp pkg
rm -rf pkg.old
size() {
  local raw gz
  raw=$(stat -c %s "$1")
  gz=$(gzip -9 -c "$1" | wc -c)
  awk -v f="$1" -v r="$raw" -v g="$gz" 'BEGIN { printf "%s: %d bytes raw (%.2f MB), %d bytes gzipped (%.2f MB)\n", f, r, r/1048576, g, g/1048576 }'
}
size pkg/mlmd_lens_bg.wasm
size pkg/report-pdf/mlmd_lens_report_pdf_bg.wasm
node scripts/bundle.mjs
