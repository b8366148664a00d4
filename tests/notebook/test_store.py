"""mlmd_lens.Store (the PyO3 extension of the core) against the core's own hosts: on every
fixture its answers equal the native CLI's JSON (summary, executions pages, details,
stats, compare, lineage, properties, exports) and the wasm build's summary; each bad file
raises MlmdError with the kind of the wasm build and the message of both. Also: threads,
subsets, read-only sources, the docstring examples."""

import datetime as dt
import doctest
import json
import os
import subprocess

import pytest

import mlmd_lens
import mlmd_lens._api
import mlmd_lens._errors
from conftest import BAD, FIXTURES, GOOD, NOT_STORES, CliError, cli, wasm


@pytest.fixture(scope="module", params=GOOD)
def opened(request):
    """(fixture name, Store opened from its path, every execution id in id order)."""
    name = request.param
    store = mlmd_lens.Store(FIXTURES / name)
    return name, store, [r["id"] for r in cli("executions", name, "--json")["rows"]]


def test_every_fixture_is_checked():
    """A fixture added to the shared folder is either a store that opens or a bad file
    with a known kind: none is left out of the comparisons."""
    files = {p.name for p in FIXTURES.iterdir() if p.is_file() and p.suffix not in NOT_STORES}
    assert files == set(GOOD) | set(BAD)


def test_summary_equals_the_cli_and_the_wasm(opened):
    name, store, _ = opened
    got = store.summary()
    assert got == cli("summary", name, "--json")
    assert got == wasm(name)["summary"]
    assert store.schema_version == got["schemaVersion"]
    assert store.warnings == got["warnings"]
    assert mlmd_lens.Store((FIXTURES / name).read_bytes(), name=name).summary() == got


def test_executions_pages_equal_the_cli(opened):
    name, store, ids = opened
    assert store.executions() == cli("executions", name, "--json")
    assert len(ids) == store.summary()["executions"]
    page = store.executions(sort="-started", offset=2, limit=5)
    assert page == cli("executions", name, "--json", "--sort", "-started", "--offset", "2", "--limit", "5")
    assert page["offset"] == 2 and len(page["rows"]) <= 5
    for status in ("completed", "failed", "cached"):
        assert store.executions(status=status, sort="duration") == cli(
            "executions", name, "--json", "--status", status, "--sort", "duration"
        )
    assert store.execution_ids(sort="-started") == [
        r["id"] for r in cli("executions", name, "--json", "--sort", "-started")["rows"]
    ]


def test_filters_equal_the_cli(opened):
    name, store, _ = opened
    s = store.summary()
    for p in s["pipelines"]:
        assert store.executions(pipeline=p) == cli("executions", name, "--json", "--pipeline", p)
        assert store.executions(f"pipeline:{p} AND NOT status:failed") == cli(
            "executions", name, "--json", "-q", f"pipeline:{p} AND NOT status:failed"
        )
    for stage in s["stages"][:3]:
        assert store.executions(stage=stage) == cli("executions", name, "--json", "--stage", stage)
    for t in s["executionTypes"][:3]:
        assert store.executions(type=t, sort="-id") == cli(
            "executions", name, "--json", "--type", t, "--sort", "-id"
        )
    if s["firstStarted"]:
        day = s["firstStarted"][:10]
        want = cli("executions", name, "--json", "--from", day, "--to", day)
        assert store.executions(from_=day, to=day) == want
        assert store.executions(from_=dt.date.fromisoformat(day), to=dt.date.fromisoformat(day)) == want


def test_every_execution_equals_the_cli(opened):
    name, store, ids = opened
    exported = cli("export", name, "--format", "json")["executions"]
    assert [e["id"] for e in exported] == ids
    for details in exported:
        assert store.execution(details["id"]) == details
    if ids:
        assert store.execution(ids[-1]) == cli("show", name, str(ids[-1]))


def test_details_views_equal_the_cli(opened):
    name, store, ids = opened
    assert store.stats() == cli("stats", name)
    assert store.property_names() == cli("properties", name)
    if len(ids) >= 2:
        pick = [str(i) for i in ids[:2]]
        assert store.compare(ids[:2]) == cli("compare", name, *pick)
        assert store.compare(ids[:2], baseline=ids[1]) == cli("compare", name, *pick, "--baseline", pick[1])
    assert store.metric_scatter() == cli("scatter", name)
    for i in ids[:3]:
        assert store.lineage_graph(i) == cli("lineage", name, str(i))
        assert store.lineage_graph(f"e{i}", depth=1) == cli("lineage", name, f"e{i}", "--depth", "1")
        assert store.lineage(i, depth=1)["nodes"][0]["key"] == f"e{i}"


def test_compare_charts_equal_the_cli(tmp_path):
    """compare_chart gives the SVG `mlmd-lens compare --chart` writes (issue 13)."""
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    for kind in ("metrics", "duration", "parallel"):
        out = tmp_path / f"{kind}.svg"
        cli("compare", "cmf_small.sqlite", "4", "8", "12", "--baseline", "8", "--kind", kind, "--chart", str(out), parse=False)
        assert store.compare_chart([4, 8, 12], kind, baseline=8) == out.read_text()
    best = [r["best"] for r in store.compare([4, 8, 12], baseline=8)["groups"][1]["rows"]]
    assert best == [[1], [1], [1]]
    with pytest.raises(mlmd_lens.MlmdError) as e:
        store.compare_chart([4, 8], "pie")
    assert e.value.kind == "invalid-argument"


def test_exports_equal_the_cli(opened):
    name, store, _ = opened
    assert store.export("csv").rstrip("\n") == cli("export", name, parse=False).rstrip("\n")
    assert store.export("csv", sort="-started").rstrip("\n") == cli(
        "export", name, "--sort", "-started", parse=False
    ).rstrip("\n")
    assert json.loads(store.export("json")) == cli("export", name, "--format", "json")


def test_export_options_and_reports_equal_the_cli(tmp_path):
    path = FIXTURES / "cmf_small.sqlite"
    store = mlmd_lens.Store(path)
    # ids, columns, properties and the BOM: the same bytes as the CLI's.
    csv = store.export("csv", ids=[4, 8, 12], bom=True)
    assert csv.startswith("\ufeffid,name,")
    assert csv.rstrip("\n") == cli("export", "cmf_small.sqlite", "--ids", "4,8,12", "--bom", parse=False).rstrip("\n")
    lines = store.export("csv", ids=[4, 8], columns=["id", "status"], properties=[]).splitlines()
    assert lines[0] == "id,name,status,started,ended,duration_ms"
    assert [int(l.split(",")[0]) for l in lines[1:]] == [4, 8]
    # The HTML report is the CLI's but for the moment it was made.
    html = store.export("html", ids=[4, 8, 12])
    assert "MLMD report — cmf_small.sqlite" in html and "The 3 chosen executions." in html
    assert "<script" not in html
    # The PDF report: bytes, whose text pdftotext reads back.
    pdf = store.export("pdf", ids=[4, 8, 12])
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert "MLMD report — cmf_small.sqlite" in text and "Executions (3)" in text
    with pytest.raises(mlmd_lens.MlmdError) as err:
        store.export("pdf", ids=[999])
    assert err.value.kind == "not-found"
    with pytest.raises(mlmd_lens.MlmdError) as err:
        store.export("docx")
    assert err.value.kind == "invalid-argument"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_raise_the_kind_and_message_of_the_core(name):
    kind, _ = BAD[name]
    with pytest.raises(CliError) as cli_err:
        cli("summary", name, "--json")
    from_wasm = wasm(name)["error"]
    assert from_wasm == {"kind": kind, "message": str(cli_err.value)}
    for source in (FIXTURES / name, str(FIXTURES / name), (FIXTURES / name).read_bytes()):
        with pytest.raises(mlmd_lens.MlmdError) as err:
            mlmd_lens.Store(source, name=name)
        assert (err.value.kind, str(err.value)) == (from_wasm["kind"], from_wasm["message"])
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.Store(FIXTURES / name)  # the name defaults to the file's
    assert str(err.value) == from_wasm["message"]


def test_a_missing_file_is_an_io_error_as_the_cli_says():
    with pytest.raises(CliError) as cli_err:
        cli("summary", "no-such-file.sqlite")
    cwd = os.getcwd()
    os.chdir(FIXTURES)
    try:
        with pytest.raises(mlmd_lens.MlmdError) as err:
            mlmd_lens.Store("no-such-file.sqlite")
    finally:
        os.chdir(cwd)
    assert (err.value.kind, str(err.value)) == ("io", str(cli_err.value))


def test_a_wal_mode_file_gets_the_cores_answer(tmp_path):
    """Python used to accept WAL-mode files that the core refused (issue 9): now it says
    what the core says, whatever that is."""
    import sqlite3

    wal = tmp_path / "wal.sqlite"
    wal.write_bytes((FIXTURES / "cmf_small.sqlite").read_bytes())
    conn = sqlite3.connect(wal)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    conn.close()
    assert wal.read_bytes()[18:20] == b"\x02\x02"
    try:
        want = cli("summary", "wal.sqlite", "--json", cwd=tmp_path)
    except CliError as e:
        with pytest.raises(mlmd_lens.MlmdError) as err:
            mlmd_lens.Store(wal)
        assert str(err.value) == str(e)
        with pytest.raises(mlmd_lens.MlmdError) as err:
            mlmd_lens.show(wal)
        assert str(err.value) == str(e)
    else:
        assert mlmd_lens.Store(wal).summary() == want
        # show() carries the bytes, as the browser gets them: the same answers, and the
        # core's note that a -wal file beside the original would not be included.
        shown = mlmd_lens.show(wal).summary
        assert {k: v for k, v in shown.items() if k != "warnings"} == {
            k: v for k, v in want.items() if k != "warnings"
        }
        assert any("WAL mode" in w for w in shown["warnings"]), shown["warnings"]


def test_wrong_questions_raise_with_kinds():
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    cases = [
        ("not-found", lambda: store.execution(99999)),
        ("query", lambda: store.executions("pipeline:(")),
        ("invalid-argument", lambda: store.executions(status="bogus")),
        ("invalid-argument", lambda: store.executions(sort="nope")),
        ("invalid-argument", lambda: store.executions(from_="last tuesday")),
        ("invalid-argument", lambda: store.compare([1])),
        ("not-found", lambda: store.compare([1, 99999])),
        ("invalid-argument", lambda: store.export("xml")),
        ("invalid-argument", lambda: store.artifacts_for_execution(1, "SIDEWAYS")),
        ("invalid-argument", lambda: store.executions(alerts={"failed": True, "nope": 1})),
    ]
    for kind, call in cases:
        with pytest.raises(mlmd_lens.MlmdError) as err:
            call()
        assert err.value.kind == kind, (kind, str(err.value))
    with pytest.raises(CliError) as cli_err:
        cli("executions", "cmf_small.sqlite", "--json", "-q", "pipeline:(")
    with pytest.raises(mlmd_lens.MlmdError, match="^" + str(cli_err.value).replace("(", r"\(") + "$"):
        store.executions("pipeline:(")
    with pytest.raises(TypeError):
        store.executions(pipline="mnist")  # a typo is an error, not "any"
    with pytest.raises(mlmd_lens.MlmdError, match="expected a path or the bytes") as err:
        mlmd_lens.Store(42)
    assert err.value.kind == "invalid-argument"


def test_cmf_style_lookups():
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    mnist = store.pipeline_id("mnist")
    assert mnist is not None and store.pipeline_id("nope") is None
    in_mnist = store.executions_in_pipeline(mnist)
    assert in_mnist == sorted(r["id"] for r in cli("executions", "cmf_small.sqlite", "--json", "--pipeline", "mnist")["rows"])
    train = store.stage_id("mnist", "Train")
    assert store.executions_in_stage(train) == [
        r["id"] for r in cli("executions", "cmf_small.sqlite", "--json", "--pipeline", "mnist", "--stage", "Train")["rows"]
    ]
    assert store.stage_id("mnist", "nope") is None
    details = cli("show", "cmf_small.sqlite", str(in_mnist[0]))
    assert store.artifacts_for_execution(in_mnist[0], "INPUT") == details["inputs"]
    assert store.artifacts_for_execution(in_mnist[0], "output") == details["outputs"]


def test_alerts_flag_rows():
    store = mlmd_lens.Store(FIXTURES / "mlmd_tfx.sqlite")
    page = store.executions(alerts={"failed": True})
    flagged = [r["id"] for r in page["rows"] if r.get("alerts")]
    want = cli("executions", "mlmd_tfx.sqlite", "--json", "--alert-failed")
    assert flagged == [r["id"] for r in want["rows"] if r.get("alerts")]
    assert len(flagged) == 1


def test_naive_datetimes_are_utc():
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    first = store.summary()["firstStarted"]  # "2026-11-25T02:19:54.481Z"
    at = dt.datetime.fromisoformat(first.replace("Z", ""))
    assert store.executions(from_=at)["total"] == store.executions(from_=first)["total"]
    aware = at.replace(tzinfo=dt.timezone.utc)
    assert store.executions(to=aware)["total"] == store.executions(to=first)["total"] >= 1


def test_the_source_is_only_read(tmp_path):
    copy = tmp_path / "mlmd"
    copy.write_bytes((FIXTURES / "cmf_small.sqlite").read_bytes())
    os.chmod(copy, 0o444)
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    store = mlmd_lens.Store(copy)
    store.executions(sort="-started")
    store.export("json")
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    assert not [p for p in tmp_path.iterdir() if p.name != "mlmd"], "no journal or WAL file"


def test_one_store_answers_many_threads_at_once():
    """The core is Send + Sync and the GIL is released during each question: threads share
    one Store and get the same answers as one thread does."""
    from concurrent.futures import ThreadPoolExecutor

    store = mlmd_lens.Store(FIXTURES / "mlmd_tfx.sqlite")
    questions = [
        lambda: store.executions(sort="-started", limit=7),
        lambda: store.executions(status="completed", sort="duration"),
        lambda: store.stats(),
        lambda: store.execution(3),
        lambda: store.lineage(5),
        lambda: store.export("csv"),
    ] * 8
    alone = [q() for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: q(), questions))
    assert together == alone
    # Opened in one thread, asked in another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(store.summary).result() == store.summary()
        opened = pool.submit(mlmd_lens.Store, FIXTURES / "cmf_small.sqlite").result()
    assert opened.summary()["executions"] == 20


def test_subset_is_the_cores(tmp_path):
    store = mlmd_lens.Store(FIXTURES / "cmf_small.sqlite")
    data = store.subset(pipeline="mnist", executions=range(1, 10))
    small = mlmd_lens.Store(data, name="small")
    want = store.execution_ids(pipeline="mnist")
    assert small.execution_ids() == [i for i in want if i < 10]
    for i in small.execution_ids():
        assert small.execution(i) == store.execution(i)
    assert mlmd_lens.Store(store.subset("stage:Train")).summary()["executions"] == 5
    with pytest.raises(mlmd_lens.MlmdError) as err:
        store.subset(status="failed")  # cmf_small records no state
    assert (err.value.kind, str(err.value)) == ("invalid-argument", "the filter keeps no execution")


def test_vocabulary_is_the_cores():
    v = mlmd_lens.vocabulary()
    assert [s["label"] for s in v["statuses"]] == ["Pending", "Running", "Completed", "Failed", "Cached", "Canceled", "Unknown"]
    assert v["compare"] == {"min": 2, "max": 5}
    assert "pipeline" in v["filterKeys"]


@pytest.mark.parametrize("module", [mlmd_lens._api, mlmd_lens._errors])
def test_docstring_examples_run(module):
    cwd = os.getcwd()
    os.chdir(FIXTURES)  # the examples open the fixtures by name
    try:
        result = doctest.testmod(module, extraglobs={"mlmd_lens": mlmd_lens}, optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(cwd)
    assert result.attempted > 0 and result.failed == 0
