#!/usr/bin/env python3
"""Writes cmflib's own answers to its CmfQuery questions on the MLMD fixtures, as small JSON
files in tests/notebook/cmflib-answers/, which tests/notebook/test_cmfquery.py compares the
``mlmd_lens.CmfQuery`` drop-in against on every CI run (cmflib pulls ml-metadata, dvc, ray,
…: too heavy to install for every run, so its answers are generated once and committed).

Run it again when cmflib, a fixture or the question list changes, in a venv with cmflib
0.1.0 (the one ``make bench`` makes: bench/peers.py installs it into
target/bench/venv/cmflib)::

    target/bench/venv/cmflib/bin/python tests/notebook/gen_cmflib_answers.py [FIXTURES_DIR]

cmflib opens its store READWRITE_OPENCREATE (ml-metadata adds its built-in types), so each
fixture is copied to a temporary folder first; the fixtures are never opened.

Each answer file holds, per question, cmflib's result encoded by :func:`encode`:
a DataFrame as ``{"frame": {"columns", "dtypes", "data"}}`` (rows in cmflib's order), an
MLMD proto as ``{"proto": {...fields}}``, anything else as plain JSON. Recursive lineage
frames (``get_all_parent_artifacts``/``get_all_child_artifacts``) keep only their ``id``
column, ``columns`` and ``dtypes``: their rows are the one-hop questions' rows, whose values
are kept in full. A question cmflib fails on is ``{"error": "<exception type>"}``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "cmflib-answers"
#: The stores asked: cmflib's own (the CMF conventions) and ml-metadata/TFX ones, on which
#: cmflib finds no Parent_Context pipelines (its answers are then empty).
FIXTURES = ["cmf_small.sqlite", "mlmd_tfx.sqlite", "tfx_pipeline.sqlite", "mlmd_empty.sqlite"]
MISSING = "no-such-thing"


def value(v):
    """A property value as cmflib's ``_copy`` reads it: string, else int, else double."""
    if v.HasField("string_value"):
        return v.string_value
    if v.HasField("int_value"):
        return v.int_value
    return v.double_value


def proto(p):
    """An MLMD Execution/Artifact proto as a plain dict of its set fields."""
    out = {}
    for f, v in p.ListFields():
        if f.name in ("properties", "custom_properties"):
            out[f.name] = {k: value(x) for k, x in v.items()}
        elif f.type == f.TYPE_MESSAGE:
            continue  # system_metadata
        else:
            out[f.name] = v
    out.setdefault("properties", {})
    out.setdefault("custom_properties", {})
    return out


def cell(v):
    """A DataFrame cell as JSON: NaN/None -> null, numpy scalars -> Python, a proto Value
    (cmflib puts one in get_all_executions_for_artifact's execution_type_name) -> its value."""
    if v is None:
        return None
    if hasattr(v, "HasField"):
        return value(v)
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def encode(result, ids_only=False):
    import pandas as pd

    if isinstance(result, pd.DataFrame):
        frame = {"columns": [str(c) for c in result.columns],
                 "dtypes": [str(t) for t in result.dtypes]}
        if ids_only:
            frame["ids"] = [int(i) for i in result["id"]] if "id" in result else []
        else:
            frame["data"] = [[cell(v) for v in row] for row in result.itertuples(index=False, name=None)]
        return {"frame": frame}
    if isinstance(result, list):
        return [encode(r) for r in result]
    if hasattr(result, "ListFields"):
        return {"proto": proto(result)}
    return result


def ask(fn, *args, ids_only=False):
    try:
        return encode(fn(*args), ids_only)
    except Exception as e:  # noqa: BLE001 - recorded: the drop-in must not crash there either
        return {"error": type(e).__name__}


def answers(path):
    from cmflib.cmfquery import CmfQuery

    q = CmfQuery(str(path))
    out = {}
    pipelines = q.get_pipeline_names()
    out["get_pipeline_names"] = pipelines
    out["get_pipeline_id"] = {p: q.get_pipeline_id(p) for p in pipelines + [MISSING]}
    out["get_pipeline_stages"] = {p: q.get_pipeline_stages(p) for p in pipelines + [MISSING]}
    out["get_all_executions_in_pipeline"] = {
        p: ask(q.get_all_executions_in_pipeline, p) for p in pipelines + [MISSING]}
    stages = [s for p in pipelines for s in q.get_pipeline_stages(p)]
    out["get_all_executions_in_stage"] = {s: ask(q.get_all_executions_in_stage, s) for s in stages + [MISSING]}
    out["get_all_exe_in_stage"] = {s: ask(q.get_all_exe_in_stage, s) for s in stages + [MISSING]}
    execution_ids = sorted(e.id for e in q.store.get_executions())
    id_lists = {"all": execution_ids, "some": execution_ids[::3][:5] + [10 ** 6], "none": []}
    out["get_all_executions_by_ids_list"] = {k: {"ids": v, "answer": ask(q.get_all_executions_by_ids_list, v)}
                                             for k, v in id_lists.items()}
    out["get_all_artifacts_for_execution"] = {str(i): ask(q.get_all_artifacts_for_execution, i)
                                              for i in execution_ids + [10 ** 6]}
    names = [a.name for a in sorted(q.store.get_artifacts(), key=lambda a: a.id) if a.name]
    for question in ("get_all_executions_for_artifact", "get_one_hop_parent_artifacts",
                     "get_one_hop_child_artifacts", "find_producer_execution"):
        out[question] = {n: ask(getattr(q, question), n) for n in names + [MISSING]}
    for question in ("get_all_parent_artifacts", "get_all_child_artifacts"):
        out[question] = {n: ask(getattr(q, question), n, ids_only=True) for n in names + [MISSING]}
    out["dumptojson"] = {p: json.loads(q.dumptojson(p)) for p in pipelines + [MISSING]}
    return out


def main():
    import importlib.metadata as md

    fixtures = Path(sys.argv[1] if len(sys.argv) > 1 else
                    os.environ.get("MLMD_FIXTURES") or HERE.parents[2].parent / "shared" / "fixtures")
    OUT.mkdir(exist_ok=True)
    versions = {k: md.version(k) for k in ("cmflib", "ml-metadata", "pandas")}
    for name in FIXTURES:
        with tempfile.TemporaryDirectory(prefix="cmflib-answers-") as tmp:
            copy = Path(tmp) / name
            shutil.copyfile(fixtures / name, copy)
            doc = {"_doc": f"cmflib's CmfQuery answers on a copy of {name}: written by "
                           f"tests/notebook/gen_cmflib_answers.py, read by test_cmfquery.py",
                   "versions": versions, "answers": answers(copy)}
        target = OUT / (Path(name).stem + ".json")
        target.write_text(json.dumps(doc, indent=None, separators=(",", ":"), sort_keys=False) + "\n")
        print(f"{target}: {target.stat().st_size / 1024:.1f} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
