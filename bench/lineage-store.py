"""A copy of a gen_large.py store for the lineage benchmark. gen_large.py links each
pipeline's executions in a chain (each reads the previous one's output), so its lineage
graphs are paths; here every execution also reads the outputs of the executions two and
three steps back in its chain (skip connections, as a stage that reads both the latest and
an older dataset). The lineage graph of an execution in the middle, 8 hops each way and
at most 400 nodes, is then a layered graph of a few hundred nodes with long edges and
crossings — what bench/wasm.mjs and examples/bench.rs time (`lineage_graph`).

usage: python3 bench/lineage-store.py STORE.sqlite OUT.sqlite
"""
import shutil
import sqlite3
import sys

src, dst = sys.argv[1:3]
shutil.copyfile(src, dst)
db = sqlite3.connect(dst)
output = dict(db.execute("SELECT execution_id, min(artifact_id) FROM Event WHERE type = 4 GROUP BY execution_id"))
producer = {a: e for e, a in output.items()}
previous = {}
for a, e in db.execute("SELECT artifact_id, execution_id FROM Event WHERE type = 3"):
    if a in producer:
        previous[e] = producer[a]
extra = []
for e in previous:
    back = previous.get(previous[e])
    for _ in range(2):
        if back is None:
            break
        if back in output:
            extra.append((output[back], e))
        back = previous.get(back)
db.executemany("INSERT OR IGNORE INTO Event(artifact_id, execution_id, type) VALUES (?, ?, 3)", extra)
db.commit()
print(f"wrote {dst}: {len(extra)} skip-connection events", file=sys.stderr)
