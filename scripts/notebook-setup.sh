#!/usr/bin/env bash
# Installs what the notebook package (python/), the VS Code extension (vscode/) and their
# tests (tests/notebook/) need, skipping what is already there:
#  - target/notebook-venv: a Python venv with tests/notebook/requirements.txt (JupyterLab,
#    which brings jupyter-builder; anywidget; maturin, which builds the wheel with the
#    Rust core as a PyO3 extension; pytest);
#  - the npm packages of python/js (esbuild, @jupyter/builder) and vscode (@vscode/vsce).
# Playwright and Chromium come from scripts/setup.sh (make setup). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/notebook-venv
req=tests/notebook/requirements.txt
if [ ! -x "$venv/bin/python" ] || [ "$req" -nt "$venv/.installed" ]; then
  echo "notebook-setup: Python venv $venv (JupyterLab, anywidget, pytest; about 30 s)"
  if ! python3 -m venv "$venv"; then
    echo "notebook-setup: python3 -m venv failed; on Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 1
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  touch "$venv/.installed"
fi

for dir in python/js vscode; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "notebook-setup: npm packages of $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
