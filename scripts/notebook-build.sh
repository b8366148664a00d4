#!/usr/bin/env bash
# Builds the notebook artefacts into dist/ (pkg/ must be built: make build):
#   notebook-build.sh wheel   dist/mlmd_lens-VERSION-cp39-abi3-PLATFORM.whl (maturin: the
#                             Python package with the Rust core as the extension module
#                             mlmd_lens._core, the viewer bundle and the JupyterLab
#                             prebuilt extension)
#   notebook-build.sh vsix    dist/mlmd-lens-VERSION.vsix (the VS Code extension)
# Both start from python/js/build.mjs, which bundles the one front-end module
# (python/js/src/viewer.js + js/ + pkg/ + CSS) and copies it to python/ and vscode/.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: notebook-build.sh wheel|vsix}

scripts/notebook-setup.sh
if [ ! -f pkg/mlmd_lens_bg.wasm ]; then
  echo "notebook-build: pkg/ is missing: run make build first" >&2
  exit 1
fi
venv=$PWD/target/notebook-venv
# Runs a chatty build step quietly; prints its output only when it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "notebook-build: failed: $*" >&2
    exit 1
  fi
}
(cd python/js && node build.mjs)
mkdir -p dist

case "$what" in
  wheel)
    # The JupyterLab extension (rspack via @jupyter/builder; jupyter-builder comes with JupyterLab).
    (cd python/js && PATH="$venv/bin:$PATH" quiet jupyter-builder build .)
    # The wheel's data directory ([tool.maturin] data in python/pyproject.toml): what pip
    # installs under the environment's prefix, share/jupyter/labextensions/mlmd-lens/.
    data=python/target/wheel-data/data/share/jupyter/labextensions/mlmd-lens
    rm -rf python/target/wheel-data
    mkdir -p "$data"
    cp -R python/src/mlmd_lens/labextension/. "$data/"
    cp python/install.json "$data/"
    rm -f dist/mlmd_lens-*.whl
    # The extension module builds in python/target (its own workspace and lock file, not
    # --locked: a dependency the core gains is added to python/Cargo.lock; commit it); one
    # abi3 wheel serves CPython >= 3.9. The manylinux tag is this machine's glibc, checked
    # by maturin's own auditwheel (no download).
    (cd python && quiet "$venv/bin/maturin" build --release -i "$venv/bin/python" -o ../dist)
    ls -l dist/mlmd_lens-*.whl | awk '{ printf "%s: %.2f MB\n", $NF, $5 / 1048576 }'
    ;;
  vsix)
    version=$(node -p "require('./vscode/package.json').version")
    rm -f dist/mlmd-lens-*.vsix
    (cd vscode && quiet npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository \
      -o "../dist/mlmd-lens-$version.vsix")
    ls -l dist/mlmd-lens-*.vsix | awk '{ printf "%s: %.2f MB\n", $NF, $5 / 1048576 }'
    ;;
  *)
    echo "notebook-build: unknown target $what (wheel or vsix)" >&2
    exit 2
    ;;
esac
