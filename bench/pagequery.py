#!/usr/bin/env python3
"""The filtered, sorted, paged questions of the Python table (issue 15): what the viewer asks,
asked from Python of ``mlmd_lens.Store.executions(query=…, sort=…, offset=…, limit=50)`` and of
Python's sqlite3 running hand-written SQL that returns the same answer: the count of every
match, then the page's 50 ids in the same order with their rows (name, type, pipeline, stage,
state, start and end, git commit).

usage: python3 bench/pagequery.py STORE.sqlite [--runs 5] [--ours-python PY] [--json OUT.json]

Every ask uses a new value (a status, a stage, a threshold, a day, a word, a property to sort
by; six of each, so --runs up to 5), so that no cache of a previous answer can help either
side:

- ``cold``: the first question after the store is opened (ours: ``mlmd_lens.Store(path)``, not
  timed — its time is the ``open`` row; sqlite3: a new connection), with value 0;
- ``new value``: the median of --runs more asks of the same question with values 1..runs, on
  the same store / connection (ours then reads the columns it loaded for the first ask;
  sqlite3 the pages its first ask brought into its cache).

Each side runs in a process of its own (ours in --ours-python, default $MLMD_LENS_PYTHON or the
notebook venv; sqlite3 in this Python), a fresh process per question for the cold ask. Both
sides' answers — total, ids in order, and the rows' state, start, pipeline, stage and commit —
are compared ask by ask; a difference is a WARNING note and the exit code 1.

Prints a Markdown table on stdout (and the JSON of the timings to --json).
"""
import argparse
import json
import os
import pathlib
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402  (bench/peers.py: the shared venv of mlmd-lens)

PAGE = 50
# The values asked, one per ask (ask 0 is the cold one).
STATUSES = [("failed", 4), ("completed", 3), ("canceled", 6), ("cached", 5), ("running", 2), ("pending", 1)]
STAGES = ["Train", "Evaluate", "Prepare", "Deploy", "Featurize", "train"]  # the 6th: any case (5 stages)
LR_BELOW = [0.01, 0.002, 0.05, 0.0007, 0.2, 0.001]
# Five digits: cmflib leaves names NULL, and the name shown is then `<Stage>_<8 hex digits of
# its uuid>` (CMF_CONVENTIONS.md), which sqlite3's `Execution.name` does not hold; a word of
# five digits meets such a name once in ~10^6.
NAME_WORDS = ["train_00001", "evaluate_00012", "prepare_00002", "deploy_00013", "featurize_00004", "train_00035"]
SORT_PROPS = ["learning_rate", "dropout", "epochs", "batch_size", "Pipeline_id", "Context_ID"]
# gen_large.py's first five pipelines (every store it makes has them).
COMBINED = [("mnist", "failed", "canceled", 10), ("cifar10", "completed", "cached", 20),
            ("fraud-detection", "running", "failed", 5), ("churn", "canceled", "completed", 50),
            ("bert-finetune", "failed", "cached", 10), ("mnist", "completed", "pending", 20)]
STATE = dict(STATUSES)
QUESTIONS = ["status", "stage", "property", "date", "name", "sort_property", "combined"]
DESCRIBE = {
    "status": "`status:S` (S: failed, completed, …)",
    "stage": "`stage=S` (S: Train, Evaluate, …, then train)",
    "property": "`property:learning_rate<X` (X: 0.01, 0.002, …)",
    "date": "`date>=D date<D+2d`, sort `-started` (D: a day of the store)",
    "name": "`name:W` (W: train_00001, evaluate_00012, …)",
    "sort_property": "sort `-property:P`, page 3 (P: learning_rate, dropout, …)",
    "combined": "`pipeline=P AND (status:A OR status:B) AND property:epochs>N`",
}


def days_of(store):
    """The first day of the store's starts (UTC midnight, epoch ms) and how many days it spans."""
    db = sqlite3.connect(pathlib.Path(store).resolve().as_uri() + "?mode=ro", uri=True)
    lo, hi = db.execute("SELECT MIN(create_time_since_epoch), MAX(create_time_since_epoch) FROM Execution").fetchone()
    db.close()
    first = datetime.fromtimestamp((lo or 0) / 1000, timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(first.timestamp() * 1000), max(1, int(((hi or 0) - (lo or 0)) / 86_400_000))


def date_range(params, i):
    """Ask i's two-day range: starts on a different day each ask, within the store's span."""
    day = (i * 3) % max(1, params["days"] - 1)
    lo = params["first_day"] + day * 86_400_000
    return lo, lo + 2 * 86_400_000


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# ours: mlmd_lens.Store.executions
# ---------------------------------------------------------------------------------------------

def ours_options(question, i, params):
    """The keywords of Store.executions for ask i of a question."""
    if question == "status":
        return {"query": f"status:{STATUSES[i % len(STATUSES)][0]}", "limit": PAGE}
    if question == "stage":
        return {"query": f"stage={STAGES[i % len(STAGES)]}", "limit": PAGE}
    if question == "property":
        return {"query": f"property:learning_rate<{LR_BELOW[i % len(LR_BELOW)]}", "limit": PAGE}
    if question == "date":
        lo, hi = date_range(params, i)
        return {"query": f"date>={iso(lo)} date<{iso(hi)}", "sort": "-started", "limit": PAGE}
    if question == "name":
        return {"query": f"name:{NAME_WORDS[i % len(NAME_WORDS)]}", "limit": PAGE}
    if question == "sort_property":
        return {"sort": f"-property:{SORT_PROPS[i % len(SORT_PROPS)]}", "offset": 2 * PAGE, "limit": PAGE}
    if question == "combined":
        p, a, b, n = COMBINED[i % len(COMBINED)]
        return {"query": f"pipeline={p} AND (status:{a} OR status:{b}) AND property:epochs>{n}", "limit": PAGE}
    raise ValueError(question)


def ours_worker(store, question, runs, params):
    import mlmd_lens

    s = mlmd_lens.Store(store)

    def ask(i):
        page = s.executions(**ours_options(question, i, params))
        return page["total"], [[r["id"], r["state"], r["startedMs"], r["pipeline"], r["stage"], r["gitCommit"]]
                               for r in page["rows"]]
    return ask


def ours_open(store):
    import mlmd_lens

    return mlmd_lens.Store(store)


# ---------------------------------------------------------------------------------------------
# sqlite3: hand-written SQL, the same answers
# ---------------------------------------------------------------------------------------------

# The rows of a page of ids (in the page's order): the execution's columns, its type's name,
# its stage context (cmflib: the Pipeline_Stage context it is associated with; the first by id),
# that context's parent (the pipeline) and its declared Git_Start_Commit.
ROWS = """
    WITH page(pos, id) AS (SELECT key, value FROM json_each(?)),
    stage AS (SELECT a.execution_id, MIN(c.id) AS sid FROM Association a
              JOIN Context c ON c.id = a.context_id
              JOIN Type ct ON ct.id = c.type_id AND ct.name = 'Pipeline_Stage'
              WHERE a.execution_id IN (SELECT id FROM page) GROUP BY a.execution_id)
    SELECT e.id, e.last_known_state, e.create_time_since_epoch, p.name, s.name, g.string_value,
           e.name, t.name, e.last_update_time_since_epoch
    FROM page JOIN Execution e ON e.id = page.id
    LEFT JOIN Type t ON t.id = e.type_id
    LEFT JOIN stage st ON st.execution_id = e.id
    LEFT JOIN Context s ON s.id = st.sid
    LEFT JOIN ParentContext pc ON pc.context_id = s.id
    LEFT JOIN Context p ON p.id = pc.parent_context_id
    LEFT JOIN ExecutionProperty g ON g.execution_id = e.id AND g.name = 'Git_Start_Commit'
                                 AND g.is_custom_property = 0
    ORDER BY page.pos"""
# a property's numeric value, whichever column holds it (cmflib writes floats as text)
NUM = "COALESCE(x.double_value, x.int_value, CAST(x.string_value AS REAL))"
PIPELINE_IDS = """
    SELECT a.execution_id FROM Context p
    JOIN Type pt ON pt.id = p.type_id AND pt.name = 'Parent_Context'
    JOIN ParentContext pc ON pc.parent_context_id = p.id
    JOIN Association a ON a.context_id = pc.context_id
    WHERE p.name = ?"""
STAGE_IDS = """
    SELECT a.execution_id FROM Context s
    JOIN Type st ON st.id = s.type_id AND st.name = 'Pipeline_Stage'
    JOIN ParentContext pc ON pc.context_id = s.id
    JOIN Context p ON p.id = pc.parent_context_id
    JOIN Association a ON a.context_id = s.id
    WHERE s.name = p.name || '/' || ? COLLATE NOCASE"""


def sqlite3_matches(question, i, params):
    """(SQL of the matching executions' ids as `e.id` over `Execution e`, its arguments,
    ORDER BY, offset) for ask i."""
    if question == "status":
        return "SELECT e.id FROM Execution e WHERE e.last_known_state = ?", \
            [STATUSES[i % len(STATUSES)][1]], "e.id", 0
    if question == "stage":
        return f"SELECT e.id FROM Execution e WHERE e.id IN ({STAGE_IDS})", [STAGES[i % len(STAGES)]], "e.id", 0
    if question == "property":
        return ("SELECT e.id FROM Execution e WHERE e.id IN (SELECT x.execution_id FROM ExecutionProperty x"
                f" WHERE x.name = 'learning_rate' AND x.is_custom_property = 1 AND {NUM} < ?)",
                [LR_BELOW[i % len(LR_BELOW)]], "e.id", 0)
    if question == "date":
        lo, hi = date_range(params, i)
        return ("SELECT e.id FROM Execution e WHERE e.create_time_since_epoch >= ? AND e.create_time_since_epoch < ?",
                [lo, hi], "e.create_time_since_epoch DESC, e.id DESC", 0)
    if question == "name":
        return "SELECT e.id FROM Execution e WHERE instr(lower(e.name), ?) > 0", \
            [NAME_WORDS[i % len(NAME_WORDS)]], "e.id", 0
    if question == "sort_property":
        prop = SORT_PROPS[i % len(SORT_PROPS)]
        return ("SELECT e.id FROM Execution e LEFT JOIN ExecutionProperty x ON x.execution_id = e.id"
                f" AND x.name = '{prop}'", [], f"{NUM} IS NULL, {NUM} DESC, e.id", 2 * PAGE)
    if question == "combined":
        p, a, b, n = COMBINED[i % len(COMBINED)]
        return (f"""SELECT e.id FROM Execution e
                WHERE e.last_known_state IN (?, ?) AND e.id IN ({PIPELINE_IDS})
                  AND EXISTS (SELECT 1 FROM ExecutionProperty x WHERE x.execution_id = e.id
                              AND x.name = 'epochs' AND x.is_custom_property = 1 AND {NUM} > ?)""",
                [STATE[a], STATE[b], p, n], "e.id", 0)
    raise ValueError(question)


def sqlite3_connect(store):
    return sqlite3.connect(pathlib.Path(store).resolve().as_uri() + "?mode=ro", uri=True)


def sqlite3_worker(store, question, runs, params):
    db = sqlite3_connect(store)

    def ask(i):
        sql, args, order, offset = sqlite3_matches(question, i, params)
        total = db.execute(f"SELECT COUNT(*) FROM ({sql})", args).fetchone()[0]
        ids = [r[0] for r in db.execute(f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", [*args, PAGE, offset])]
        rows = db.execute(ROWS, (json.dumps(ids),)).fetchall()
        return total, [[r[0], r[1], r[2], r[3] or "", (r[4] or "").split("/", 1)[-1], r[5] or ""] for r in rows]
    return ask


def sqlite3_open(store):
    db = sqlite3_connect(store)
    db.execute("SELECT COUNT(*) FROM Execution").fetchone()
    return db


WORKERS = {"mlmd-lens": (ours_worker, ours_open), "sqlite3": (sqlite3_worker, sqlite3_open)}


def worker(peer, store, question, runs, params):
    """One question, in this process: the cold ask, then `runs` asks with new values.
    Prints {cold, warm[], answers[]} (ms; answers: (total, rows) of every ask) as JSON."""
    make, opener = WORKERS[peer]
    if question == "open":
        t0 = time.perf_counter()
        opener(store)
        print(json.dumps({"cold": (time.perf_counter() - t0) * 1000, "warm": [], "answers": []}))
        return
    ask = make(store, question, runs, params)
    times, answers = [], []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        answer = ask(i)
        times.append((time.perf_counter() - t0) * 1000)
        answers.append(answer)
    print(json.dumps({"cold": times[0], "warm": times[1:], "answers": answers}))


def run(python, peer, store, question, runs, params):
    r = subprocess.run([python, os.path.abspath(__file__), store, "--worker", peer, "--question", question,
                        "--runs", str(runs), "--params", json.dumps(params)], capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or [f"exit code {r.returncode}"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def fmt(v):
    return "—" if v is None else f"{v:.2f}" if v < 10 else f"{v:.0f}" if v >= 1000 else f"{v:.1f}"


def ratio(a, b):
    return "—" if a is None or not b else f"{a / b:.1f}×"


def table(label, results, notes):
    head = ["question", "mlmd-lens ms cold", "sqlite3 ms cold", "sqlite3 / mlmd-lens cold",
            "mlmd-lens ms new value", "sqlite3 ms new value", "sqlite3 / mlmd-lens new value", "total (ask 0)"]
    lines = [f"\n### {label}: the filtered, sorted, paged questions from Python (50 rows a page)\n",
             f"| {' | '.join(head)} |", f"|{'|'.join('---' for _ in head)}|"]
    for q in ["open", *QUESTIONS]:
        o, s = results.get("mlmd-lens", {}).get(q, {}), results.get("sqlite3", {}).get(q, {})
        ow = statistics.median(o["warm"]) if o.get("warm") else None
        sw = statistics.median(s["warm"]) if s.get("warm") else None
        total = o["answers"][0][0] if o.get("answers") else "—"
        name = "open" if q == "open" else DESCRIBE[q]
        lines.append(f"| {name} | {fmt(o.get('cold'))} | {fmt(s.get('cold'))} | {ratio(s.get('cold'), o.get('cold'))} "
                     f"| {fmt(ow)} | {fmt(sw)} | {ratio(sw, ow)} | {total} |")
    lines += [f"- note: {n}" for n in notes]
    return "\n".join(lines)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ours-python", default=os.environ.get("MLMD_LENS_PYTHON") or os.path.join(
        root, "target", "notebook-venv", "bin", "python"))
    ap.add_argument("--json", help="also write the timings here")
    ap.add_argument("--questions", default=",".join(QUESTIONS), help="comma-separated subset of " + ",".join(QUESTIONS))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--question", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.store, a.question, a.runs, json.loads(a.params))
        return

    store = os.path.abspath(a.store)
    first_day, days = days_of(store)
    params = {"first_day": first_day, "days": days}
    notes = [f"store {store} ({os.path.getsize(store) / 1e6:.1f} MB); cold: the first ask after the open, in a "
             f"new process; new value: median of {a.runs} more asks, each with a value not asked before; "
             "ours: mlmd_lens.Store(path).executions(query=…, sort=…, offset=…, limit=50) → total + 50 rows; "
             "sqlite3: COUNT(*) of the matches, the page's 50 ids (ORDER BY … LIMIT 50 OFFSET …), then their "
             "rows (name, type, pipeline, stage, state, times, Git_Start_Commit) in one query",
             f"sqlite3: Python {sys.version.split()[0]}'s sqlite3 with SQLite {sqlite3.sqlite_version}, "
             "file:…?mode=ro; open: ours reads the file and builds its index, sqlite3 connects and counts"]
    ours_py, note = peers.ensure_ours(a.ours_python)
    notes.append(note)
    pythons = {"mlmd-lens": ours_py, "sqlite3": sys.executable}
    results, failed = {}, False
    for q in ["open", *[q for q in a.questions.split(",") if q]]:
        for peer in ("mlmd-lens", "sqlite3"):
            if not pythons[peer]:
                continue
            peers.log(f"  {peer}: {q} ...")
            results.setdefault(peer, {})[q] = m = run(pythons[peer], peer, store, q, a.runs, params)
            if "error" in m:
                notes.append(f"{peer}: {q} failed: {m['error']}")
                failed = True
        o, s = results.get("mlmd-lens", {}).get(q, {}), results.get("sqlite3", {}).get(q, {})
        for i, (x, y) in enumerate(zip(o.get("answers", []), s.get("answers", []))):
            if x != y:
                failed = True
                what = (f"total {x[0]} vs {y[0]}" if x[0] != y[0] else
                        "ids differ" if [r[0] for r in x[1]] != [r[0] for r in y[1]] else "rows differ")
                notes.append(f"WARNING: {q} ask {i} ({ours_options(q, i, params)}): mlmd-lens and sqlite3 "
                             f"disagree: {what}")
                break
        else:
            if o.get("answers") and s.get("answers"):
                notes.append(f"{q}: the {len(o['answers'])} answers agree (total, ids in order, rows)")
    n = sqlite3_connect(store).execute("SELECT COUNT(*) FROM Execution").fetchone()[0]
    label = f"{n} executions"
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps({"label": label, "results": results, "notes": notes}, indent=1))
    print(table(label, results, notes))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
