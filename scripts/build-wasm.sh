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
opt() { node_modules/.bin/wasm-opt "$1" --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$2" -o "$2"; }
# A module whose cargo output is older than its pkg/ copy is taken as it is (wasm-opt of
# the PDF module alone takes a minute).
core=target/wasm32-unknown-unknown/wasm/mlmd_lens.wasm
pdf=target/wasm32-unknown-unknown/wasm/mlmd_lens_report_pdf.wasm
mkdir -p pkg.tmp
if [ -f pkg/mlmd_lens_bg.wasm ] && [ pkg/mlmd_lens_bg.wasm -nt "$core" ]; then
  find pkg -maxdepth 1 -type f -exec cp -p {} pkg.tmp/ \;
else
  wasm-bindgen --target web --out-dir pkg.tmp "$core"
  opt -O3 pkg.tmp/mlmd_lens_bg.wasm
fi
if [ -f pkg/report-pdf/mlmd_lens_report_pdf_bg.wasm ] && [ pkg/report-pdf/mlmd_lens_report_pdf_bg.wasm -nt "$pdf" ]; then
  cp -rp pkg/report-pdf pkg.tmp/
else
  wasm-bindgen --target web --out-dir pkg.tmp/report-pdf "$pdf"
  opt -Oz pkg.tmp/report-pdf/mlmd_lens_report_pdf_bg.wasm
fi
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
