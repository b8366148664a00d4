#!/usr/bin/env bash
# The notebook tests (make test-notebook, after make wheel vsix): installs the built wheel
# into target/notebook-venv, then runs
#   pytest tests/notebook            the Python API of the installed wheel, checked against
#                                    the core's native CLI (target/debug/mlmd-lens, built
#                                    here as for make test-node) and its wasm (pkg/)
#   node --test tests/notebook/      JupyterLab (a real server, headless Chromium): a saved
#                                    show() output with no kernel, the document viewer, the
#                                    live widget with a kernel; the VS Code renderer, editor
#                                    and .vsix
# Screenshots go to test-output/screenshots/notebook-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/notebook-venv
fixtures=$(scripts/fixtures-dir.sh)
wheel=$(ls dist/mlmd_lens-*.whl 2>/dev/null | head -1)
if [ -z "$wheel" ]; then
  echo "notebook-test: no wheel in dist/: run make wheel" >&2
  exit 1
fi
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
cargo build --quiet --bin mlmd-lens
MLMD_FIXTURES=$fixtures "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/notebook
MLMD_FIXTURES=$fixtures node --test --test-concurrency=1 tests/notebook/*.test.mjs
