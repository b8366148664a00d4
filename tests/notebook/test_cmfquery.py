"""``mlmd_lens.CmfQuery`` (and the same methods on ``mlmd_lens.Store``) against cmflib's own
answers: every CmfQuery method on every fixture cmflib was asked about, compared with the
DataFrames (columns, dtypes, row order, values), lists, protos and JSON that cmflib 0.1.0
itself returned.

cmflib is not installed for this test (it pulls ml-metadata, dvc, ray, …): its answers were
generated once by ``tests/notebook/gen_cmflib_answers.py``, run in cmflib's venv on a
temporary copy of each fixture, and committed as ``tests/notebook/cmflib-answers/*.json``;
every CI run compares against them. Regenerate them when cmflib or a fixture changes.
``tests/cmfquery.rs`` checks the same answers from Rust, without pandas.

Also: bad files raise ``MlmdError`` with the core's kinds, wrong arguments raise
``invalid-argument``, the GIL is released while the core answers, and one CmfQuery answers
many threads at once.
"""

import doctest
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import mlmd_lens
import mlmd_lens._cmfquery
from conftest import BAD, FIXTURES, GOOD, cli

ANSWERS = Path(__file__).resolve().parent / "cmflib-answers"
ASKED = sorted(p.stem for p in ANSWERS.glob("*.json"))
#: Columns whose cells cmflib leaves as MLMD ``Value`` protos (dtype object); ours hold
#: the value itself (documented in mlmd_lens._cmfquery).
PROTO_COLUMNS = {"execution_type_name"}


def load(name):
    return json.loads((ANSWERS / f"{name}.json").read_text())["answers"]


@pytest.fixture(scope="module", params=ASKED)
def asked(request):
    """(fixture name, CmfQuery on it, cmflib's answers)."""
    name = request.param
    return name, mlmd_lens.CmfQuery(str(FIXTURES / f"{name}.sqlite")), load(name)


def same_cell(ours, theirs):
    if theirs is None:
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
        return isinstance(ours, (int, float)) and float(ours) == float(theirs)
    return ours == theirs


def same_frame(df, answer, what):
    """``df`` equals cmflib's DataFrame as gen_cmflib_answers.py encoded it."""
    f = answer["frame"]
    assert list(df.columns) == f["columns"], what
    dtypes = [str(t) for t in df.dtypes]
    for col, ours, theirs in zip(f["columns"], dtypes, f["dtypes"]):
        if col in PROTO_COLUMNS and theirs == "object":
            continue
        assert ours == theirs, f"{what}: dtype of {col}"
    if "ids" in f:
        assert ([int(i) for i in df["id"]] if len(df) else []) == f["ids"], what
        return
    rows = [list(r) for r in df.itertuples(index=False, name=None)]
    assert len(rows) == len(f["data"]), what
    for i, (a, b) in enumerate(zip(rows, f["data"])):
        for col, x, y in zip(f["columns"], a, b):
            assert same_cell(x, y), f"{what}: row {i} {col}: ours {x!r}, cmflib {y!r}"


def same_execution(e, answer, what):
    """An :class:`mlmd_lens.Execution` against cmflib's proto (its set fields; ours has the
    others at the proto's defaults)."""
    assert isinstance(e, mlmd_lens.Execution)
    proto = answer["proto"]
    for k, v in vars(e).items():
        if k in proto:
            assert v == proto[k], f"{what}: {k}"
        else:
            assert v in ("", 0), f"{what}: {k} = {v!r} where cmflib's proto has none"


def test_pipelines_and_stages_equal_cmflibs(asked):
    name, q, a = asked
    assert q.get_pipeline_names() == a["get_pipeline_names"]
    for p, want in a["get_pipeline_id"].items():
        assert q.get_pipeline_id(p) == want
        assert q.get_pipeline_stages(p) == a["get_pipeline_stages"][p]


def test_execution_frames_equal_cmflibs(asked):
    name, q, a = asked
    for p, want in a["get_all_executions_in_pipeline"].items():
        same_frame(q.get_all_executions_in_pipeline(p), want, f"{name}: pipeline {p}")
    for s, want in a["get_all_executions_in_stage"].items():
        same_frame(q.get_all_executions_in_stage(s), want, f"{name}: stage {s}")
    for key, ask in a["get_all_executions_by_ids_list"].items():
        same_frame(q.get_all_executions_by_ids_list(ask["ids"]), ask["answer"], f"{name}: ids {key}")


def test_executions_of_a_stage_equal_cmflibs_protos(asked):
    name, q, a = asked
    for s, want in a["get_all_exe_in_stage"].items():
        got = q.get_all_exe_in_stage(s)
        assert len(got) == len(want), s
        for e, proto in zip(got, want):
            same_execution(e, proto, f"{name}: {s}")


def test_artifacts_of_executions_equal_cmflibs(asked):
    name, q, a = asked
    for i, want in a["get_all_artifacts_for_execution"].items():
        df = q.get_all_artifacts_for_execution(int(i))
        same_frame(df, want, f"{name}: artifacts of {i}")
        for direction in ("INPUT", "OUTPUT"):
            part = q.get_all_artifacts_for_execution(int(i), direction)
            want = [r for r, e in zip(df["id"], df["event"]) if e == direction] if len(df) else []
            assert (list(part["id"]) if len(part) else []) == want, f"{name}: {direction} of {i}"


def test_artifact_questions_equal_cmflibs(asked):
    name, q, a = asked
    for art in a["get_one_hop_parent_artifacts"]:
        what = f"{name}: {art}"
        theirs = a["get_all_executions_for_artifact"][art]
        ours = q.get_all_executions_for_artifact(art)
        if "error" not in theirs:  # cmflib raises IndexError on TFX stores; we answer
            same_frame(ours, theirs, f"{what}: executions")
        same_frame(q.get_one_hop_parent_artifacts(art), a["get_one_hop_parent_artifacts"][art], f"{what}: parents")
        same_frame(q.get_one_hop_child_artifacts(art), a["get_one_hop_child_artifacts"][art], f"{what}: children")
        same_frame(q.get_all_parent_artifacts(art), a["get_all_parent_artifacts"][art], f"{what}: all parents")
        same_frame(q.get_all_child_artifacts(art), a["get_all_child_artifacts"][art], f"{what}: all children")
        producer, want = q.find_producer_execution(art), a["find_producer_execution"][art]
        if want is None:
            assert producer is None, what
        else:
            same_execution(producer, want, f"{what}: producer")
        assert q.get_producer_execution(art) == producer


def test_dumptojson_equals_cmflibs(asked):
    name, q, a = asked
    for p, want in a["dumptojson"].items():
        assert json.loads(q.dumptojson(p)) == want, p


def test_dumptojson_of_mnist_is_the_fixture_and_the_cli_export():
    q = mlmd_lens.CmfQuery(str(FIXTURES / "cmf_small.sqlite"))
    want = json.loads((FIXTURES / "cmf_small.dumptojson.json").read_text())
    assert json.loads(q.dumptojson("mnist")) == want
    assert json.loads(q.export("cmf-json", pipeline="mnist")) == want
    assert cli("export", "cmf_small.sqlite", "--format", "cmf-json", "--pipeline", "mnist") == want
    one = json.loads(q.dumptojson("mnist", exec_uuid="deaba28a-e876-11f1-a1af-02fc00000001"))
    assert [e["id"] for s in one["Pipeline"][0]["stages"] for e in s["executions"]] == [9]


@pytest.mark.parametrize("name", GOOD)
def test_store_has_the_same_methods_and_every_one_answers(name):
    """On every fixture (also those cmflib was not asked about: MLMD schema 6 and 8), the
    methods answer without failing, and Store answers as CmfQuery does."""
    q = mlmd_lens.CmfQuery(str(FIXTURES / name))
    store = mlmd_lens.Store(FIXTURES / name)
    assert store.get_pipeline_names() == q.get_pipeline_names()
    for p in q.get_pipeline_names() + ["nope"]:
        assert store.get_all_executions_in_pipeline(p).equals(q.get_all_executions_in_pipeline(p))
        for s in q.get_pipeline_stages(p):
            q.get_all_executions_in_stage(s)
            q.get_all_exe_in_stage(s)
        json.loads(q.dumptojson(p))
    ids = store.execution_ids()
    assert len(q.get_all_executions_by_ids_list(ids)) == len(ids)
    for i in ids[:5]:
        df = q.get_all_artifacts_for_execution(i)
        for art in (df["name"] if len(df) else []):
            q.get_all_executions_for_artifact(art)
            q.get_all_parent_artifacts(art)
            q.get_all_child_artifacts(art)
            q.find_producer_execution(art)


def test_answers_cover_cmflibs_own_store():
    """The answer files hold what they should (a regenerated file that lost a question
    would make the comparisons above vacuous)."""
    assert "cmf_small" in ASKED
    a = load("cmf_small")
    assert a["get_pipeline_names"] == ["mnist", "fraud-detection"]
    assert len(a["get_all_artifacts_for_execution"]) == 21 and len(a["get_one_hop_parent_artifacts"]) == 39
    assert len(a["get_all_executions_in_pipeline"]["mnist"]["frame"]["data"]) == 12


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_raise_with_kinds(name):
    kind, phrase = BAD[name]
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.CmfQuery(str(FIXTURES / name))
    assert err.value.kind == kind and phrase in str(err.value)


def test_one_hop_children_filtered_by_pipeline_id_equal_sql():
    """cmflib's ``pipeline_id``: only through consumers whose Pipeline_id is str(pipeline_id)."""
    import sqlite3

    path = FIXTURES / "cmf_small.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    q = mlmd_lens.CmfQuery(str(path))
    names = [r[0] for r in db.execute("SELECT name FROM Artifact WHERE name IS NOT NULL ORDER BY id")]
    pids = sorted({str(r[0]) for r in db.execute("SELECT int_value FROM ExecutionProperty WHERE name = 'Pipeline_id'")})
    assert len(pids) >= 2
    checked = 0
    for name in names:
        for pid in [*pids, "999"]:
            want = [r[0] for r in db.execute(
                """SELECT DISTINCT o.artifact_id FROM Event o WHERE o.type = 4 AND o.execution_id IN (
                     SELECT i.execution_id FROM Event i JOIN ExecutionProperty p
                       ON p.execution_id = i.execution_id AND p.name = 'Pipeline_id'
                     WHERE i.type = 3 AND CAST(p.int_value AS TEXT) = ?
                       AND i.artifact_id = (SELECT MIN(id) FROM Artifact WHERE name = ?))
                   ORDER BY o.artifact_id""", (pid, name))]
            got = q.get_one_hop_child_artifacts(name, pipeline_id=int(pid))
            assert (list(got["id"]) if len(got) else []) == want, (name, pid)
            checked += bool(want)
    assert checked > 0
    # An int and its text mean the same; None filters nothing.
    name = names[0]
    assert q.get_one_hop_child_artifacts(name, pipeline_id=pids[0]).equals(q.get_one_hop_child_artifacts(name, pipeline_id=int(pids[0])))
    assert q.get_one_hop_child_artifacts(name).equals(q.get_one_hop_child_artifacts(name, pipeline_id=None))


@pytest.mark.parametrize("rows", [
    [[1, "a", 1.5, None, None, True], [2, None, 2, None, "b", False]],  # int, text, float, all None, text, bool
    [[1, 2], [None, "x"]],  # int with a missing cell, text and a number
    [[2**62, {"k": 1}], [-(2**62), [1]]],  # large ints; objects
    [["1", 0.0], ["2", 7]],
    [[1, "x", 2.5, "y"], [3, None, None, "z"]],  # int, text with a gap, float with a gap, text
    [[2**63], [1]],  # past int64: pandas' uint64
])
def test_typed_frames_have_pandas_own_dtypes_and_values(rows):
    """``_frame`` builds the columns the core calls certain typed instead of letting pandas
    infer them: the result equals what pandas infers from the same cells (as cmflib's
    frames are)."""
    pd = pytest.importorskip("pandas")
    from mlmd_lens import _core
    columns = [f"c{i}" for i in range(len(rows[0]))]
    table = _core.frame_of_rows(columns, json.dumps(rows))  # as the core hands frames over
    ours = mlmd_lens._cmfquery._frame(table)
    theirs = pd.DataFrame(rows, columns=columns)
    assert [str(t) for t in ours.dtypes] == [str(t) for t in theirs.dtypes]
    assert ours.columns.dtype == theirs.columns.dtype and type(ours.index) is type(theirs.index)
    pd.testing.assert_frame_equal(ours, theirs)
    ours.iloc[0, 0] = ours.iloc[1, 0]  # a frame of its own, whose columns are writable
    ours.columns.name = "renamed"  # and whose column index is its own
    again = mlmd_lens._cmfquery._frame(_core.frame_of_rows(columns, json.dumps(rows)))
    assert again.iloc[0, 0] == theirs.iloc[0, 0] and again.columns.name is None
    pd.testing.assert_frame_equal(again, theirs)
    assert mlmd_lens._cmfquery._frame(_core.frame_of_rows([], "[]")).shape == pd.DataFrame().shape == (0, 0)


def test_wrong_arguments_raise_invalid_argument():
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.CmfQuery(str(FIXTURES / "cmf_small.sqlite"), is_server=True)
    assert err.value.kind == "invalid-argument"
    q = mlmd_lens.CmfQuery(str(FIXTURES / "cmf_small.sqlite"))
    for bad in (
        lambda: q.get_all_artifacts_for_execution(3, "SIDEWAYS"),
        lambda: q.export("cmf-json"),
    ):
        with pytest.raises(mlmd_lens.MlmdError) as err:
            bad()
        assert err.value.kind == "invalid-argument"
    with pytest.raises(mlmd_lens.MlmdError) as err:
        mlmd_lens.CmfQuery(str(FIXTURES / "no-such-file"))
    assert err.value.kind == "io"
    # Unknown names and ids are answered as cmflib answers them, not raised.
    assert q.get_pipeline_id("nope") == -1
    assert q.get_all_artifacts_for_execution(10**6).empty
    assert q.find_producer_execution("nope") is None


def test_frames_without_pandas_private_constructor_are_the_same(monkeypatch):
    """Should a pandas lack ``DataFrame._from_arrays``, frames come from the public
    constructor, equal to those made through it."""
    pd = pytest.importorskip("pandas")
    from mlmd_lens import _core
    rows = [[1, "x", 2.5, "y", None], [3, None, None, "z", 7]]
    columns = [f"c{i}" for i in range(len(rows[0]))]
    fast = mlmd_lens._cmfquery._frame(_core.frame_of_rows(columns, json.dumps(rows)))
    monkeypatch.delattr(pd.DataFrame, "_from_arrays")
    slow = mlmd_lens._cmfquery._frame(_core.frame_of_rows(columns, json.dumps(rows)))
    pd.testing.assert_frame_equal(fast, slow)
    pd.testing.assert_frame_equal(slow, pd.DataFrame(rows, columns=columns))


def test_one_cmfquery_answers_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    q = mlmd_lens.CmfQuery(str(FIXTURES / "cmf_small.sqlite"))
    env = q.get_all_artifacts_for_execution(1, "INPUT")["name"][0]
    questions = [
        lambda: q.get_all_executions_in_pipeline("mnist").to_json(),
        lambda: q.get_all_child_artifacts(env).to_json(),
        lambda: q.dumptojson("fraud-detection"),
        lambda: [vars(e) for e in q.get_all_exe_in_stage("mnist/Train")],
    ] * 8
    alone = [ask() for ask in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda ask: ask(), questions)) == alone


def test_the_gil_is_released_while_the_core_answers(tmp_path):
    """A Python thread keeps running while the core answers. It notes the longest pause
    between two of its steps: a core call that kept the GIL would pause it for the whole
    call (CPython cannot switch threads inside a C call), so the pause would be as long as
    the longest call."""
    store = tmp_path / "l3000.sqlite"
    subprocess.run([sys.executable, str(FIXTURES / "gen_large.py"), str(store), "--executions", "3000"],
                   check=True, capture_output=True)
    longest_pause, stop = [0.0], threading.Event()

    def step():
        last = time.perf_counter()
        while not stop.is_set():
            now = time.perf_counter()
            longest_pause[0] = max(longest_pause[0], now - last)
            last = now

    t = threading.Thread(target=step)
    t.start()
    longest_call = 0.0
    try:
        time.sleep(0.05)
        longest_pause[0] = 0.0
        for ask in [lambda: mlmd_lens.CmfQuery(str(store))] * 3:
            t0 = time.perf_counter()
            q = ask()
            longest_call = max(longest_call, time.perf_counter() - t0)
        for p in q.get_pipeline_names():
            t0 = time.perf_counter()
            q.dumptojson(p)
            longest_call = max(longest_call, time.perf_counter() - t0)
    finally:
        stop.set()
        t.join()
    if longest_call < 0.04:
        pytest.skip(f"the longest core call took {longest_call * 1000:.0f} ms: too quick to tell")
    assert longest_pause[0] < longest_call / 2, (
        f"the other thread paused {longest_pause[0] * 1000:.0f} ms during a {longest_call * 1000:.0f} ms call")


def test_docstring_examples_run():
    cwd = os.getcwd()
    os.chdir(FIXTURES)  # the examples open the fixtures by name
    try:
        for module in (mlmd_lens._cmfquery, mlmd_lens._api):
            result = doctest.testmod(module, extraglobs={"mlmd_lens": mlmd_lens}, optionflags=doctest.ELLIPSIS)
            assert result.attempted > 0 and result.failed == 0, module.__name__
    finally:
        os.chdir(cwd)
