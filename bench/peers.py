#!/usr/bin/env python3
"""Times the peers of mlmd-lens on one MLMD SQLite store, for `make bench`.

usage: python3 bench/peers.py STORE.sqlite [--runs 3] [--venv DIR] [--case-timeout 120]

Peers (one function each below):
  sqlite3      the standard library's sqlite3 running hand-written SQL over the MLMD tables,
               store opened read-only (file:...?mode=ro).
  ml-metadata  the official Python API (metadata_store.MetadataStore), SQLite connection in
               READONLY mode; ListOptions.filter_query where it can express the case, Python
               filtering over get_executions() where it cannot.
  cmflib       CmfQuery(path) from cmflib: its own calls where it has one (executions of a
               pipeline or a stage, executions of an artifact, executions by id), otherwise the
               executions it returns per stage, filtered in Python; null where it has nothing.

The Python peers are installed on first use, each in its own venv under --venv (default
target/bench/venv in the repository): DIR/ml-metadata and DIR/cmflib, because cmflib pins an
older ml-metadata. A peer that cannot be installed or imported gets null everywhere and a note.
Both of them run in a child process (this same file, --worker), one case at a time, and a case
that runs past --case-timeout seconds is killed and reported as null.

ml-metadata and cmflib never see STORE itself: ml-metadata writes its built-in types (mlmd.Dataset,
mlmd.Train, ...) into any store that lacks them, even in READONLY mode (where that fails), and
cmflib always opens READWRITE_OPENCREATE. They get a temporary copy, prepared once (outside the
timings) by opening it read-write with ml-metadata; ml-metadata reads STORE directly (READONLY)
when STORE already has those types.

Cases (the workload the viewer answers; the data conventions are cmflib's, see
shared/fixtures/CMF_CONVENTIONS.md): open, first_page, total, filter_pipeline, filter_stage,
filter_type, filter_status, filter_date, filter_commit, filter_property, filter_artifact,
filter_duration, filter_name, combined, sort_property, sort_started (the newest 50 by
create_time, ties by id descending; bench/cases.json has it too), stats. Each is run --runs
times and its median wall time (time.perf_counter) is reported in ms; a case whose runs add up
to more than SLOW_BUDGET_S stops repeating early (said in the notes).

Output, on stdout, one JSON object:
  {"sqlite3": {"open": 1.23, ..., "counts": {"open": 10000, ...}}, "ml-metadata": {...},
   "cmflib": {...}, "notes": ["...", ...]}
counts[case] is the number of matching executions (first_page, sort_*: rows returned;
open, total and stats: all executions). Every peer's answer (ids, rows, statistics) is compared
with sqlite3's and a disagreement is reported as a WARNING note. Progress goes to stderr.
"""
import argparse
import hashlib
import json
import os
import pathlib
import queue
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

CASES = ["open", "first_page", "total", "filter_pipeline", "filter_stage", "filter_type",
         "filter_status", "filter_date", "filter_commit", "filter_property", "filter_artifact",
         "filter_duration", "filter_name", "combined", "sort_property", "sort_started", "stats"]
ORDERED = {"first_page", "sort_property", "sort_started"}  # results compared in order; other id lists as sets

# The parameters of the cases.
PIPELINE = "mnist"
STAGE = "Train"                      # stage contexts named "<pipeline>/Train"
EXEC_TYPE = "Train"                  # execution type name
FAILED, CANCELED = 4, 6              # Execution.last_known_state
DATE_LO = int(datetime(2026, 1, 5, tzinfo=timezone.utc).timestamp() * 1000)   # inclusive
DATE_HI = int(datetime(2026, 1, 12, tzinfo=timezone.utc).timestamp() * 1000)  # inclusive
COMMIT_PROP = "Git_Start_Commit"     # declared property; prefix = first 6 chars of execution 1's
LR_PROP, LR_MAX = "learning_rate", 0.01   # custom property stored as text ('0.001'): numeric <
ARTIFACT_SUB = "train/1"             # an input or output artifact's name contains this
DURATION_MS = 5 * 60 * 1000          # last_update - create >
NAME_SUB = "train_0000"              # execution name contains this
EPOCHS_PROP, EPOCHS_MIN = "epochs", 10    # custom int property >, for `combined`
PAGE = 50

ML_METADATA_REQ = "ml-metadata==1.17.1"   # the newest with a wheel for CPython 3.11
CMFLIB_REQ = "cmflib==0.1.0"              # pulls ml-metadata 1.15.0, dvc, ray, pandas, ...
INSTALL_TIMEOUT_S = 300
SLOW_BUDGET_S = 60
# time_case's most runs of a quick question.
MAX_RUNS = 50
MLMD_SIMPLE_TYPES = ("mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics", "mlmd.Train",
                     "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Peer 1: plain sqlite3 + SQL
# ---------------------------------------------------------------------------------------------

def peer_sqlite3(store, params):
    """Hand-written SQL over the MLMD tables. Returns {case: callable}."""
    uri = pathlib.Path(store).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)

    def ids(sql, *args):
        return [r[0] for r in db.execute(sql, args)]

    # executions of a pipeline: stage contexts whose parent is the pipeline context
    pipeline_ids = """
        SELECT a.execution_id FROM Context p
        JOIN Type pt ON pt.id = p.type_id AND pt.name = 'Parent_Context'
        JOIN ParentContext pc ON pc.parent_context_id = p.id
        JOIN Association a ON a.context_id = pc.context_id
        WHERE p.name = ?"""
    # a property's numeric value, whichever column holds it (cmflib writes floats as text)
    num = "COALESCE(x.double_value, x.int_value, CAST(x.string_value AS REAL))"

    def open_():
        con = sqlite3.connect(uri, uri=True)
        n = con.execute("SELECT COUNT(*) FROM Execution").fetchone()[0]
        con.close()
        return n

    def first_page():
        return [tuple(r) for r in db.execute("""
            WITH page AS (SELECT * FROM Execution ORDER BY id LIMIT ?),
            stage AS (SELECT a.execution_id, MIN(c.id) AS sid FROM Association a
                      JOIN Context c ON c.id = a.context_id
                      JOIN Type ct ON ct.id = c.type_id AND ct.name = 'Pipeline_Stage'
                      WHERE a.execution_id IN (SELECT id FROM page) GROUP BY a.execution_id)
            SELECT e.id, e.name, t.name, p.name, s.name, e.last_known_state,
                   e.create_time_since_epoch, e.last_update_time_since_epoch, g.string_value
            FROM page e
            LEFT JOIN Type t ON t.id = e.type_id
            LEFT JOIN stage st ON st.execution_id = e.id
            LEFT JOIN Context s ON s.id = st.sid
            LEFT JOIN ParentContext pc ON pc.context_id = s.id
            LEFT JOIN Context p ON p.id = pc.parent_context_id
            LEFT JOIN ExecutionProperty g ON g.execution_id = e.id AND g.name = ?
                                         AND g.is_custom_property = 0
            GROUP BY e.id ORDER BY e.id""", (PAGE, COMMIT_PROP))]

    def total():
        return db.execute("SELECT COUNT(*) FROM Execution").fetchone()[0]

    def stats():
        states = dict(db.execute("SELECT last_known_state, COUNT(*) FROM Execution GROUP BY 1"))
        n, avg = db.execute("SELECT COUNT(*), AVG(last_update_time_since_epoch - create_time_since_epoch)"
                            " FROM Execution").fetchone()
        median = db.execute("""
            SELECT AVG(d) FROM (SELECT last_update_time_since_epoch - create_time_since_epoch AS d
                                FROM Execution ORDER BY d LIMIT 2 - ? % 2 OFFSET (? - 1) / 2)""",
                            (n, n)).fetchone()[0]
        return {"states": states, "avg": avg, "median": median, "n": n}

    return {
        "open": open_,
        "first_page": first_page,
        "total": total,
        "filter_pipeline": lambda: ids(pipeline_ids, PIPELINE),
        "filter_stage": lambda: ids("""
            SELECT a.execution_id FROM Context s
            JOIN Type st ON st.id = s.type_id AND st.name = 'Pipeline_Stage'
            JOIN ParentContext pc ON pc.context_id = s.id
            JOIN Context p ON p.id = pc.parent_context_id
            JOIN Association a ON a.context_id = s.id
            WHERE s.name = p.name || '/' || ?""", STAGE),
        "filter_type": lambda: ids("SELECT e.id FROM Execution e JOIN Type t ON t.id = e.type_id"
                                   " WHERE t.type_kind = 0 AND t.name = ?", EXEC_TYPE),
        "filter_status": lambda: ids("SELECT id FROM Execution WHERE last_known_state = ?", FAILED),
        "filter_date": lambda: ids("SELECT id FROM Execution WHERE create_time_since_epoch BETWEEN ? AND ?",
                                   DATE_LO, DATE_HI),
        "filter_commit": lambda: ids("SELECT execution_id FROM ExecutionProperty WHERE name = ?"
                                     " AND is_custom_property = 0 AND substr(string_value, 1, ?) = ?",
                                     COMMIT_PROP, len(params["commit_prefix"]), params["commit_prefix"]),
        "filter_property": lambda: ids(f"SELECT x.execution_id FROM ExecutionProperty x WHERE x.name = ?"
                                       f" AND x.is_custom_property = 1 AND {num} < ?", LR_PROP, LR_MAX),
        "filter_artifact": lambda: ids("SELECT DISTINCT ev.execution_id FROM Artifact ar"
                                       " JOIN Event ev ON ev.artifact_id = ar.id WHERE instr(ar.name, ?) > 0",
                                       ARTIFACT_SUB),
        "filter_duration": lambda: ids("SELECT id FROM Execution"
                                       " WHERE last_update_time_since_epoch - create_time_since_epoch > ?",
                                       DURATION_MS),
        "filter_name": lambda: ids("SELECT id FROM Execution WHERE instr(name, ?) > 0", NAME_SUB),
        "combined": lambda: ids(f"""
            SELECT e.id FROM Execution e
            WHERE e.last_known_state IN (?, ?) AND e.id IN ({pipeline_ids})
              AND EXISTS (SELECT 1 FROM ExecutionProperty x WHERE x.execution_id = e.id AND x.name = ?
                          AND x.is_custom_property = 1 AND x.int_value > ?)""",
                                FAILED, CANCELED, PIPELINE, EPOCHS_PROP, EPOCHS_MIN),
        "sort_property": lambda: ids(f"""
            SELECT e.id FROM Execution e
            LEFT JOIN ExecutionProperty x ON x.execution_id = e.id AND x.name = ? AND x.is_custom_property = 1
            ORDER BY {num} IS NULL, {num} DESC, e.id LIMIT ?""", LR_PROP, PAGE),
        "sort_started": lambda: ids("SELECT id FROM Execution ORDER BY create_time_since_epoch DESC, id DESC"
                                    " LIMIT ?", PAGE),
        "stats": stats,
    }


# ---------------------------------------------------------------------------------------------
# Helpers shared by the two MLMD-proto based peers (they run inside the peers' venvs)
# ---------------------------------------------------------------------------------------------

def _prop(execution, name, custom):
    """The value of a property of an MLMD Execution proto, or None."""
    props = execution.custom_properties if custom else execution.properties
    if name not in props:
        return None
    v = props[name]
    kind = v.WhichOneof("value")
    return getattr(v, kind) if kind else None


def _number(v):
    """A property value as a number: cmflib stores floats as strings."""
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return v


def _state(execution):
    return execution.last_known_state if execution.HasField("last_known_state") else None


def _name(execution):
    return execution.name if execution.HasField("name") else None


def _duration(execution):
    return execution.last_update_time_since_epoch - execution.create_time_since_epoch


def _python_cases(all_executions, params):
    """Cases answered by filtering a full list of Execution protos in Python."""
    prefix = params["commit_prefix"]

    def where(pred):
        return lambda: [e.id for e in all_executions() if pred(e)]

    def lr_below(e):
        v = _number(_prop(e, LR_PROP, True))
        return v is not None and v < LR_MAX

    def sort_property():
        keyed = [(_number(_prop(e, LR_PROP, True)), e.id) for e in all_executions()]
        keyed.sort(key=lambda t: (t[0] is None, -(t[0] or 0), t[1]))
        return [i for _, i in keyed[:PAGE]]

    def sort_started():
        newest = sorted(all_executions(), key=lambda e: (e.create_time_since_epoch, e.id), reverse=True)
        return [e.id for e in newest[:PAGE]]

    def stats():
        execs = all_executions()
        states = {}
        for e in execs:
            states[_state(e)] = states.get(_state(e), 0) + 1
        durations = [_duration(e) for e in execs]
        return {"states": states, "avg": statistics.fmean(durations) if durations else None,
                "median": statistics.median(durations) if durations else None, "n": len(execs)}

    return {
        "filter_status": where(lambda e: _state(e) == FAILED),
        "filter_date": where(lambda e: DATE_LO <= e.create_time_since_epoch <= DATE_HI),
        "filter_commit": where(lambda e: str(_prop(e, COMMIT_PROP, False) or "").startswith(prefix)),
        "filter_property": where(lr_below),
        "filter_duration": where(lambda e: _duration(e) > DURATION_MS),
        "filter_name": where(lambda e: NAME_SUB in (_name(e) or "")),
        "sort_property": sort_property,
        "sort_started": sort_started,
        "stats": stats,
    }


# ---------------------------------------------------------------------------------------------
# Peer 2: ml-metadata
# ---------------------------------------------------------------------------------------------

def peer_ml_metadata(store, params):
    """The official MLMD Python API over a READONLY SQLite connection. Returns {case: callable}."""
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2 as pb

    def connect():
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = store
        config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READONLY
        return metadata_store.MetadataStore(config)

    ms = connect()

    def query(q):
        return ms.get_executions(list_options=metadata_store.ListOptions(filter_query=q))

    def first_page():
        page = ms.get_executions(list_options=metadata_store.ListOptions(
            limit=PAGE, order_by=metadata_store.OrderByField.ID, is_asc=True))
        types = {t.id: t.name for t in ms.get_execution_types_by_id(list({e.type_id for e in page}))}
        stage_type = ms.get_context_type("Pipeline_Stage").id
        parents, rows = {}, []
        for e in page:
            stages = [c for c in ms.get_contexts_by_execution(e.id) if c.type_id == stage_type]
            stage = min(stages, key=lambda c: c.id) if stages else None
            if stage and stage.id not in parents:
                parents[stage.id] = ms.get_parent_contexts_by_context(stage.id)
            pipeline = parents[stage.id][0].name if stage and parents[stage.id] else None
            rows.append((e.id, _name(e), types.get(e.type_id), pipeline, stage.name if stage else None,
                         _state(e), e.create_time_since_epoch, e.last_update_time_since_epoch,
                         _prop(e, COMMIT_PROP, False)))
        return rows

    def mnist_stage_ids():
        pipeline = ms.get_context_by_type_and_name("Parent_Context", PIPELINE)
        return [c.id for c in ms.get_children_contexts_by_context(pipeline.id)] if pipeline else []

    def filter_pipeline():
        return [e.id for sid in mnist_stage_ids() for e in ms.get_executions_by_context(sid)]

    def filter_stage():
        out = []
        for c in ms.get_contexts_by_type("Pipeline_Stage"):
            if any(c.name == f"{p.name}/{STAGE}" for p in ms.get_parent_contexts_by_context(c.id)):
                out += [e.id for e in ms.get_executions_by_context(c.id)]
        return out

    def filter_artifact():
        # filter_query LIKE is case-insensitive and '_' is a wildcard: confirm in Python
        arts = ms.get_artifacts(list_options=metadata_store.ListOptions(
            filter_query=f"name LIKE '%{ARTIFACT_SUB}%'"))
        ids = [a.id for a in arts if ARTIFACT_SUB in a.name]
        return {ev.execution_id for ev in ms.get_events_by_artifact_ids(ids)} if ids else set()

    def combined():
        sids = mnist_stage_ids()
        if not sids:
            return []
        return [e.id for e in query(
            f"contexts_a.id IN ({', '.join(map(str, sids))}) AND "
            "(last_known_state = FAILED OR last_known_state = CANCELED) AND "
            f"custom_properties.{EPOCHS_PROP}.int_value > {EPOCHS_MIN}")]

    # filter_commit stays in Python too: filter_query lower-cases property names
    # ("properties.Git_Start_Commit" looks for "git_start_commit"), so it finds nothing
    cases = _python_cases(ms.get_executions, params)
    cases.update({
        "open": lambda: len(connect().get_executions()),
        "first_page": first_page,
        "total": lambda: len(ms.get_executions()),
        "filter_pipeline": filter_pipeline,
        "filter_stage": filter_stage,
        "filter_type": lambda: [e.id for e in ms.get_executions_by_type(EXEC_TYPE)],
        "filter_status": lambda: [e.id for e in query("last_known_state = FAILED")],
        "filter_date": lambda: [e.id for e in query(
            f"create_time_since_epoch >= {DATE_LO} AND create_time_since_epoch <= {DATE_HI}")],
        "filter_artifact": filter_artifact,
        "filter_name": lambda: [e.id for e in query(f"name LIKE '%{NAME_SUB}%'") if NAME_SUB in (_name(e) or "")],
        "combined": combined,
        "sort_started": lambda: [e.id for e in ms.get_executions(list_options=metadata_store.ListOptions(
            limit=PAGE, order_by=metadata_store.OrderByField.CREATE_TIME, is_asc=False))],
    })
    return cases


# ---------------------------------------------------------------------------------------------
# Peer 3: cmflib
# ---------------------------------------------------------------------------------------------

def peer_cmflib(store, params):
    """cmflib's CmfQuery over a copy of the store. Returns {case: callable or reason string}."""
    from cmflib.cmfquery import CmfQuery

    q = CmfQuery(store)

    def stage_names(query, pipelines=None):
        return [(p, s) for p in (pipelines or query.get_pipeline_names()) for s in query.get_pipeline_stages(p)]

    def all_executions(query=q):
        return [e for _, s in stage_names(query) for e in query.get_all_exe_in_stage(s)]

    def open_():
        query = CmfQuery(store)
        return len(all_executions(query))

    def first_page():
        page = sorted(all_executions(), key=lambda e: e.id)[:PAGE]
        df = q.get_all_executions_by_ids_list([e.id for e in page])
        by_uuid = {r["Execution_uuid"]: r for r in df.to_dict("records")} if len(df) else {}
        types = {t.id: t.name for t in q.store.get_execution_types_by_id(list({e.type_id for e in page}))}
        rows = []
        for e in page:
            r = by_uuid.get(_prop(e, "Execution_uuid", False), {})
            rows.append((e.id, _name(e), types.get(e.type_id), r.get("Pipeline_Type"), r.get("Context_Type"),
                         _state(e), e.create_time_since_epoch, e.last_update_time_since_epoch,
                         r.get(COMMIT_PROP)))
        return rows

    def filter_pipeline():
        df = q.get_all_executions_in_pipeline(PIPELINE)
        return [int(i) for i in df["id"]] if len(df) else []

    def filter_stage():
        out = []
        for p in q.get_pipeline_names():
            df = q.get_all_executions_in_stage(f"{p}/{STAGE}")
            out += [int(i) for i in df["id"]] if len(df) else []
        return out

    def filter_artifact():
        out = set()
        for name in q.get_all_artifacts():
            if ARTIFACT_SUB in name:
                df = q.get_all_executions_for_artifact(name)
                if len(df):
                    out.update(int(i) for i in df["execution_id"])
        return out

    def combined():
        return [e.id for _, s in stage_names(q, [PIPELINE]) for e in q.get_all_exe_in_stage(s)
                if _state(e) in (FAILED, CANCELED) and (_prop(e, EPOCHS_PROP, True) or 0) > EPOCHS_MIN]

    cases = _python_cases(all_executions, params)
    cases.update({
        "open": open_,
        "first_page": first_page,
        "total": lambda: len(all_executions()),
        "filter_pipeline": filter_pipeline,
        "filter_stage": filter_stage,
        "filter_type": "no cmflib call by execution type",
        "filter_artifact": filter_artifact,
        "combined": combined,
    })
    return cases


# What each Python peer's cases call, for the notes
PEER_NOTES = {
    "ml-metadata": [
        "ml-metadata: no count call, so open/total are len(get_executions()) (every execution with "
        "its properties); filter_status/date/name/combined use ListOptions.filter_query; "
        "filter_pipeline/stage walk Parent_Context -> get_children_contexts_by_context -> "
        "get_executions_by_context; filter_type is get_executions_by_type; filter_artifact is "
        "get_artifacts(filter_query name LIKE) + get_events_by_artifact_ids; first_page is "
        "get_executions(limit 50, order by id) + get_contexts_by_execution and "
        "get_parent_contexts_by_context per row; sort_started is get_executions(limit 50, order by "
        "create time, descending); filter_commit/property/duration, sort_property and "
        "stats filter get_executions() in Python: filter_query has no arithmetic, compares "
        "learning_rate (a string) as text, and lower-cases property names, so "
        "'properties.Git_Start_Commit.string_value LIKE ...' matches nothing (it looks for "
        "'git_start_commit'; seen with 1.17.1 and 1.15.0, also on cmf_small.sqlite)."],
    "cmflib": [
        "cmflib: CmfQuery has no count, filter or paging calls. Executions are listed with "
        "get_all_exe_in_stage(stage) for every stage of get_pipeline_stages(p) of every "
        "get_pipeline_names() (MLMD protos) and filtered in Python for open/total/first_page ids/"
        "filter_status/date/commit/property/duration/name/combined/sort_property/sort_started/"
        "stats; "
        "filter_pipeline is get_all_executions_in_pipeline('mnist'), filter_stage "
        "get_all_executions_in_stage('<pipeline>/Train') per pipeline (both build a pandas "
        "DataFrame one row at a time); filter_artifact is get_all_artifacts() + "
        "get_all_executions_for_artifact(name) per matching name; first_page's derived columns "
        "come from get_all_executions_by_ids_list (Pipeline_Type, Context_Type, Git_Start_Commit) "
        "with the type name from CmfQuery.store (ml-metadata), as cmflib has no type call.",
        "cmflib: filter_type is null: cmflib has no call by execution type (its executions are "
        "reached through stages; the Execution_type_name property holds '<pipeline>/<stage>')."],
}

PEERS = {"sqlite3": peer_sqlite3, "ml-metadata": peer_ml_metadata, "cmflib": peer_cmflib}
VENV_PEERS = {  # name: (requirement, import check printing the versions)
    "ml-metadata": (ML_METADATA_REQ, "import ml_metadata; print('ml-metadata', ml_metadata.__version__)"),
    "cmflib": (CMFLIB_REQ, "from cmflib.cmfquery import CmfQuery; import importlib.metadata as m; "
                           "print('cmflib', m.version('cmflib'), 'with ml-metadata', m.version('ml-metadata'))"),
}


# ---------------------------------------------------------------------------------------------
# Timing, comparing, running
# ---------------------------------------------------------------------------------------------

def summarize(case, result):
    """(count, digest) of a case's result: the digest is compared across peers."""
    if isinstance(result, dict):  # stats
        canon = {"states": sorted((str(k), v) for k, v in result["states"].items()),
                 "avg": None if result["avg"] is None else round(float(result["avg"]), 3),
                 "median": None if result["median"] is None else float(result["median"]), "n": result["n"]}
        count = result["n"]
    elif isinstance(result, int):
        canon, count = result, result
    elif case in ORDERED:
        canon, count = [list(r) if isinstance(r, tuple) else r for r in result], len(result)
    else:
        canon = sorted(set(result))
        count = len(canon)
    return count, hashlib.sha1(json.dumps(canon, default=str).encode()).hexdigest()[:12]


def time_case(fn, runs, until_s=0.0):
    """Runs fn `runs` times, or more while the runs together take under `until_s` seconds
    (at most MAX_RUNS: a sub-millisecond question's median of three is mostly its first
    calls' warm-up), or fewer once they pass SLOW_BUDGET_S; returns (median ms, last
    result, runs done)."""
    times, result = [], None
    while True:
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if sum(times) + times[-1] > SLOW_BUDGET_S:
            break
        if len(times) >= runs and (sum(times) >= until_s or len(times) >= MAX_RUNS):
            break
    # Six decimals: a microsecond answer still has a ratio.
    return round(statistics.median(times) * 1000, 6), result, len(times)


def run_cases(peer, store, params, runs, cases, emit):
    """Sets the peer up, then times each case, calling emit(message dict) after each."""
    try:
        table = PEERS[peer](store, params)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        emit({"fatal": f"{type(e).__name__}: {e}".splitlines()[0]})
        return
    emit({"ready": True})
    for case in cases:
        fn = table.get(case)
        if not callable(fn):
            emit({"case": case, "null": fn or "no equivalent"})
            continue
        log(f"  {peer}: {case} ...")
        try:
            ms, result, done = time_case(fn, runs)
        except Exception as e:  # noqa: BLE001
            emit({"case": case, "null": f"failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"})
            continue
        count, digest = summarize(case, result)
        emit({"case": case, "ms": ms, "count": count, "digest": digest, "runs": done})


def run_worker(python, peer, store, params, runs, timeout):
    """Runs a peer in `python` (its venv) case by case; a case over `timeout` s is killed and
    the worker restarted for the rest. Returns {case: message}."""
    remaining, out = list(CASES), {}

    def pump(stream, lines):  # one reader thread per worker, bound to that worker's own queue
        for line in stream:
            lines.put(line)
        lines.put(None)

    while remaining:
        cmd = [python, os.path.abspath(__file__), "--worker", peer, store, "--runs", str(runs),
               "--params", json.dumps(params), "--cases", ",".join(remaining)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        lines = queue.Queue()
        threading.Thread(target=pump, args=(proc.stdout, lines), daemon=True).start()
        try:
            answered = read_worker(proc, lines, remaining, out, timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if answered == "fatal":
            break
    return out


def read_worker(proc, lines, remaining, out, timeout):
    """Reads one worker's messages into out until it ends, fails to set up ("fatal") or runs one
    case past `timeout` s (that case gets null); answered cases leave `remaining`."""
    while remaining:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            out[remaining.pop(0)] = {"null": f"killed after {timeout:g} s (--case-timeout)"}
            return "timeout"
        if line is None:  # the worker ended before answering every case
            out[remaining.pop(0)] = {"null": f"worker exited with code {proc.wait()}"}
            return "exited"
        try:
            msg = json.loads(line)
        except ValueError:  # not one of ours
            continue
        if "fatal" in msg:  # the peer could not even be set up: every case is null
            while remaining:
                out[remaining.pop(0)] = {"null": f"could not open the store: {msg['fatal']}"}
            return "fatal"
        if "case" in msg:
            out[msg["case"]] = msg
            remaining.remove(msg["case"])
    return "done"


def ensure_venv(root, peer):
    """Creates ROOT/PEER and pip-installs the peer there unless it imports already.
    Returns (python or None, note)."""
    req, check = VENV_PEERS[peer]
    venv = os.path.join(root, peer)
    python = os.path.join(venv, "bin", "python")

    def imports():
        """(True, versions) when the peer imports in the venv, else (False, the error's last line)."""
        if not os.path.exists(python):
            return False, "no venv"
        r = subprocess.run([python, "-c", check], capture_output=True, text=True)
        return (True, r.stdout.strip()) if r.returncode == 0 else \
            (False, (r.stderr.strip().splitlines() or [f"exit code {r.returncode}"])[-1])

    ok, found = imports()
    if ok:
        return python, f"{peer}: using {found} from {venv}"
    log(f"installing {req} into {venv} (pip) ...")
    t0 = time.perf_counter()
    try:
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True, text=True)
        r = subprocess.run([python, "-m", "pip", "install", "--quiet", req],
                           capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"{peer}: pip install {req} did not finish within {INSTALL_TIMEOUT_S} s; null"
    except subprocess.CalledProcessError as e:
        return None, f"{peer}: python3 -m venv {venv} failed: {(e.stderr or '').strip()}; null"
    took = time.perf_counter() - t0
    if r.returncode != 0:
        errors = [l for l in r.stderr.splitlines()
                  if l.startswith("ERROR") and "Ignored the following versions" not in l]
        why = " / ".join(errors or r.stderr.strip().splitlines()[-1:])[:400] or f"exit code {r.returncode}"
        return None, f"{peer}: pip install {req} failed on Python {sys.version.split()[0]}: {why}; null"
    ok, found = imports()
    if not ok:
        return None, f"{peer}: installed {req} but it does not import: {found}; null"
    return python, f"{peer}: installed {req} in {took:.1f} s ({found})"


OURS_CHECK = ("import mlmd_lens, pandas, importlib.metadata as m; "
              "print('mlmd-lens', m.version('mlmd-lens'), 'pandas', pandas.__version__)")
PANDAS_REQ = "pandas==3.1.1"


def ensure_ours(python=None, venv_root=None, wheel=None):
    """The Python that runs mlmd-lens (the wheel of `make wheel`, with pandas) for
    bench/cmfquery.py and bench/pagequery.py: `python` if mlmd_lens and pandas import there;
    else, given `wheel`, VENV_ROOT/mlmd-lens with that wheel (reinstalled, so that it is the
    one just built) and pandas. Returns (python or None, note)."""
    def imports(py):
        if not py or not os.path.exists(py):
            return False, "no such python"
        r = subprocess.run([py, "-c", OURS_CHECK], capture_output=True, text=True)
        return (True, r.stdout.strip()) if r.returncode == 0 else \
            (False, (r.stderr.strip().splitlines() or [f"exit code {r.returncode}"])[-1])

    if not wheel:
        ok, found = imports(python)
        if ok:
            return python, f"mlmd-lens: {found} in {python}"
        return None, (f"mlmd-lens: not importable with {python} ({found}): make wheel, or set "
                      "MLMD_LENS_PYTHON to a Python with the wheel and pandas; null")
    venv = os.path.join(venv_root, "mlmd-lens")
    py = os.path.join(venv, "bin", "python")
    try:
        if not os.path.exists(py):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True, text=True)
        pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "--force-reinstall", "--no-deps", wheel], check=True, capture_output=True, text=True)
        if subprocess.run([py, "-c", "import pandas"], capture_output=True).returncode != 0:
            subprocess.run([*pip, PANDAS_REQ], check=True, capture_output=True, text=True,
                           timeout=INSTALL_TIMEOUT_S)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        why = (getattr(e, "stderr", None) or str(e)).strip().splitlines()[-1:] or ["?"]
        return None, f"mlmd-lens: could not install {wheel} into {venv}: {why[0]}; null"
    ok, found = imports(py)
    return (py, f"mlmd-lens: {found} in {py} (from {os.path.basename(wheel)})") if ok else \
        (None, f"mlmd-lens: installed {wheel} but it does not import: {found}; null")


def working_copy(store, python, tmpdir):
    """Copies STORE into tmpdir and lets ml-metadata (read-write) add its built-in types there."""
    copy = os.path.join(tmpdir, os.path.basename(store))
    shutil.copyfile(store, copy)
    prep = ("import sys; from ml_metadata.metadata_store import metadata_store as m; "
            "from ml_metadata.proto import metadata_store_pb2 as pb; c = pb.ConnectionConfig(); "
            "c.sqlite.filename_uri = sys.argv[1]; "
            "c.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE_OPENCREATE; "
            "m.MetadataStore(c)")
    subprocess.run([python, "-c", prep, copy], check=True)
    return copy


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("store")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--venv", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                   "target", "bench", "venv"))
    ap.add_argument("--case-timeout", type=float, default=120,
                    help="seconds one case (all its runs) of ml-metadata or cmflib may take")
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of " + ",".join(PEERS))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    ap.add_argument("--cases", help=argparse.SUPPRESS)
    a = ap.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` cleans up
    if a.worker:  # child process inside a peer's venv: one JSON line per message
        channel = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)  # whatever the libraries print goes to stderr, not into our messages

        def emit(msg):
            print(json.dumps(msg), file=channel, flush=True)
        run_cases(a.worker, a.store, json.loads(a.params), a.runs, a.cases.split(","), emit)
        return

    store = os.path.abspath(a.store)
    if not os.path.isfile(store):
        sys.exit(f"no such store: {a.store}")
    try:  # the commit prefix of filter_commit, and whether ml-metadata can read STORE as it is
        ro = sqlite3.connect(pathlib.Path(store).resolve().as_uri() + "?mode=ro", uri=True)
        row = ro.execute("SELECT string_value FROM ExecutionProperty WHERE execution_id = "
                         "(SELECT MIN(id) FROM Execution) AND name = ? AND is_custom_property = 0",
                         (COMMIT_PROP,)).fetchone()
        params = {"commit_prefix": (row[0] or "")[:6] if row else ""}
        has_simple_types = ro.execute(f"SELECT COUNT(*) FROM Type WHERE name IN ({','.join('?' * len(MLMD_SIMPLE_TYPES))})",
                                      MLMD_SIMPLE_TYPES).fetchone()[0] == len(MLMD_SIMPLE_TYPES)
        ro.close()
    except sqlite3.Error as e:
        sys.exit(f"{a.store}: not a readable MLMD SQLite store: {e}")
    wanted = [p for p in a.peers.split(",") if p]
    notes = [f"store {store} ({os.path.getsize(store) / 1e6:.1f} MB), {a.runs} runs per case (median), "
             f"Python {sys.version.split()[0]}; commit prefix '{params['commit_prefix']}'"]
    results = {}

    log(f"sqlite3 {sqlite3.sqlite_version} ...")
    answers = {}

    def collect(msg):
        if "fatal" in msg:
            notes.append(f"sqlite3: could not open the store: {msg['fatal']}")
        elif "case" in msg:
            answers[msg["case"]] = msg
    run_cases("sqlite3", store, params, a.runs, CASES, collect)
    results["sqlite3"] = answers
    notes.append(f"sqlite3: Python's sqlite3 with SQLite {sqlite3.sqlite_version}, store opened file:...?mode=ro")

    pythons = {}
    for peer in ("ml-metadata", "cmflib"):
        if peer in wanted:
            pythons[peer], note = ensure_venv(os.path.abspath(a.venv), peer)
            notes.append(note)
            log(note)
    tmpdir = tempfile.mkdtemp(prefix="mlmd-peers-")
    try:
        copy = None
        prep_python = pythons.get("ml-metadata") or pythons.get("cmflib")
        if prep_python:
            log("copying the store for ml-metadata/cmflib ...")
            copy = working_copy(store, prep_python, tmpdir)
        for peer in ("ml-metadata", "cmflib"):
            if peer not in wanted:
                continue
            if not pythons[peer]:
                results[peer] = {c: {"null": "not installed"} for c in CASES}
                continue
            path = store if peer == "ml-metadata" and has_simple_types else copy
            if path == copy:
                notes.append(f"{peer}: ran on a temporary copy of the store"
                             + ("" if has_simple_types or peer == "cmflib" else
                                " (the store lacks ml-metadata's built-in types mlmd.*, which "
                                "ml-metadata inserts on open, so READONLY on the store itself fails "
                                "with 'attempt to write a readonly database')")
                             + (" (cmflib opens READWRITE_OPENCREATE)" if peer == "cmflib" else ""))
            log(f"{peer} ...")
            results[peer] = run_worker(pythons[peer], peer, path, params, a.runs, a.case_timeout)
            notes += PEER_NOTES[peer]
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    # assemble, note nulls, short runs and disagreements with sqlite3
    out = {}
    base = results["sqlite3"]
    for peer, answers in results.items():
        out[peer] = {c: answers.get(c, {}).get("ms") for c in CASES}
        out[peer]["counts"] = {c: answers.get(c, {}).get("count") for c in CASES}
        for c in CASES:
            m = answers.get(c, {})
            if "null" in m and not (peer == "cmflib" and c == "filter_type"):
                notes.append(f"{peer}: {c} is null: {m['null']}")
            elif "runs" in m and m["runs"] < a.runs:
                notes.append(f"{peer}: {c} ran {m['runs']} time(s) only (over {SLOW_BUDGET_S} s)")
            if peer != "sqlite3" and "digest" in m and "digest" in base.get(c, {}) \
                    and m["digest"] != base[c]["digest"]:
                what = (f"count {m['count']} vs {base[c]['count']}" if m["count"] != base[c]["count"]
                        else "same count, different rows/ids/values")
                notes.append(f"WARNING: {peer} disagrees with sqlite3 on {c}: {what}")
    agree = [p for p in results if p != "sqlite3" and not any(
        "digest" in results[p].get(c, {}) and results[p][c]["digest"] != base.get(c, {}).get("digest")
        for c in CASES)]
    if agree:
        notes.append(f"{', '.join(agree)}: every answered case matches sqlite3 (ids, rows and statistics)")
    out["notes"] = notes
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
