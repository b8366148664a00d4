"""README.md's "From Python" section, run as written (so it cannot drift), and the install
it starts with: the wheel in a fresh venv, offline, with no Rust toolchain on PATH."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, cli


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"README.md has no section {title!r}"
    return match.group(1)


def blocks(lang: str) -> list:
    return re.findall(rf"^```{lang}\n(.*?)^```", section("From Python"), re.S | re.M)


def test_from_python_follows_in_a_notebook():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    titles = re.findall(r"^## (.+)$", text, re.M)
    assert titles[titles.index("In a notebook") + 1] == "From Python"
    # Every code block is a Python block run below or the install line the venv test runs.
    assert len(re.findall(r"^```", section("From Python"), re.M)) == 2 * (len(blocks("python")) + len(blocks("sh")))


def test_from_python_code_runs_against_a_store_named_mlmd(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    shutil.copyfile(FIXTURES / "cmf_small.sqlite", tmp_path / "mlmd")
    monkeypatch.chdir(tmp_path)
    code = blocks("python")
    assert len(code) == 3
    scope: dict = {}
    for block in code:
        exec(compile(block, "README.md (From Python)", "exec"), scope)
    # What the lines say they give, checked against the CLI on the same file.
    want = cli("executions", "mlmd", "--json", "--pipeline", "mnist", "--status", "failed", cwd=tmp_path)
    assert scope["failed"]["id"].tolist() == [r["id"] for r in want["rows"]]
    assert list(scope["failed"].columns[:6]) == ["id", "name", "type", "pipeline", "stage", "status"]
    mnist = [r["id"] for r in cli("executions", "mlmd", "--json", "--pipeline", "mnist", cwd=tmp_path)["rows"]]
    assert scope["ids"] == sorted(mnist)
    assert scope["train"] == [3, 7, 11]
    assert scope["run"]["id"] == scope["ids"][0] and scope["run"]["pipeline"] == "mnist"
    assert isinstance(scope["inputs"], list) and scope["inputs"]
    assert scope["names"]["name"].tolist() == [p["name"] for p in scope["store"].property_names()]
    # The CmfQuery drop-in block.
    assert sorted(scope["df"]["id"].tolist()) == sorted(mnist)
    assert scope["stages"][:2] == ["mnist/Prepare", "mnist/Featurize"]
    assert scope["producer"].id == 3 and scope["producer"].type == "Train"
    assert len(scope["parents"]) > 0
    assert json.loads(scope["export"]) == json.loads((FIXTURES / "cmf_small.dumptojson.json").read_text())


def rustless_path() -> str:
    """PATH without any directory holding cargo or rustc (~/.cargo/bin, rustup's)."""
    keep = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d and not any((Path(d) / tool).exists() for tool in ("cargo", "rustc", "rustup")):
            keep.append(d)
    return os.pathsep.join(keep)


def test_wheel_installs_offline_in_a_fresh_venv_and_runs_without_rust(tmp_path):
    install = [line for block in blocks("sh") for line in block.splitlines() if "pip install" in line]
    assert install and "pip install dist/mlmd_lens-*.whl" in install[0]  # the README's install
    wheels = sorted((ROOT / "dist").glob("mlmd_lens-*.whl"))
    assert wheels, "no wheel in dist/: run make wheel"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # --no-index: offline; --no-deps: nothing but the wheel (anywidget is imported only by Viewer).
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--no-deps", str(wheels[-1])],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO", "RUSTUP", "RUST", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = rustless_path()
    assert shutil.which("cargo", path=env["PATH"]) is None and shutil.which("rustc", path=env["PATH"]) is None
    script = (
        "import json, sys, mlmd_lens, mlmd_lens._core\n"
        "assert 'anywidget' not in sys.modules\n"
        "print(json.dumps({'core': mlmd_lens._core.__file__, 'executions': mlmd_lens.Store(sys.argv[1]).summary()['executions']}))\n"
    )
    run = subprocess.run(
        [str(py), "-c", script, str(FIXTURES / "cmf_small.sqlite")],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["core"].startswith(str(venv))  # the wheel's extension, not the test venv's
    assert got["executions"] == cli("summary", "cmf_small.sqlite", "--json")["executions"] == 20
    # Nothing else came along: the fresh venv holds no anywidget, no pandas.
    listed = subprocess.run([str(py), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, env=env).stdout
    assert "mlmd-lens" in listed.lower() or "mlmd_lens" in listed.lower()
    assert "anywidget" not in listed and "pandas" not in listed
