"""Shared fixtures of the Python API tests: where the MLMD fixtures are, the oracles the
answers are checked against (the core's native CLI and its wasm build in Node), and a
guard that no test writes to the fixtures."""

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def fixtures_dir() -> Path:
    for d in (os.environ.get("MLMD_FIXTURES"), ROOT.parent / "shared" / "fixtures", "/work/shared/fixtures"):
        if d and (Path(d) / "mlmd_tfx.sqlite").is_file():
            return Path(d)
    raise RuntimeError("fixtures not found: set MLMD_FIXTURES to the folder holding mlmd_tfx.sqlite")


FIXTURES = fixtures_dir()
GOOD = [
    "cmf_small.sqlite",
    "mlmd_tfx.sqlite",
    "mlmd_tfx_v8.sqlite",
    "mlmd_tfx_v6.sqlite",
    "mlmd_empty.sqlite",
    "tfx_pipeline.sqlite",
]
#: bad fixture -> (error kind, phrase the message must contain)
BAD = {
    "zero_bytes.sqlite": ("empty", "the file is empty"),
    "not_sqlite.bin": ("not-sqlite", "not an SQLite database"),
    "truncated.sqlite": ("truncated", "truncated"),
    "plain_sqlite.sqlite": ("not-mlmd", "SQLite file but no MLMD tables"),
}


#: Files of the fixtures folder that are not stores (docs, the generator, CMF's own export).
NOT_STORES = {".md", ".py", ".json"}

#: The core's native CLI (scripts/notebook-test.sh builds it, as make test-node does).
CLI = Path(os.environ.get("MLMD_LENS_CLI") or ROOT / "target" / "debug" / "mlmd-lens")


class CliError(Exception):
    """The CLI exited non-zero; ``str()`` is its message without the ``mlmd-lens: `` prefix."""


def cli(*args: str, parse: bool = True, cwd: Path = FIXTURES):
    """Runs the CLI in the fixtures folder (so that its messages name the file as
    ``Store(path)`` does: by its file name) and returns its JSON (or text)."""
    if not CLI.is_file():
        raise RuntimeError(f"{CLI} is missing: run cargo build --bin mlmd-lens")
    run = subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        raise CliError(run.stderr.strip().removeprefix("mlmd-lens: "))
    return json.loads(run.stdout) if parse else run.stdout


def wasm(name: str) -> dict:
    """What the wasm build (pkg/, in Node) says about a fixture: ``{"error": {kind,
    message}}`` or ``{"summary": …}`` (tests/notebook/wasm-oracle.mjs)."""
    script = Path(__file__).with_name("wasm-oracle.mjs")
    out = subprocess.run(
        ["node", str(script), str(FIXTURES / name)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _digest() -> dict:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(FIXTURES.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def fixtures_untouched():
    """Fails the run if any fixture file changed (content or mtime)."""
    before = _digest()
    yield
    assert _digest() == before, "a test wrote to the shared fixtures"
