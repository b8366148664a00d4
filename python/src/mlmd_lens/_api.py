"""``mlmd_lens.Store``: an MLMD store opened by the mlmd-lens Rust core (the extension
module ``mlmd_lens._core``), answering the same questions as the CLI and the viewer.

Every answer is plain Python data (dicts, lists, strings, numbers) with the core's JSON
shape: the keys are camelCase (``schemaVersion``, ``durationMs``, ``customProperties``),
exactly what ``mlmd-lens … --json`` prints and what JavaScript receives, so one shape
serves every host. Filters are Python keywords (``from_`` for ``from``, since ``from``
is a Python keyword).

The examples run in the fixtures folder (``tests/notebook/test_python_api.py`` runs them).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from typing import Any, Iterable, List, Optional, Union

from . import _core
from ._cmfquery import CmfQueryMethods
from ._errors import MlmdError

PathOrBytes = Union[str, os.PathLike, bytes, bytearray, memoryview]

#: A time bound: epoch milliseconds, text (``"2026-01-31"``, ISO 8601) or a ``date`` /
#: ``datetime`` (a naive ``datetime`` is taken as UTC, as MLMD's times are).
TimeBound = Union[int, str, _dt.date, _dt.datetime]


def _time(value: TimeBound) -> Union[int, str]:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _options(
    query: Optional[str] = None,
    pipeline: Optional[str] = None,
    stage: Optional[str] = None,
    type: Optional[str] = None,
    status: Optional[str] = None,
    from_: Optional[TimeBound] = None,
    to: Optional[TimeBound] = None,
    branch: Optional[str] = None,
    sort: Optional[str] = None,
    offset: int = 0,
    limit: Optional[int] = None,
    alerts: Optional[dict] = None,
) -> str:
    """The JSON of the core's ``ExecutionQuery`` (camelCase keys; absent = any)."""
    given = {
        "query": query,
        "pipeline": pipeline,
        "stage": stage,
        "type": type,
        "status": status,
        "from": None if from_ is None else _time(from_),
        "to": None if to is None else _time(to),
        "branch": branch,
        "sort": sort,
        "offset": offset or None,
        # None means every row, as the CLI (the core's own default is a page of 100).
        "limit": sys.maxsize if limit is None else limit,
        "alerts": alerts,
    }
    return json.dumps({k: v for k, v in given.items() if v is not None})


def _pandas():
    """pandas, imported on first use: it is an optional dependency (the ``pandas`` extra)."""
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "as_frame=True needs pandas, which mlmd-lens does not install: "
            "pip install pandas (or pip install 'mlmd-lens[pandas]')"
        ) from e
    return pandas


#: The columns of an executions frame when the store has no execution to take them from
#: (the core's row fields, in JSON order; tests/notebook/test_frames.py checks them).
_ROW_COLUMNS = [
    "id", "name", "type", "pipeline", "stage", "status", "state", "started", "startedMs",
    "ended", "endedMs", "durationMs", "gitCommit", "gitCommitShort", "run", "runId", "typeFull",
]


def _frame(rows: list, columns: Optional[list] = None) -> Any:
    """A ``pandas.DataFrame`` of ``rows`` (dicts), its columns the keys in their JSON
    order (``columns`` when there is no row to take them from)."""
    pandas = _pandas()
    keys: dict = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return pandas.DataFrame(rows, columns=list(keys) if rows else (columns or []))


def read_input(path_or_bytes: PathOrBytes, name: Optional[str] = None) -> tuple:
    """``(bytes, file_name)`` of a path (read once, read-only) or of a file's bytes.

    Raises:
        MlmdError: ``io`` (the core's message) when the path cannot be read,
            ``invalid-argument`` for anything that is neither a path nor bytes.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(path_or_bytes), name or "mlmd"
    if isinstance(path_or_bytes, (str, os.PathLike)):
        path = os.fspath(path_or_bytes)
        return _core.read_file(path), name or os.path.basename(path)
    raise _not_a_source(path_or_bytes)


def _not_a_source(value: Any) -> MlmdError:
    return MlmdError(
        "invalid-argument",
        f"expected a path or the bytes of an MLMD file, not {type(value).__name__}",
    )


class Store(CmfQueryMethods):
    """An MLMD store — cmflib's ``mlmd``, a TFX / Kubeflow ``metadata.sqlite``, any
    ml-metadata SQLite file — opened by the mlmd-lens core.

    The file is read once, read-only, into memory: the source is never modified (nor
    locked). Questions are answered by the same Rust code as the CLI, the web page and the
    notebook viewer, so the answers are the same.

    Args:
        path_or_bytes: the store's path, or its bytes.
        name: the name error messages start with (default: the path's file name, or
            ``"mlmd"`` for bytes).

    Raises:
        MlmdError: the file is not an MLMD store that can be read (``kind`` says why:
            ``empty``, ``not-sqlite``, ``truncated``, ``corrupt``, ``not-mlmd``,
            ``unsupported-schema``), or cannot be read at all (``io``).

    Every question runs with the GIL released, and one ``Store`` may be asked from
    several threads at once. cmflib's ``CmfQuery`` questions are methods too, with its
    names and return shapes (``get_all_executions_in_pipeline("mnist")``, …; see
    :class:`CmfQuery`).

    Example:
        >>> import mlmd_lens
        >>> store = mlmd_lens.Store("cmf_small.sqlite")
        >>> store
        <mlmd_lens.Store cmf_small.sqlite: MLMD schema 10>
        >>> store.summary()["pipelines"]
        ['fraud-detection', 'mnist']
    """

    def __init__(self, path_or_bytes: PathOrBytes, name: Optional[str] = None) -> None:
        if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
            self.name = name or "mlmd"
            self._core = _core.Store(bytes(path_or_bytes), self.name)
        elif isinstance(path_or_bytes, (str, os.PathLike)):
            path = os.fspath(path_or_bytes)
            self.name = name or os.path.basename(path)
            self._core = _core.Store.open_path(path, self.name)
        else:
            raise _not_a_source(path_or_bytes)

    def __repr__(self) -> str:
        return f"<mlmd_lens.Store {self.name}: MLMD schema {self.schema_version}>"

    @property
    def schema_version(self) -> int:
        """``MLMDEnv.schema_version`` (-1 when the store does not record it)."""
        return self._core.schema_version

    @property
    def warnings(self) -> list:
        """Notes about the file that did not stop it from opening (e.g. a schema newer
        than the core knows)."""
        return self._core.warnings

    def summary(self) -> dict:
        """Counts and the values the filters offer.

        Returns:
            ``{schemaVersion, flavor, executions, artifacts, contexts, events,
            pipelines[], stages[], executionTypes[], states{label: count}, branches[],
            firstStarted, lastStarted, warnings[]}`` (``flavor``: ``cmf``, ``tfx``,
            ``kfp`` or ``mlmd``; times UTC ISO 8601).

        Example:
            >>> s = mlmd_lens.Store("cmf_small.sqlite").summary()
            >>> s["executions"], s["artifacts"], s["flavor"], s["states"]
            (20, 38, 'cmf', {'Unknown': 20})
        """
        return json.loads(self._core.summary())

    def executions(
        self,
        query: Optional[str] = None,
        pipeline: Optional[str] = None,
        stage: Optional[str] = None,
        type: Optional[str] = None,
        status: Optional[str] = None,
        from_: Optional[TimeBound] = None,
        to: Optional[TimeBound] = None,
        branch: Optional[str] = None,
        sort: Optional[str] = None,
        offset: int = 0,
        limit: Optional[int] = None,
        alerts: Optional[dict] = None,
        as_frame: bool = False,
    ) -> Any:
        """The executions table: filtered (all filters combined with AND), sorted, paged.

        Args:
            query: a search, e.g. ``"pipeline:mnist AND property:epochs>10"``,
                ``"status:failed OR status:canceled"``, ``"date:2026-01-01 TO 2026-01-31"``.
            pipeline: pipeline name, exact.
            stage: stage name (``"Train"``) or stage context (``"mnist/Train"``).
            type: execution type name, exact.
            status: ``pending``, ``running``, ``completed``, ``failed``, ``cached``,
                ``canceled`` or ``unknown`` (any case).
            from_, to: started on or after / on or before (a date alone includes its whole
                day); epoch ms, text, ``date`` or ``datetime``.
            branch: git branch, exact.
            sort: a column (``id``, ``name``, ``type``, ``pipeline``, ``stage``,
                ``status``, ``started``, ``ended``, ``duration``, ``gitCommit``) or
                ``property:NAME``; ``-`` first for descending. Default ``id``.
            offset: rows to skip.
            limit: rows to return (default: every row, as the CLI).
            alerts: rules that flag rows, e.g. ``{"failed": True, "longRunningMs": 3600000,
                "longRunningFactor": 3, "rules": ["property:accuracy<0.9"]}``; flagged rows
                name the rule in ``alerts``.
            as_frame: return the rows as a ``pandas.DataFrame`` instead (one row per
                execution, the row's fields as columns in the same order; pandas is not
                a dependency of mlmd-lens: ``pip install pandas``).

        Returns:
            ``{total, offset, rows[{id, name, type, pipeline, stage, status, started,
            ended, durationMs, gitCommit, …}]}`` (``total`` counts every match), or with
            ``as_frame=True`` a ``pandas.DataFrame`` of ``rows``.

        Raises:
            MlmdError: ``query`` for a search that does not parse (the message says
                where), ``invalid-argument`` for an unknown status, sort column or date.
            ImportError: ``as_frame=True`` without pandas installed.

        Example:
            >>> store = mlmd_lens.Store("cmf_small.sqlite")
            >>> page = store.executions(pipeline="mnist", sort="-started", limit=2)
            >>> page["total"], [r["stage"] for r in page["rows"]]
            (12, ['Evaluate', 'Train'])
            >>> store.executions("stage:Train AND pipeline:fraud-detection")["total"]
            2
            >>> frame = store.executions(pipeline="mnist", as_frame=True)  # needs pandas
            >>> frame.shape, list(frame.columns[:6])
            ((12, 17), ['id', 'name', 'type', 'pipeline', 'stage', 'status'])
        """
        if as_frame:
            _pandas()  # before the query: a missing pandas is said at once
        options = _options(
            query, pipeline, stage, type, status, from_, to, branch, sort, offset, limit, alerts
        )
        page = json.loads(self._core.executions(options))
        if not as_frame:
            return page
        columns = None
        if not page["rows"]:
            # No row to name the columns: those of any row of the store.
            probe = json.loads(self._core.executions(json.dumps({"limit": 1})))["rows"]
            columns = list(probe[0]) if probe else _ROW_COLUMNS
        return _frame(page["rows"], columns)

    def execution_ids(self, query: Optional[str] = None, **filters: Any) -> list:
        """The ids of every execution matching ``query`` and ``filters`` (the keywords of
        :meth:`executions`, ``sort`` included), in sort order.

        Example:
            >>> mlmd_lens.Store("cmf_small.sqlite").execution_ids(pipeline="fraud-detection", stage="Train")
            [15, 19]
        """
        return self._core.execution_ids(_options(query, **filters))

    def execution(self, id: int) -> dict:
        """Everything about one execution: its row plus ``created``, ``updated``,
        ``git{commit, branch, repo, author, message}``, ``properties{}``,
        ``customProperties{}``, ``inputs[]`` / ``outputs[]`` (artifacts with ``id, name,
        type, uri, version, state, properties{}``), ``contexts[]`` and ``events[]``.

        Raises:
            MlmdError: ``not-found`` when no execution has this id.

        Example:
            >>> e = mlmd_lens.Store("cmf_small.sqlite").execution(1)
            >>> e["pipeline"], e["stage"], [a["type"] for a in e["outputs"]]
            ('mnist', 'Prepare', ['Dataset', 'Dataset'])
        """
        return json.loads(self._core.execution(int(id)))

    def stats(self, query: Optional[str] = None, **filters: Any) -> dict:
        """The dashboard figures of the executions matching ``query`` and ``filters`` (the
        keywords of :meth:`executions`): ``{total, byStatus, finished, successRate,
        failureRate, duration{avgMs, medianMs, p95Ms, …}, throughputPerDay, perDay[],
        byPipeline[], byStage[], …}``.

        Example:
            >>> mlmd_lens.Store("mlmd_tfx.sqlite").stats()["byStatus"]["Failed"]
            1
        """
        return json.loads(self._core.stats(_options(query, **filters)))

    def compare(self, ids: Iterable[int], baseline: Optional[int] = None) -> dict:
        """Compares 2 to 5 executions side by side: ``{executions[], baseline,
        baselineIndex, groups[{kind, title, folded, rows[{name, property, custom, values[],
        sources[], differs, deltas[], deltaPercents[], direction, verdicts[], best[]}],
        artifacts[…]}]}`` — groups Parameters, Metrics (also from the Metrics artifacts the
        executions output), Artifacts, Git, Timing, Bookkeeping; deltas against
        ``baseline`` (an execution id; default the first).

        Raises:
            MlmdError: ``invalid-argument`` for fewer than 2, more than 5 or repeated
                ids, or a baseline not among them; ``not-found`` for an unknown id.

        Example:
            >>> c = mlmd_lens.Store("cmf_small.sqlite").compare([3, 7])  # two mnist Train runs
            >>> [r["name"] for r in c["groups"][0]["rows"] if r["differs"] and r["custom"]]
            ['batch_size', 'learning_rate']
        """
        return json.loads(self._core.compare([int(i) for i in ids], baseline))

    def metric_scatter(
        self,
        query: Optional[str] = None,
        metric: Optional[str] = None,
        parameter: Optional[str] = None,
        **filters: Any,
    ) -> dict:
        """Compare across a whole search: ``metric`` (default: the first metric name)
        against ``parameter`` (default: the first one that varies) for every execution
        matching ``query`` and ``filters`` (the keywords of :meth:`executions`), ranked
        best-first: ``{total, considered, metrics[], parameters[], metric, parameter,
        direction, ids[], names[], x[], y[], xNumeric, xCategories[], ranking[]}``.

        Raises:
            MlmdError: ``invalid-argument`` for a metric or parameter no matching
                execution records; ``query`` for a search that does not parse.
        """
        return json.loads(self._core.metric_scatter(_options(query, **filters), metric, parameter))

    def compare_chart(
        self,
        ids: Iterable[int],
        kind: str = "metrics",
        baseline: Optional[int] = None,
        metric: Optional[str] = None,
    ) -> str:
        """A chart of :meth:`compare` as SVG text (the page's and the CLI's): ``kind``
        ``"metrics"`` (a bar per execution per metric), ``"duration"`` or ``"parallel"``
        (parameters → ``metric``, default the first metric).

        Raises:
            MlmdError: as :meth:`compare`; ``invalid-argument`` for an unknown kind or metric.
        """
        return self._core.compare_chart([int(i) for i in ids], kind, baseline, metric)

    def lineage(self, id: int, depth: int = 2, max_nodes: int = 500) -> dict:
        """The lineage around one execution, ``depth`` hops up (producers of its inputs)
        and down (consumers of its outputs); execution → artifact → execution is one hop.

        Returns:
            ``{nodes[{key, kind, id, name, type, status, depth}], edges[{from, to, type}],
            truncated}`` (at most ``max_nodes`` nodes; ``truncated`` says if more exist).

        Example:
            >>> g = mlmd_lens.Store("cmf_small.sqlite").lineage(2, depth=1)
            >>> sorted({n["kind"] for n in g["nodes"]}), g["truncated"]
            (['artifact', 'execution'], False)
        """
        return json.loads(self._core.lineage(int(id), int(depth), int(max_nodes)))

    def lineage_graph(
        self, root: "str | int", depth: int = 2, max_nodes: int = 150, expand: "list[str] | None" = None
    ) -> dict:
        """The laid-out lineage graph of ``root``: ``"e12"`` (or ``12``) an execution,
        ``"a5"`` an artifact (both walked ``depth`` hops up to producers and down to
        consumers), ``"c3"`` a context (its pipeline's stages, with the artifacts passed
        between them as counted edges) — the graph the viewer draws and
        ``mlmd-lens lineage FILE ROOT`` prints.

        Returns:
            ``{root, kind, depth, truncated, width, height, nodes[{key, kind, id, name,
            label, type, typeFull, status, depth, layer, x, y, width, height, hidden,
            executions?, statusCounts?}], edges[{from, to, type, label, count, reversed,
            points}]}``; ``hidden`` counts the neighbours cut by ``depth`` or
            ``max_nodes``, which ``expand=[key]`` adds.

        Raises:
            MlmdError: ``invalid-argument`` for a malformed key, ``not-found`` for a root
            the store does not hold.

        Example:
            >>> g = mlmd_lens.Store("cmf_small.sqlite").lineage_graph("e2", depth=1)
            >>> g["nodes"][0]["key"], g["truncated"]
            ('e2', False)
        """
        return json.loads(
            self._core.lineage_graph(str(root), int(depth), int(max_nodes), list(expand or []))
        )

    def export(
        self,
        format: str = "csv",
        *,
        ids: Optional[Iterable[int]] = None,
        columns: Optional[List[str]] = None,
        properties: Optional[List[str]] = None,
        bom: bool = False,
        **filters: Any,
    ) -> Union[str, bytes]:
        """The executions matching ``filters`` (the keywords of :meth:`executions`; every
        match unless ``limit`` is given), and among them only ``ids`` when given, exported
        as the page and the CLI export them (the same bytes):

        - ``"csv"``: the table (``columns`` in order, default every built-in column) plus
          one ``property:NAME`` column per property (``properties``: which; ``[]`` none);
          cells a spreadsheet would run as formulas are neutralised; ``bom`` starts it
          with a UTF-8 byte order mark;
        - ``"json"``: every detail of each execution (``docs/export.schema.json``);
        - ``"cmf-json"``: cmflib's ``dumptojson`` of ``pipeline``;
        - ``"html"``: the report (figures, status chart, table, timeline, compare charts
          for 2–5 ``ids``, details), one page with no script;
        - ``"pdf"``: the same report as PDF **bytes**.

        Example:
            >>> csv = mlmd_lens.Store("cmf_small.sqlite").export("csv", pipeline="mnist")
            >>> len(csv.splitlines())  # the header and 12 rows
            13
            >>> mlmd_lens.Store("cmf_small.sqlite").export("pdf", ids=[1, 5])[:5]
            b'%PDF-'
        """
        options = json.loads(_options(**filters))
        extra = {
            "ids": None if ids is None else [int(i) for i in ids],
            "columns": columns,
            "properties": properties,
            "bom": bom or None,
        }
        options.update({k: v for k, v in extra.items() if v is not None})
        text = json.dumps(options)
        if format == "pdf":
            return self._core.export_pdf(text)
        return self._core.export(format, text)

    def subset(
        self, query: Optional[str] = None, executions: Optional[Iterable[int]] = None, **filters: Any
    ) -> bytes:
        """A smaller store to share: the bytes of an SQLite file with the same MLMD schema
        holding only the executions matching ``query`` and ``filters`` (the keywords of
        :meth:`executions`) — and, when ``executions`` is given, among those ids — with
        their events, the artifacts those name, and their contexts with their ancestors.
        This store is unchanged.

        Raises:
            MlmdError: ``not-found`` for an id the store lacks, ``invalid-argument`` when
                nothing would be kept (messages start with the store's name).

        Example:
            >>> store = mlmd_lens.Store("cmf_small.sqlite")
            >>> mnist = mlmd_lens.Store(store.subset(pipeline="mnist"), name="mnist.sqlite")
            >>> mnist.summary()["executions"], mnist.summary()["pipelines"]
            (12, ['mnist'])
        """
        ids = None if executions is None else [int(i) for i in executions]
        data, _count = self._core.subset(_options(query, **filters), ids)
        return data

    def property_names(self, as_frame: bool = False) -> Any:
        """Execution property names: ``[{name, custom, kinds[], executions}]`` (kinds
        seen: ``int``, ``double``, ``string``, ``bytes``, ``proto``, ``bool``); with
        ``as_frame=True`` a ``pandas.DataFrame`` with those columns (needs pandas).

        Example:
            >>> [p["name"] for p in mlmd_lens.Store("cmf_small.sqlite").property_names()][-3:]
            ['seed', 'split', 'threshold']
        """
        if as_frame:
            _pandas()
        names = json.loads(self._core.property_names())
        return _frame(names, ["name", "custom", "kinds", "executions"]) if as_frame else names

    # --- CmfQuery-style lookups (cmflib's questions, by context id) ---

    def pipeline_id(self, name: str) -> Optional[int]:
        """The id of the pipeline context named ``name`` (cmflib ``Parent_Context``, TFX
        ``pipeline``, KFP ``system.Pipeline``), or ``None``.

        Example:
            >>> mlmd_lens.Store("cmf_small.sqlite").pipeline_id("mnist")
            1
        """
        return self._core.pipeline_id(name)

    def stage_id(self, pipeline: str, stage: str) -> Optional[int]:
        """The id of stage ``stage`` of ``pipeline`` (a child context named
        ``<pipeline>/<stage>``, ``<pipeline>.<stage>`` or ``<stage>``), or ``None``.

        Example:
            >>> mlmd_lens.Store("cmf_small.sqlite").stage_id("mnist", "Train")
            4
        """
        return self._core.stage_id(pipeline, stage)

    def executions_in_pipeline(self, pipeline_id: int) -> list:
        """Ids of the executions associated with a pipeline context or any context below
        it, ascending (cmflib ``get_all_executions_in_pipeline``, by id).

        Example:
            >>> store = mlmd_lens.Store("cmf_small.sqlite")
            >>> len(store.executions_in_pipeline(store.pipeline_id("mnist")))
            12
        """
        return self._core.executions_in_pipeline(int(pipeline_id))

    def executions_in_stage(self, stage_id: int) -> list:
        """Ids of the executions associated with a context (e.g. a stage), ascending.

        Example:
            >>> store = mlmd_lens.Store("cmf_small.sqlite")
            >>> store.executions_in_stage(store.stage_id("mnist", "Train"))
            [3, 7, 11]
        """
        return self._core.executions_in_stage(int(stage_id))

    def artifacts_for_execution(self, id: int, direction: str = "INPUT") -> list:
        """The artifacts an execution read (``"INPUT"``) or wrote (``"OUTPUT"``), in event
        order: ``[{id, name, type, uri, version, state, properties{}, …}]``.

        Raises:
            MlmdError: ``not-found`` for an unknown execution, ``invalid-argument`` for
                another direction.

        Example:
            >>> [a["type"] for a in mlmd_lens.Store("cmf_small.sqlite").artifacts_for_execution(3, "OUTPUT")]
            ['Step_Metrics', 'Model']
        """
        return json.loads(self._core.artifacts_for_execution(int(id), direction))


class CmfQuery(Store):
    """A drop-in for ``cmflib.cmfquery.CmfQuery``: replace ``from cmflib.cmfquery import
    CmfQuery`` with ``from mlmd_lens import CmfQuery``. ``CmfQuery(filepath="mlmd")`` opens
    the store read-only and answers cmflib's questions with cmflib's names and return
    shapes — ``get_pipeline_names``, ``get_pipeline_id``, ``get_pipeline_stages``,
    ``get_all_executions_in_pipeline``, ``get_all_executions_in_stage``,
    ``get_all_exe_in_stage``, ``get_all_executions_by_ids_list``,
    ``get_all_artifacts_for_execution``, ``get_all_executions_for_artifact``,
    ``get_one_hop_parent_artifacts``, ``get_one_hop_child_artifacts``,
    ``get_all_parent_artifacts``, ``get_all_child_artifacts``, ``find_producer_execution``,
    ``dumptojson`` — computed by the Rust core (see ``mlmd_lens._cmfquery`` for the few
    differences). It is a :class:`Store` as well (``summary()``, ``executions(…)``, …).

    Raises:
        MlmdError: as :class:`Store` for a file that is not a readable MLMD store;
            ``invalid-argument`` for ``is_server=True`` (mlmd-lens reads SQLite files, not
            cmf-server's PostgreSQL).

    Example:
        >>> from mlmd_lens import CmfQuery
        >>> q = CmfQuery("cmf_small.sqlite")
        >>> q.get_pipeline_id("mnist"), len(q.get_all_executions_in_pipeline("mnist"))
        (1, 12)
    """

    def __init__(self, filepath: PathOrBytes = "mlmd", is_server: bool = False) -> None:
        if is_server:
            raise MlmdError(
                "invalid-argument",
                "mlmd_lens.CmfQuery reads MLMD SQLite files: is_server=True (cmf-server's "
                "PostgreSQL) is not supported",
            )
        super().__init__(filepath)
        self.filepath = filepath

    def __repr__(self) -> str:
        return f"<mlmd_lens.CmfQuery {self.name}: MLMD schema {self.schema_version}>"


def vocabulary() -> dict:
    """The core's rules a front end offers: ``{fields[{name, kind, help}], operators[],
    keywords[], examples[{query, meaning}], statuses[{label, meaning}], filterKeys[],
    sortColumns[], compare{min, max}}`` (what the viewer's search help shows).

    Example:
        >>> [s["label"] for s in mlmd_lens.vocabulary()["statuses"]][:3]
        ['Pending', 'Running', 'Completed']
    """
    return json.loads(_core.vocabulary())
