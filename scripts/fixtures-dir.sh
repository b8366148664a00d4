#!/usr/bin/env bash
# Prints the directory of the shared MLMD fixtures: $MLMD_FIXTURES, else ../shared/fixtures
# beside the checkout, else /work/shared/fixtures. Fails loudly when none exists.
cd "$(dirname "$0")/.."
for d in "${MLMD_FIXTURES:-}" ../shared/fixtures /work/shared/fixtures; do
  if [ -n "$d" ] && [ -f "$d/mlmd_tfx.sqlite" ]; then
    (cd "$d" && pwd)
    exit 0
  fi
done
echo "fixtures not found: set MLMD_FIXTURES to the folder holding mlmd_tfx.sqlite" >&2
exit 1
