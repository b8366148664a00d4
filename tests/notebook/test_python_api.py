"""The notebook API of the installed wheel: mlmd_lens.show() bundles, the plain-text
summary (the core's, checked against the CLI), refusals of bad files, the size limit and
filtered copies, and the Viewer widget's traits."""

import base64
import gzip
import json
import sqlite3
import sys
from pathlib import Path

import pytest

import mlmd_lens
from conftest import BAD, FIXTURES, GOOD, cli

MIME = "application/vnd.mlmd-lens.v1+json"


def payload_bytes(payload: dict) -> bytes:
    assert payload["encoding"] == "gzip+base64"
    return gzip.decompress(base64.b64decode(payload["data"]))


def test_installed_from_the_wheel_with_its_labextension():
    assert "site-packages" in Path(mlmd_lens.__file__).parts, "tests run against the installed wheel"
    ext = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "mlmd-lens"
    meta = json.loads((ext / "package.json").read_text())
    assert meta["jupyterlab"]["_build"]["mimeExtension"]
    assert (ext / meta["jupyterlab"]["_build"]["load"]).is_file()
    assert (ext / "install.json").is_file()


@pytest.mark.parametrize("name", GOOD)
def test_bundle_carries_the_exact_file(name):
    path = FIXTURES / name
    bundle = mlmd_lens.show(path, query="pipeline:mnist", height="500px")._repr_mimebundle_()
    assert set(bundle) == {MIME, "text/plain", "text/html"}
    payload = bundle[MIME]
    json.dumps(payload)  # a JSON MIME type must hold plain JSON
    assert payload["version"] == 1
    assert payload["fileName"] == name
    assert payload["state"] == {"query": "pipeline:mnist"}
    assert payload["height"] == "500px"
    assert payload["subset"] is None
    assert payload["byteLength"] == path.stat().st_size
    assert payload_bytes(payload) == path.read_bytes()


@pytest.mark.parametrize("name", GOOD)
def test_plain_text_and_payload_summary_are_the_cores(name):
    path = FIXTURES / name
    shown = mlmd_lens.show(path)
    want = cli("summary", name, "--json")
    assert shown.summary == want
    assert shown._repr_mimebundle_()[MIME]["summary"] == want
    text = shown._repr_mimebundle_()["text/plain"]
    assert (
        f"{want['executions']} executions, {want['artifacts']} artifacts, "
        f"{want['contexts']} contexts, {want['events']} events"
    ) in text
    assert f"pipelines: {', '.join(want['pipelines']) or '(none recorded)'}" in text
    assert repr(shown) == text


def test_cmf_small_summary_is_what_the_fixture_readme_says():
    s = mlmd_lens.show(FIXTURES / "cmf_small.sqlite").summary
    assert (s["executions"], s["artifacts"], s["contexts"], s["events"]) == (20, 38, 10, 85)
    assert s["pipelines"] == ["fraud-detection", "mnist"]
    assert s["schemaVersion"] == 10


def test_bytes_input_and_name():
    data = (FIXTURES / "cmf_small.sqlite").read_bytes()
    shown = mlmd_lens.show(data)
    assert shown.file_name == "mlmd"
    shown = mlmd_lens.show(data, name="store.mlmd", state={"sort": "-started", "tab": "timeline"})
    payload = shown._repr_mimebundle_()[MIME]
    assert payload["fileName"] == "store.mlmd"
    assert payload["state"] == {"sort": "-started", "tab": "timeline"}
    assert "height" not in payload
    assert payload_bytes(payload) == data


def test_show_carries_alert_rules_and_the_viewer_takes_them():
    rules = {"failed": True, "rules": [{"name": "many epochs", "query": "property:epochs>=2"}]}
    payload = mlmd_lens.show(FIXTURES / "cmf_small.sqlite", alerts=rules, state={"tab": "timeline"})._repr_mimebundle_()[MIME]
    assert payload["state"] == {"tab": "timeline", "alerts": rules}
    viewer = mlmd_lens.Viewer(FIXTURES / "cmf_small.sqlite", alerts=rules)
    assert viewer.alerts == rules
    assert mlmd_lens.Viewer(FIXTURES / "cmf_small.sqlite").alerts is None


def test_html_fallback_says_what_to_install_and_escapes_the_name():
    data = (FIXTURES / "cmf_small.sqlite").read_bytes()
    html = mlmd_lens.show(data, name="<img src=x onerror=alert(1)>")._repr_mimebundle_()["text/html"]
    assert "pip install mlmd-lens" in html
    assert "VS Code" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_refused_with_the_core_message(name):
    kind, phrase = BAD[name]
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.show(FIXTURES / name)
    assert err.value.kind == kind
    assert str(err.value).startswith(f"{name}: ")
    assert phrase in str(err.value)
    message = str(err.value)  # the same as the CLI's and the wasm's (test_store.py)
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.show((FIXTURES / name).read_bytes(), name=name)
    assert (err.value.kind, str(err.value)) == (kind, message)
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.Viewer(FIXTURES / name)
    assert (err.value.kind, str(err.value)) == (kind, message)


def test_not_mlmd_lists_the_tables_found():
    with pytest.raises(mlmd_lens.MlmdError, match=r"SQLite file but no MLMD tables \(missing: .*; found: songs\)"):
        mlmd_lens.show(FIXTURES / "plain_sqlite.sqlite")


def test_missing_path_and_wrong_type():
    with pytest.raises(mlmd_lens.MlmdError, match="cannot read") as err:
        mlmd_lens.show(FIXTURES / "no-such-file.sqlite")
    assert err.value.kind == "io"
    with pytest.raises(mlmd_lens.MlmdError, match="expected a path or the bytes"):
        mlmd_lens.show(42)


def test_size_limit_has_a_clear_message_with_the_ways_out():
    path = FIXTURES / "cmf_small.sqlite"
    with pytest.raises(mlmd_lens.StoreTooLarge) as err:
        mlmd_lens.show(path, max_bytes=10_000)
    msg = str(err.value)
    assert err.value.kind == "too-large"
    assert msg.startswith("cmf_small.sqlite: ")
    assert "over the 9.8 KB limit for a notebook output" in msg
    assert "pipeline='NAME'" in msg and "'fraud-detection', 'mnist'" in msg
    assert "executions=[ids]" in msg and "mlmd_lens.Viewer(path)" in msg and "max_bytes=" in msg
    # The limit it suggests is enough.
    suggested = int(msg.rsplit("max_bytes=", 1)[1].rstrip("."))
    assert mlmd_lens.show(path, max_bytes=suggested).data == path.read_bytes()
    assert mlmd_lens.DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_pipeline_subset_is_a_smaller_mlmd_store_of_that_pipeline():
    path = FIXTURES / "cmf_small.sqlite"
    full = mlmd_lens.show(path)
    with pytest.raises(mlmd_lens.StoreTooLarge):
        mlmd_lens.show(path, max_bytes=len(gzip.compress(full.data)) - 1)
    shown = mlmd_lens.show(path, pipeline="mnist", query="stage:Train")
    payload = shown._repr_mimebundle_()[MIME]
    data = payload_bytes(payload)
    assert data == shown.data and len(data) <= len(full.data)
    assert payload["subset"] == {"pipeline": "mnist", "executions": None, "of": path.stat().st_size}
    assert shown.summary["executions"] == 12  # fixtures README: mnist has 12 executions
    assert shown.summary["pipelines"] == ["mnist"]
    assert "filtered copy: pipeline mnist" in repr(shown)
    # Same schema, and every row that is left hangs together.
    copy = sqlite3.connect(":memory:")
    copy.deserialize(data)
    orig = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert copy.execute(schema).fetchall() == orig.execute(schema).fetchall()
    kept = {r[0] for r in copy.execute("SELECT id FROM Execution")}
    mnist = {r["id"] for r in cli("executions", "cmf_small.sqlite", "--json", "--pipeline", "mnist")["rows"]}
    assert kept == mnist
    # The copy reads in the core as the same executions.
    assert mlmd_lens.Store(data).executions() == mlmd_lens.Store(path).executions(pipeline="mnist")
    assert {r[0] for r in copy.execute("SELECT execution_id FROM Event")} <= kept
    assert {r[0] for r in copy.execute("SELECT id FROM Artifact")} == {
        r[0] for r in copy.execute("SELECT artifact_id FROM Event")
    }
    assert copy.execute("SELECT count(*) FROM ExecutionProperty WHERE execution_id NOT IN (SELECT id FROM Execution)").fetchone()[0] == 0
    assert copy.execute("SELECT count(*) FROM Type").fetchone()[0] == orig.execute("SELECT count(*) FROM Type").fetchone()[0]
    # Rows kept are unchanged.
    row = "SELECT * FROM Execution ORDER BY id"
    assert copy.execute(row).fetchall() == [r for r in orig.execute(row).fetchall() if r[0] in kept]


def test_tfx_pipeline_subset_follows_parent_contexts():
    path = FIXTURES / "mlmd_tfx.sqlite"
    shown = mlmd_lens.show(path, pipeline="taxi-pipeline")
    assert shown.summary["executions"] == cli("summary", "mlmd_tfx.sqlite", "--json")["executions"]
    real = mlmd_lens.show(FIXTURES / "tfx_pipeline.sqlite", pipeline="penguin-import")
    want = cli("executions", "tfx_pipeline.sqlite", "--json", "--pipeline", "penguin-import")
    assert real.summary["executions"] == want["total"] > 0
    assert real.summary["pipelines"] == ["penguin-import"]


def test_executions_subset_and_errors():
    path = FIXTURES / "cmf_small.sqlite"
    shown = mlmd_lens.show(path, executions=[3, 1, 2, 2])
    assert shown.summary["executions"] == 3
    assert shown._repr_mimebundle_()[MIME]["subset"]["executions"] == [1, 2, 3]
    both = mlmd_lens.show(path, pipeline="fraud-detection", executions=range(1, 21))
    assert both.summary["executions"] == 8
    # The core's kinds and messages (Store.subset): about the question, so without the
    # file's name (Error::for_file).
    for kwargs, kind, message in [
        ({"pipeline": "nope"}, "invalid-argument", "the filter keeps no execution"),
        ({"executions": [1, 999]}, "not-found", "no execution with id 999 in this store"),
        ({"executions": []}, "invalid-argument", "the filter keeps no execution"),
    ]:
        with pytest.raises(mlmd_lens.MlmdError) as err:
            mlmd_lens.show(path, **kwargs)
        assert (err.value.kind, str(err.value)) == (kind, message)


def test_viewer_traits():
    path = FIXTURES / "cmf_small.sqlite"
    v = mlmd_lens.Viewer(path, query="pipeline:mnist")
    assert v._bytes == path.read_bytes()
    assert v._file_name == "cmf_small.sqlite"
    assert (v.query, v.selected, v.opened, v.height) == ("pipeline:mnist", [], None, "640px")
    synced = {k for k, t in v.traits(sync=True).items()}
    assert {"query", "selected", "opened", "_bytes", "_file_name", "height", "_esm"} <= synced
    esm = v._esm
    assert "renderOutputItem" in esm and "mountPayload" in esm
    v.selected = [3, 5]
    v.query = "status:failed"
    assert "cmf_small.sqlite: 20 executions" in repr(v)
