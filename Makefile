# mlmd-lens — the commands the README gives. Each installs what it is missing first.
PORT ?= 8000
FIXTURES = $(shell scripts/fixtures-dir.sh)

.PHONY: setup build serve test test-native test-node test-browser bench fmt clean

setup:
	@scripts/setup.sh

## build: pkg/ (wasm-bindgen --target web, wasm-opt -O3) and its size, raw and gzipped
build: setup
	@scripts/build-wasm.sh

## serve: build, then serve the viewer on http://127.0.0.1:$(PORT)/www/
serve: build
	@PORT=$(PORT) node scripts/static-server.mjs

## test: native tests, wasm tests in Node over the fixtures, browser tests in headless Chromium
test: build test-native test-node test-browser
	@echo "all tests passed"

test-native:
	MLMD_FIXTURES=$(FIXTURES) cargo test --quiet

test-node:
	cargo build --quiet --bin mlmd-lens
	MLMD_FIXTURES=$(FIXTURES) node --test tests/node/

test-browser:
	MLMD_FIXTURES=$(FIXTURES) node --test --test-concurrency=1 tests/browser/

## bench: generated 10k/100k stores; native vs wasm vs peers (python sqlite3, ml-metadata, cmflib)
bench: build
	@scripts/bench.sh

fmt:
	cargo fmt --all

clean:
	rm -rf pkg target/test-output
