#!/usr/bin/env bash
# `make bench`: generates 10k and 100k-execution stores with the fixtures' gen_large.py (into
# target/bench/, rebuilt when missing), then times every case of bench/cases.json natively,
# in wasm (Node) and with the peers (bench/peers.py: python sqlite3, ml-metadata, cmflib),
# and prints one table per store size, then ours against sql.js in Node (bench/sqljs.mjs);
# then the Python tables (the wheel of make wheel, installed with pandas into
# target/bench/venv/mlmd-lens by bench/peers.py's ensure_ours; or $MLMD_LENS_PYTHON):
# bench/cmfquery.py, cmflib's CmfQuery questions asked of mlmd_lens.CmfQuery, cmflib,
# ml-metadata and sqlite3; bench/pagequery.py, the filtered, sorted, paged questions of
# Store.executions against hand-written sqlite3 (cold, and with a new value). Each store
# also gets a copy with skip connections (bench/lineage-store.py) on which the lineage
# graph of a few hundred nodes is timed (`lineage_graph`).
# SIZES="10000" picks the sizes, RUNS the runs per case, NO_PEERS=1 skips peers.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=$(scripts/fixtures-dir.sh)
out=target/bench
mkdir -p "$out"
runs=${RUNS:-5}
sizes=${SIZES:-"10000 100000"}
cargo build --quiet --release --example bench
# The Python that runs mlmd-lens for bench/cmfquery.py and bench/pagequery.py.
ours_py=${MLMD_LENS_PYTHON:-}
wheel=$(ls dist/mlmd_lens-*.whl 2>/dev/null | head -1 || true)
if [ -z "$ours_py" ] && [ -n "$wheel" ] && [ "${NO_PEERS:-}" != 1 ]; then
  ours_py=$(python3 -c 'import sys; sys.path.insert(0, "bench"); import peers
py, note = peers.ensure_ours(None, sys.argv[1], sys.argv[2]); print(note, file=sys.stderr); print(py or "")' \
    "$out/venv" "$wheel")
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(date -u +%Y-%m-%d)"
for n in $sizes; do
  store="$out/l$n.sqlite"
  if [ ! -f "$store" ]; then
    echo "generating $store" >&2
    python3 "$fixtures/gen_large.py" "$store" --executions "$n" >&2
  fi
  lineage="$out/lineage-$n.sqlite"
  [ -f "$lineage" ] || python3 bench/lineage-store.py "$store" "$lineage"
  target/release/examples/bench "$store" "$runs" "$lineage" > "$out/native-$n.json"
  node bench/wasm.mjs "$store" "$runs" "$lineage" > "$out/wasm-$n.json"
  if [ -f bench/peers.py ] && [ "${NO_PEERS:-}" != 1 ]; then
    python3 bench/peers.py "$store" --runs 3 --case-timeout 60 > "$out/peers-$n.json" \
      || { echo "peers failed (see above); table without them" >&2; echo '{}' > "$out/peers-$n.json"; }
  else
    echo '{}' > "$out/peers-$n.json"
  fi
  node bench/report.mjs "$n executions ($(du -h "$store" | cut -f1))" "$out/native-$n.json" "$out/wasm-$n.json" "$out/peers-$n.json"
  node bench/sqljs.mjs "$store" 3
  if [ "${NO_PEERS:-}" != 1 ]; then
    python3 bench/cmfquery.py "$store" --runs 3 --case-timeout 60 ${ours_py:+--ours-python "$ours_py"} \
      --json "$out/cmfquery-$n.json" || echo "bench/cmfquery.py failed (see above)" >&2
    # The filtered, sorted, paged questions from Python: ours against hand-written sqlite3.
    python3 bench/pagequery.py "$store" --runs 5 ${ours_py:+--ours-python "$ours_py"} \
      --json "$out/pagequery-$n.json" || echo "bench/pagequery.py: failed or answers differ (see above)" >&2
  fi
done
largest=$(echo $sizes | tr ' ' '\n' | sort -n | tail -1)
echo
echo "### In Chromium, $largest executions (the page, file input to rows; search to rows; scroll frames)"
node bench/browser.mjs "$out/l$largest.sqlite" | tee "$out/browser-$largest.json"

# BIG=1: a 750 MB store (300k executions), opened by ours and by sql.js, each in a process
# of its own: time to first rows, whole open, peak memory.
if [ "${BIG:-}" = 1 ]; then
  big="$out/l300000.sqlite"
  [ -f "$big" ] || python3 "$fixtures/gen_large.py" "$big" --executions 300000 >&2
  echo
  echo "### A $(du -h "$big" | cut -f1) store (300k executions), Node: ours vs sql.js 1.16"
  node bench/big-open.mjs "$big" ours
  node bench/big-open.mjs "$big" sqljs
fi
