#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/fuzz_targets) under libFuzzer for SECONDS (default 60)
# and prints the runs each made. Installs cargo-fuzz from crates.io when missing. Uses the
# nightly toolchain when there is one, else the stable one with RUSTC_BOOTSTRAP=1 (the
# fuzzers need unstable compiler flags; this is for fuzzing only, never for the product).
# Crashing inputs are kept in fuzz/artifacts/TARGET/, the corpus in fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=${FUZZ_TARGETS:-"open_bytes mutated_store query"}
export MLMD_FIXTURES=${MLMD_FIXTURES:-$(scripts/fixtures-dir.sh)}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
printf '| target | seconds | runs |\n|---|---|---|\n' > target/fuzz-summary.md 2>/dev/null || { mkdir -p target; printf '| target | seconds | runs |\n|---|---|---|\n' > target/fuzz-summary.md; }
for t in $targets; do
  mkdir -p "fuzz/corpus/$t"
  log=$(mktemp)
  cargo "${toolchain[@]}" fuzz run --features libfuzzer "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 2>&1 | tee "$log" | grep -E "^(Done|==|SUMMARY|thread)" || true
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -1)
  if grep -qE 'panicked|ERROR: libFuzzer|SUMMARY: AddressSanitizer' "$log"; then
    echo "fuzz: $t found a crash (see fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  printf '| %s | %s | %s |\n' "$t" "$seconds" "${runs:-?}" >> target/fuzz-summary.md
  rm -f "$log"
done
cat target/fuzz-summary.md
