#!/usr/bin/env python3
"""The Python table of `make bench`: cmflib's CmfQuery questions asked of one MLMD store by
mlmd-lens (``mlmd_lens.CmfQuery``, the drop-in: the Rust core as a Python extension), by
cmflib itself (``cmflib.cmfquery.CmfQuery``), by ml-metadata (``MetadataStore`` calls) and
by Python's sqlite3 (hand-written SQL), with the ratios cmflib/ours.

usage: python3 bench/cmfquery.py STORE.sqlite [--runs 3] [--venv DIR] [--case-timeout 60]
                                 [--ours-python PY] [--json OUT.json]
       python3 bench/cmfquery.py STORE.sqlite --from-json OUT.json   (the table again)

The questions (``CASES``) are cmflib's methods with the same arguments for everyone
(pipeline ``mnist``, its stage ``mnist/Train``, 50 execution ids, the artifacts named in the
table's notes). mlmd-lens and cmflib answer every one with the same call; ml-metadata and
sqlite3 answer the same question (same rows, as protos or tuples rather than a DataFrame)
where it has a direct equivalent, and ``—`` where it would mean re-implementing cmflib
(lineage walks, CMF's JSON). Each answer's row count is compared with mlmd-lens's; a
difference is a WARNING note. Each question is asked --runs times and the median shown; a
quick one is asked again until its runs add up to QUICK_S (at most peers.MAX_RUNS times),
so that a sub-millisecond answer's median is not its first calls' warm-up.

Every peer runs in its own process, one case at a time, and a case past --case-timeout
seconds is killed and shown as ``> T s``, its ratio as a lower bound (cmflib does not
finish several questions on 100k executions). mlmd-lens runs in --ours-python (default: $MLMD_LENS_PYTHON, else the
notebook venv, target/notebook-venv), which must have the mlmd-lens wheel and pandas;
cmflib and ml-metadata in the venvs bench/peers.py makes (--venv, default
target/bench/venv). cmflib opens its store read-write, so cmflib and ml-metadata get a
temporary copy (bench/peers.py's working_copy).

Prints a Markdown table on stdout (and the JSON of the timings to --json).
"""
import argparse
import json
import os
import pathlib
import queue
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402  (bench/peers.py: venvs, copies, timing)

CASES = [
    "open", "get_pipeline_names", "get_pipeline_id", "get_pipeline_stages",
    "get_all_executions_in_pipeline", "get_all_executions_in_stage", "get_all_exe_in_stage",
    "get_all_executions_by_ids_list", "get_all_artifacts_for_execution",
    "get_all_executions_for_artifact", "get_one_hop_parent_artifacts", "get_one_hop_child_artifacts",
    "get_all_parent_artifacts", "get_all_child_artifacts", "find_producer_execution", "dumptojson",
]
PIPELINE, STAGE = "mnist", "mnist/Train"
PEER_ORDER = ["mlmd-lens", "cmflib", "ml-metadata", "sqlite3"]
# A question is asked --runs times, or more (at most peers.MAX_RUNS) until its runs add up
# to this many seconds: every peer's quick questions get a median of their steady state.
QUICK_S = 0.2


def count(result):
    """Rows of an answer: a DataFrame's or a list's length, 1 for one object, 0 for None."""
    if result is None:
        return 0
    if hasattr(result, "shape"):
        return int(result.shape[0])
    if isinstance(result, (list, tuple, set)):
        return len(result)
    if isinstance(result, str):  # dumptojson
        return sum(len(s["executions"]) for p in json.loads(result)["Pipeline"] for s in p["stages"])
    return 1


def cmfquery_cases(q_class, store, p):
    """The cases as calls of a CmfQuery class (cmflib's, or mlmd-lens's drop-in)."""
    q = q_class(store)
    return {
        "open": lambda: q_class(store),
        "get_pipeline_names": q.get_pipeline_names,
        "get_pipeline_id": lambda: q.get_pipeline_id(PIPELINE),
        "get_pipeline_stages": lambda: q.get_pipeline_stages(PIPELINE),
        "get_all_executions_in_pipeline": lambda: q.get_all_executions_in_pipeline(PIPELINE),
        "get_all_executions_in_stage": lambda: q.get_all_executions_in_stage(STAGE),
        "get_all_exe_in_stage": lambda: q.get_all_exe_in_stage(STAGE),
        "get_all_executions_by_ids_list": lambda: q.get_all_executions_by_ids_list(p["ids"]),
        "get_all_artifacts_for_execution": lambda: q.get_all_artifacts_for_execution(p["execution"]),
        "get_all_executions_for_artifact": lambda: q.get_all_executions_for_artifact(p["artifact"]),
        "get_one_hop_parent_artifacts": lambda: q.get_one_hop_parent_artifacts(p["artifact"]),
        "get_one_hop_child_artifacts": lambda: q.get_one_hop_child_artifacts(p["artifact"]),
        "get_all_parent_artifacts": lambda: q.get_all_parent_artifacts(p["early"]),
        "get_all_child_artifacts": lambda: q.get_all_child_artifacts(p["late"]),
        "find_producer_execution": lambda: q.find_producer_execution(p["artifact"]),
        "dumptojson": lambda: q.dumptojson(PIPELINE),
    }


def peer_mlmd_lens(store, p):
    import mlmd_lens
    import pandas  # noqa: F401  (imported on first use: not inside the first timing)

    return cmfquery_cases(mlmd_lens.CmfQuery, store, p)


def peer_cmflib(store, p):
    from cmflib.cmfquery import CmfQuery

    return cmfquery_cases(CmfQuery, store, p)


def peer_ml_metadata(store, p):
    """The same questions with ml-metadata's own calls (protos, not DataFrames)."""
    from ml_metadata.metadata_store import metadata_store
    from ml_metadata.proto import metadata_store_pb2 as pb

    def connect():
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = store
        config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READONLY
        return metadata_store.MetadataStore(config)

    ms = connect()

    def pipeline():
        return ms.get_context_by_type_and_name("Parent_Context", PIPELINE)

    def stage_executions():
        stage = ms.get_context_by_type_and_name("Pipeline_Stage", STAGE)
        return ms.get_executions_by_context(stage.id) if stage else []

    def artifact(name):
        found = ms.get_artifacts(list_options=metadata_store.ListOptions(filter_query=f"name = '{name}'"))
        return found[0] if found else None

    def executions_for_artifact():
        a = artifact(p["artifact"])
        events = ms.get_events_by_artifact_ids([a.id]) if a else []
        return ms.get_executions_by_id([e.execution_id for e in events]) if events else []

    def one_hop(via, to):
        a = artifact(p["artifact"])
        if not a:
            return []
        execs = [e.execution_id for e in ms.get_events_by_artifact_ids([a.id]) if e.type == via]
        ids = {e.artifact_id for e in ms.get_events_by_execution_ids(execs) if e.type == to} if execs else set()
        return ms.get_artifacts_by_id(list(ids)) if ids else []

    def producer():
        a = artifact(p["artifact"])
        ids = [e.execution_id for e in ms.get_events_by_artifact_ids([a.id]) if e.type == pb.Event.OUTPUT] if a else []
        return (ms.get_executions_by_id(ids) or [None])[0] if ids else None

    def artifacts_for_execution():
        events = ms.get_events_by_execution_ids([p["execution"]])
        return ms.get_artifacts_by_id([e.artifact_id for e in events])

    return {
        "open": connect,
        "get_pipeline_names": lambda: [c.name for c in ms.get_contexts_by_type("Parent_Context")],
        "get_pipeline_id": lambda: pipeline().id,
        "get_pipeline_stages": lambda: [c.name for c in ms.get_children_contexts_by_context(pipeline().id)],
        "get_all_executions_in_pipeline": lambda: [e for s in ms.get_children_contexts_by_context(pipeline().id)
                                                   for e in ms.get_executions_by_context(s.id)],
        "get_all_executions_in_stage": stage_executions,
        "get_all_exe_in_stage": stage_executions,
        "get_all_executions_by_ids_list": lambda: ms.get_executions_by_id(p["ids"]),
        "get_all_artifacts_for_execution": artifacts_for_execution,
        "get_all_executions_for_artifact": executions_for_artifact,
        "get_one_hop_parent_artifacts": lambda: one_hop(pb.Event.OUTPUT, pb.Event.INPUT),
        "get_one_hop_child_artifacts": lambda: one_hop(pb.Event.INPUT, pb.Event.OUTPUT),
        "find_producer_execution": producer,
    }


def peer_sqlite3(store, p):
    """The same questions in hand-written SQL (rows as tuples)."""
    uri = pathlib.Path(store).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)

    def rows(sql, *args):
        return db.execute(sql, args).fetchall()

    pipelines = ("SELECT c.id, c.name FROM Context c JOIN Type t ON t.id = c.type_id"
                 " WHERE t.name = 'Parent_Context' ORDER BY c.id")
    stage_execs = """
        SELECT e.*, x.name, x.int_value, x.double_value, x.string_value FROM Execution e
        JOIN Association a ON a.execution_id = e.id
        LEFT JOIN ExecutionProperty x ON x.execution_id = e.id
        WHERE a.context_id = ? ORDER BY e.create_time_since_epoch DESC, e.id DESC"""

    def grouped(result):  # one entry per execution (property rows joined in)
        return list(dict.fromkeys(r[0] for r in result))

    def pipeline_id():
        r = rows(pipelines.replace("ORDER BY", "AND c.name = ? ORDER BY"), PIPELINE)
        return r[0][0] if r else -1

    def stages():
        return rows("SELECT c.id, c.name FROM ParentContext pc JOIN Context c ON c.id = pc.context_id"
                    " WHERE pc.parent_context_id = ? ORDER BY c.id", pipeline_id())

    def stage_id():
        return [i for i, n in stages() if n == STAGE][0]

    artifact_id = "(SELECT id FROM Artifact WHERE name = ? ORDER BY id LIMIT 1)"
    with_props = """
        SELECT a.*, t.name, x.name, x.int_value, x.double_value, x.string_value FROM Artifact a
        JOIN Type t ON t.id = a.type_id LEFT JOIN ArtifactProperty x ON x.artifact_id = a.id
        WHERE a.id IN ({}) ORDER BY a.id"""

    return {
        "open": lambda: sqlite3.connect(uri, uri=True).execute("SELECT 1").fetchone(),
        "get_pipeline_names": lambda: [n for _, n in rows(pipelines)],
        "get_pipeline_id": pipeline_id,
        "get_pipeline_stages": lambda: [n for _, n in stages()],
        "get_all_executions_in_pipeline": lambda: [e for s, _ in stages() for e in grouped(rows(stage_execs, s))],
        "get_all_executions_in_stage": lambda: grouped(rows(stage_execs, stage_id())),
        "get_all_exe_in_stage": lambda: grouped(rows(stage_execs, stage_id())),
        "get_all_executions_by_ids_list": lambda: grouped(rows(
            "SELECT e.id, x.name, x.int_value, x.double_value, x.string_value FROM Execution e"
            " LEFT JOIN ExecutionProperty x ON x.execution_id = e.id"
            f" WHERE e.id IN ({','.join('?' * len(p['ids']))}) ORDER BY e.id", *p["ids"])),
        "get_all_artifacts_for_execution": lambda: rows(
            "SELECT ev.type, a.id FROM Event ev JOIN Artifact a ON a.id = ev.artifact_id"
            " WHERE ev.execution_id = ? ORDER BY ev.id", p["execution"]),
        "get_all_executions_for_artifact": lambda: rows(f"""
            SELECT ev.type, e.id, e.name, s.name, pp.name FROM Event ev JOIN Execution e ON e.id = ev.execution_id
            LEFT JOIN Association a ON a.execution_id = e.id LEFT JOIN Context s ON s.id = a.context_id
            LEFT JOIN ParentContext pc ON pc.context_id = s.id LEFT JOIN Context pp ON pp.id = pc.parent_context_id
            WHERE ev.artifact_id = {artifact_id} GROUP BY ev.id ORDER BY ev.id""", p["artifact"]),
        "get_one_hop_parent_artifacts": lambda: grouped(rows(with_props.format(f"""
            SELECT i.artifact_id FROM Event o JOIN Event i ON i.execution_id = o.execution_id AND i.type = 3
            WHERE o.artifact_id = {artifact_id} AND o.type = 4"""), p["artifact"])),
        "get_one_hop_child_artifacts": lambda: grouped(rows(with_props.format(f"""
            SELECT o.artifact_id FROM Event i JOIN Event o ON o.execution_id = i.execution_id AND o.type = 4
            WHERE i.artifact_id = {artifact_id} AND i.type = 3"""), p["artifact"])),
        "find_producer_execution": lambda: rows(
            f"SELECT MIN(execution_id) FROM Event WHERE artifact_id = {artifact_id} AND type = 4", p["artifact"])[:1],
    }


PEERS = {"mlmd-lens": peer_mlmd_lens, "cmflib": peer_cmflib, "ml-metadata": peer_ml_metadata,
         "sqlite3": peer_sqlite3}


def run_cases(peer, store, params, runs, cases, emit):
    try:
        table = PEERS[peer](store, params)
    except Exception as e:  # noqa: BLE001 - reported
        emit({"fatal": f"{type(e).__name__}: {e}".splitlines()[0]})
        return
    for case in cases:
        fn = table.get(case)
        if fn is None:
            emit({"case": case, "null": "no equivalent"})
            continue
        peers.log(f"  {peer}: {case} ...")
        try:
            ms, result, done = peers.time_case(fn, runs, QUICK_S)
        except Exception as e:  # noqa: BLE001
            emit({"case": case, "null": f"failed: {type(e).__name__}"})
            continue
        emit({"case": case, "ms": ms, "count": count(result), "runs": done})


def run_worker(python, peer, store, params, runs, timeout):
    """Runs a peer in `python`, case by case; a case past `timeout` s is killed (null) and
    the worker restarted for the rest. Returns {case: message}."""
    remaining, out = list(CASES), {}
    while remaining:
        cmd = [python, os.path.abspath(__file__), "--worker", peer, store, "--runs", str(runs),
               "--params", json.dumps(params), "--cases", ",".join(remaining)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        lines = queue.Queue()

        def pump(stream=proc.stdout, q=lines):
            for line in stream:
                q.put(line)
            q.put(None)

        threading.Thread(target=pump, daemon=True).start()
        try:
            how = peers.read_worker(proc, lines, remaining, out, timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if how == "fatal":
            break
    return out


def params_of(store):
    """The arguments of the cases, read from the store: 50 execution ids; the output of
    mnist's 10th execution (`artifact`, `early`: a few hops from the lineage's start) and of
    its 10th last (`late`: a few hops from its end) — cmflib's recursive walks go one
    Python call per hop and stop at Python's recursion limit (~1000 hops)."""
    db = sqlite3.connect(pathlib.Path(store).resolve().as_uri() + "?mode=ro", uri=True)
    n = db.execute("SELECT COUNT(*) FROM Execution").fetchone()[0]
    outputs = [r[0] for r in db.execute("""
        SELECT ar.name FROM Context p JOIN ParentContext pc ON pc.parent_context_id = p.id
        JOIN Association a ON a.context_id = pc.context_id JOIN Event ev ON ev.execution_id = a.execution_id
        JOIN Artifact ar ON ar.id = ev.artifact_id
        WHERE p.name = ? AND ev.type = 4 ORDER BY ev.execution_id, ev.id""", (PIPELINE,))]
    ids = [r[0] for r in db.execute("SELECT id FROM Execution ORDER BY id LIMIT 50 OFFSET ?", (min(100, n // 2),))]
    execution = db.execute("""
        SELECT ev.execution_id FROM Event ev JOIN Artifact ar ON ar.id = ev.artifact_id
        WHERE ar.name = ? AND ev.type = 4""", (outputs[min(10, len(outputs) - 1)],)).fetchone()[0]
    db.close()
    return {"ids": ids, "execution": execution, "artifact": outputs[min(10, len(outputs) - 1)],
            "early": outputs[min(10, len(outputs) - 1)], "late": outputs[max(0, len(outputs) - 10)]}


def fmt(v):
    return "—" if v is None else f"{v:.2f}" if v < 10 else f"{v:.0f}" if v >= 1000 else f"{v:.1f}"


def ratio(a, b):
    if a is None or not b:
        return "—"
    x = a / b
    return f"{x:,.0f}×" if x >= 100 else f"{x:.1f}×"


def killed_after(m):
    """The timeout of a killed case (seconds), or None."""
    why = m.get("null") or ""
    if why.startswith("killed after "):
        return float(why.split()[2])
    return None


def table(label, results, notes):
    head = ["question", *[f"{p} ms" for p in PEER_ORDER], "cmflib / mlmd-lens", "ml-metadata / mlmd-lens",
            "sqlite3 / mlmd-lens", "rows"]
    lines = [f"\n### {label}: cmflib's CmfQuery questions from Python\n", f"| {' | '.join(head)} |",
             f"|{'|'.join('---' for _ in head)}|"]
    for c in CASES:
        got = {p: results.get(p, {}).get(c, {}) for p in PEER_ORDER}
        ms = {p: got[p].get("ms") for p in PEER_ORDER}
        ours = ms["mlmd-lens"]
        cells, ratios = [], []
        for p in PEER_ORDER:
            limit = killed_after(got[p])
            # A killed case took longer than the timeout: both figures are lower bounds.
            cells.append(f"> {limit:g} s" if limit else fmt(ms[p]))
            if p != "mlmd-lens":
                ratios.append(f"> {ratio(limit * 1000, ours)}" if limit and ours else ratio(ms[p], ours))
        rows = got["mlmd-lens"].get("count")
        lines.append("| " + " | ".join([f"`{c}`", *cells, *ratios, "—" if rows is None else str(rows)]) + " |")
    lines += [f"- note: {n}" for n in notes]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--venv", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                   "target", "bench", "venv"))
    ap.add_argument("--case-timeout", type=float, default=60)
    ap.add_argument("--ours-python", default=os.environ.get("MLMD_LENS_PYTHON") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "notebook-venv", "bin", "python"))
    ap.add_argument("--json", help="also write the timings here")
    ap.add_argument("--from-json", help="print the table of timings written by --json, and stop")
    ap.add_argument("--peers", default=",".join(PEER_ORDER), help="comma-separated subset of " + ",".join(PEER_ORDER))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    ap.add_argument("--cases", help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.worker:
        channel = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)

        def emit(msg):
            print(json.dumps(msg), file=channel, flush=True)
        run_cases(a.worker, a.store, json.loads(a.params), a.runs, a.cases.split(","), emit)
        return

    if a.from_json:
        saved = json.loads(pathlib.Path(a.from_json).read_text())
        print(table(saved.get("label", a.store), saved["results"], saved["notes"]))
        return
    store = os.path.abspath(a.store)
    params = params_of(store)
    notes = [f"store {store} ({os.path.getsize(store) / 1e6:.1f} MB); median of {a.runs} runs (a quick question: "
             f"of as many as take {QUICK_S:g} s, at most {peers.MAX_RUNS}), a question "
             f"running past {a.case_timeout:g} s is killed (> {a.case_timeout:g} s); pipeline `{PIPELINE}`, stage `{STAGE}`, "
             f"execution {params['execution']}, 50 execution ids from {params['ids'][0] if params['ids'] else '-'}, artifact "
             f"`{params['artifact']}` (parents: the same; children: `{params['late']}`)"]
    wanted = [p for p in a.peers.split(",") if p]
    pythons = {"sqlite3": sys.executable}
    if "mlmd-lens" in wanted:
        pythons["mlmd-lens"], note = peers.ensure_ours(a.ours_python)
        notes.append(note + " (mlmd_lens.CmfQuery)")
    for peer in ("cmflib", "ml-metadata"):  # installed only when asked for
        if peer in wanted:
            pythons[peer], note = peers.ensure_venv(os.path.abspath(a.venv), peer)
            notes.append(note)
    results = {}
    tmpdir = tempfile.mkdtemp(prefix="mlmd-cmfquery-")
    try:
        prep = pythons.get("ml-metadata") or pythons.get("cmflib")
        copy = peers.working_copy(store, prep, tmpdir) if prep else None
        for peer in PEER_ORDER:
            if not pythons.get(peer) or peer not in wanted:
                continue
            path = copy if peer in ("cmflib", "ml-metadata") else store
            peers.log(f"{peer} ...")
            results[peer] = run_worker(pythons[peer], peer, path, params, a.runs, a.case_timeout)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    ours = results.get("mlmd-lens", {})
    for peer, answers in results.items():
        for c, m in answers.items():
            if "null" in m and m["null"] != "no equivalent":
                notes.append(f"{peer}: {c}: {m['null']}")
            elif "runs" in m and m["runs"] < a.runs:
                notes.append(f"{peer}: {c} ran {m['runs']} time(s) only (over {peers.SLOW_BUDGET_S} s)")
            if peer != "mlmd-lens" and "count" in m and "count" in ours.get(c, {}) and m["count"] != ours[c]["count"]:
                notes.append(f"WARNING: {peer} answers {c} with {m['count']} rows, mlmd-lens with {ours[c]['count']}")
    notes.append("ml-metadata and sqlite3 answer the same question with their own calls / SQL (rows as protos "
                 "or tuples, no DataFrame); — where the answer would mean re-implementing cmflib (lineage "
                 "walks, dumptojson). rows: mlmd-lens's (dumptojson: executions in the JSON)")
    n = sqlite3.connect(pathlib.Path(store).resolve().as_uri() + "?mode=ro", uri=True).execute(
        "SELECT COUNT(*) FROM Execution").fetchone()[0]
    label = f"{n} executions"
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps({"label": label, "results": results, "notes": notes}, indent=1))
    print(table(label, results, notes))


if __name__ == "__main__":
    main()
