"""Shared fixtures of the Python API tests: where the MLMD fixtures are, and a guard
that no test writes to them."""

import hashlib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def fixtures_dir() -> Path:
    for d in (os.environ.get("MLMD_FIXTURES"), ROOT.parent / "shared" / "fixtures", "/work/shared/fixtures"):
        if d and (Path(d) / "mlmd_tfx.sqlite").is_file():
            return Path(d)
    raise RuntimeError("fixtures not found: set MLMD_FIXTURES to the folder holding mlmd_tfx.sqlite")


FIXTURES = fixtures_dir()
GOOD = ["cmf_small.sqlite", "mlmd_tfx.sqlite", "mlmd_tfx_v8.sqlite", "mlmd_tfx_v6.sqlite", "mlmd_empty.sqlite"]
#: bad fixture -> (error kind, phrase the message must contain)
BAD = {
    "zero_bytes.sqlite": ("empty", "the file is empty"),
    "not_sqlite.bin": ("not-sqlite", "not an SQLite database"),
    "truncated.sqlite": ("truncated", "truncated"),
    "plain_sqlite.sqlite": ("not-mlmd", "SQLite file but no MLMD tables"),
}


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
