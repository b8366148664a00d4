# mlmd-lens — the commands the README gives. Each installs what it is missing first.
PORT ?= 8000
FIXTURES = $(shell scripts/fixtures-dir.sh)

.PHONY: setup build serve test lint test-native test-fuzz test-node test-browser bench fuzz fmt clean

setup:
	@scripts/setup.sh

## build: pkg/ (wasm-bindgen --target web, wasm-opt -O3) and its size, raw and gzipped
build: setup
	@scripts/build-wasm.sh

## serve: build, then serve the viewer on http://127.0.0.1:$(PORT)/www/
serve: build
	@PORT=$(PORT) node scripts/static-server.mjs

## test: native tests, wasm tests in Node over the fixtures, browser tests in headless Chromium,
## notebook tests (Python API, JupyterLab, VS Code renderer)
test: build lint test-types test-native test-fuzz test-node test-browser test-notebook
	@echo "all tests passed"

## lint: rustfmt, and clippy with warnings as errors, natively and for wasm32
lint:
	cargo fmt --all --check
	cargo clippy --quiet --workspace --all-targets -- -D warnings
	cargo clippy --quiet --workspace --lib --target wasm32-unknown-unknown -- -D warnings

## test-types: tsc (tsconfig.json) checks js/ and www/main.js against pkg/'s generated types
.PHONY: test-types
test-types: setup
	npx --no-install tsc -p tsconfig.json

test-native:
	MLMD_FIXTURES=$(FIXTURES) cargo test --quiet

## test-fuzz: a few seconds of each fuzz target's body on generated inputs (fuzz/tests/smoke.rs)
test-fuzz:
	MLMD_FIXTURES=$(FIXTURES) cargo test --quiet --manifest-path fuzz/Cargo.toml

## fuzz: libFuzzer on each target for FUZZ_SECONDS (default 60) each; see docs/robustness.md
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

test-node:
	cargo build --quiet --bin mlmd-lens
	MLMD_FIXTURES=$(FIXTURES) node --test tests/node/

test-browser:
	MLMD_FIXTURES=$(FIXTURES) node --test --test-concurrency=1 tests/browser/

## bench: generated 10k/100k stores; native vs wasm vs peers (python sqlite3, ml-metadata, cmflib),
## and the Python table: mlmd_lens.CmfQuery (the wheel) vs cmflib, ml-metadata and sqlite3
bench: build wheel
	@scripts/bench.sh

fmt:
	cargo fmt --all

clean:
	rm -rf pkg target/test-output

# --- Notebook: the Python package (python/), the VS Code extension (vscode/), their tests ---
.PHONY: wheel vsix test-notebook

## wheel: dist/mlmd_lens-VERSION-cp39-abi3-PLATFORM.whl (maturin: mlmd_lens.Store over the Rust core,
## show / Viewer, the JupyterLab extension)
wheel: build
	@scripts/notebook-build.sh wheel

## vsix: dist/mlmd-lens-VERSION.vsix (VS Code notebook renderer + read-only MLMD editor)
vsix: build
	@scripts/notebook-build.sh vsix

## test-notebook: pytest of the Python API; a real JupyterLab (saved output with no kernel,
## document viewer, live widget) and the VS Code renderer/editor in headless Chromium
test-notebook: wheel vsix
	@scripts/notebook-test.sh
