"""cmflib's ``CmfQuery`` questions, with cmflib's names and return shapes, answered by the
mlmd-lens core: ``mlmd_lens.CmfQuery("mlmd")`` drops in for ``cmflib.cmfquery.CmfQuery``
(only the import changes), and ``mlmd_lens.Store`` has the same methods.

Every answer is computed in Rust (``features::cmfquery`` in the core), as cmflib 0.1.0
computes it: the same pipelines (``Parent_Context`` contexts), rows in the same order, the
same columns (sorted, custom properties prefixed ``custom_properties_``) and the same
values. Python only builds the ``pandas.DataFrame``, so pandas' dtypes are cmflib's too
(``tests/notebook/test_cmfquery.py`` compares every method with cmflib's own answers on
the fixtures). Where cmflib returns MLMD ``Execution`` protos (``get_all_exe_in_stage``,
``find_producer_execution``) these return :class:`Execution` objects with the proto's
fields as attributes.

Differences, on purpose:

- Property values are plain Python values (``str``, ``int``, ``float``) where cmflib
  hands out ``metadata_store_pb2.Value`` messages: in :class:`Execution` properties and
  in ``get_all_executions_for_artifact``'s ``execution_type_name`` column (so
  ``row.execution_type_name`` is ``"mnist/Train"``, not a ``Value``).
- Where cmflib raises ``IndexError`` (``get_all_executions_for_artifact`` on a store
  whose executions have no context with a parent, e.g. TFX) the cells are empty text.
- A lineage cycle (which sends cmflib into endless recursion) stops.
- The store is opened read-only: cmflib opens it read-write and ml-metadata may add its
  built-in types to it.
"""

from __future__ import annotations

import json
import types
from typing import Any, Iterable, List, Optional


class Execution(types.SimpleNamespace):
    """An MLMD ``Execution`` as cmflib returns it (an ``ml_metadata`` proto), as a plain
    object with the proto's fields: ``id``, ``type_id``, ``type`` (the type's name),
    ``name`` (``""`` when not recorded, as the proto), ``last_known_state`` (0 = UNKNOWN
    when not recorded), ``external_id``, ``create_time_since_epoch``,
    ``last_update_time_since_epoch``, ``properties`` and ``custom_properties`` (dicts of
    plain values: ``e.properties["Execution_uuid"]`` is the uuid itself, where the proto
    has ``.string_value``). ``vars(e)`` is the dict of all of them.
    """


def _frame(table: Any) -> Any:
    """The core's frame, ``(columns, kinds, cells, texts)`` (see ``frame_answer`` in
    ``python/rust/lib.rs``), as a ``pandas.DataFrame`` (an empty one, with no columns, when
    there is no row, as cmflib's ``pd.DataFrame()``).

    The dtypes are those pandas infers from the cells (cmflib's frames are inferred from
    the same values). The core says which columns' inference is certain, and those are
    built typed, which halves pandas' part of a short frame (most of a question's time):
    integers ``int64`` and numbers with a float or a missing cell ``float64`` straight from
    the core's bytes; text with or without missing cells whatever pandas infers for text
    (:func:`_text_dtype`: ``str`` in pandas 3, ``object`` before), every text column in one
    array, sliced. Any other mix (no value at all, text and numbers) is left to pandas.
    """
    from ._api import _pandas

    pandas = _pandas()
    columns, kinds, cells, texts = table
    if not columns:
        return pandas.DataFrame([], columns=columns)
    import numpy

    dtype = _text_dtype(pandas)
    text_count = kinds.count("text")
    if text_count:
        n = len(texts) // text_count
        whole = numpy.array(texts, dtype=object) if dtype == object else pandas.array(texts, dtype=dtype)
    arrays: list = []
    text_seen = 0
    for kind, values in zip(kinds, cells):
        if kind == "int":
            arrays.append(numpy.frombuffer(values, dtype=numpy.int64))
        elif kind == "float":
            arrays.append(numpy.frombuffer(values, dtype=numpy.float64))
        elif kind == "text":
            arrays.append(whole[text_seen * n:(text_seen + 1) * n])
            text_seen += 1
        else:
            arrays.append(values)
    return _from_arrays(pandas, dtype, columns, arrays, typed="mixed" not in kinds)


_COLUMN_INDEX: dict = {}


def _from_arrays(pandas: Any, text_dtype: Any, columns: List[str], arrays: list, typed: bool) -> Any:
    """A DataFrame of these column arrays (all of one length). ``typed``: every array is a
    1-D numpy or pandas array already, as pandas would store it, so pandas need not check
    or convert them (a third of a short frame's time); else lists among them are inferred
    as the ``DataFrame`` constructor infers them.

    The columns' ``Index`` is made once per list of names and text dtype (the one pandas
    infers for names too), and each frame gets a view of it: the same names, with a
    ``name`` of its own (30 µs saved on a frame of 0.1 ms). Through ``DataFrame._from_arrays``,
    which pandas has had since 0.23 with this signature; should a pandas lack it, through
    the public constructor, with the same result.
    """
    key = (pandas.__version__, str(text_dtype), tuple(columns))
    index = _COLUMN_INDEX.get(key)
    if index is None:
        if len(_COLUMN_INDEX) > 256:
            _COLUMN_INDEX.clear()
        index = _COLUMN_INDEX[key] = pandas.Index(columns)
    try:
        return pandas.DataFrame._from_arrays(
            arrays, columns=index.view(), index=pandas.RangeIndex(len(arrays[0])), verify_integrity=not typed
        )
    except (AttributeError, TypeError):  # no such (private) constructor in this pandas
        return pandas.DataFrame(dict(zip(columns, arrays)), copy=False)


_TEXT_DTYPE: dict = {}


def _text_dtype(pandas: Any) -> Any:
    """The dtype pandas infers for a column of text with a missing cell (``str`` in pandas
    3, ``object`` in pandas 1 and 2), asked of pandas once per pandas version and
    ``future.infer_string`` setting."""
    key = (pandas.__version__, None)
    if not pandas.__version__.startswith(("0.", "1.")) and int(pandas.__version__.split(".")[0]) < 3:
        try:  # pandas 2.1+ (the option is always on, and deprecated, from pandas 3)
            key = (pandas.__version__, bool(pandas.get_option("future.infer_string")))
        except Exception:  # noqa: BLE001 - pandas 2.0 has no such option
            pass
    if key not in _TEXT_DTYPE:
        _TEXT_DTYPE[key] = pandas.DataFrame({"t": ["a", None]})["t"].dtype
    return _TEXT_DTYPE[key]


def _execution(doc: Optional[dict]) -> Optional[Execution]:
    return None if doc is None else Execution(**doc)


class CmfQueryMethods:
    """cmflib's ``CmfQuery`` methods, for classes holding the core store as ``_core``
    (:class:`mlmd_lens.Store`, :class:`CmfQuery`). The DataFrame methods need pandas."""

    _core: Any

    def get_pipeline_names(self) -> List[str]:
        """Names of every pipeline (``Parent_Context`` context), by id.

        Example:
            >>> mlmd_lens.CmfQuery("cmf_small.sqlite").get_pipeline_names()
            ['mnist', 'fraud-detection']
        """
        return self._core.cmf_pipeline_names()

    def get_pipeline_id(self, pipeline_name: str) -> int:
        """The id of the pipeline named ``pipeline_name``, or -1.

        Example:
            >>> q = mlmd_lens.CmfQuery("cmf_small.sqlite")
            >>> q.get_pipeline_id("mnist"), q.get_pipeline_id("nope")
            (1, -1)
        """
        return self._core.cmf_pipeline_id(pipeline_name)

    def get_pipeline_stages(self, pipeline_name: str) -> List[str]:
        """Stage names (``<pipeline>/<stage>``) of the pipeline, by id.

        Example:
            >>> mlmd_lens.CmfQuery("cmf_small.sqlite").get_pipeline_stages("mnist")[:2]
            ['mnist/Prepare', 'mnist/Featurize']
        """
        return self._core.cmf_pipeline_stages(pipeline_name)

    def get_all_executions_in_pipeline(self, pipeline_name: str) -> Any:
        """Every execution of the pipeline, stage by stage (newest first within a stage),
        as a DataFrame: ``id``, ``name`` and one column per property (custom ones
        ``custom_properties_NAME``), columns sorted.

        Example:
            >>> df = mlmd_lens.CmfQuery("cmf_small.sqlite").get_all_executions_in_pipeline("mnist")
            >>> len(df), list(df["id"][:3])
            (12, [9, 5, 1])
        """
        return _frame(self._core.cmf_executions_in_pipeline(pipeline_name))

    def get_all_executions_in_stage(self, stage_name: str) -> Any:
        """The executions of the stage named ``stage_name`` (``<pipeline>/<stage>``), newest
        first, as a DataFrame shaped like :meth:`get_all_executions_in_pipeline`'s.

        Example:
            >>> list(mlmd_lens.CmfQuery("cmf_small.sqlite").get_all_executions_in_stage("mnist/Train")["id"])
            [11, 7, 3]
        """
        return _frame(self._core.cmf_executions_in_stage(stage_name))

    def get_all_exe_in_stage(self, stage_name: str) -> List[Execution]:
        """The executions of the stage, newest first, as :class:`Execution` objects (cmflib:
        MLMD protos).

        Example:
            >>> [e.id for e in mlmd_lens.CmfQuery("cmf_small.sqlite").get_all_exe_in_stage("mnist/Train")]
            [11, 7, 3]
        """
        return [Execution(**e) for e in json.loads(self._core.cmf_exe_in_stage(stage_name))]

    def get_all_executions_by_ids_list(self, exe_ids: Iterable[int]) -> Any:
        """The properties of the executions with these ids (by id; unknown ids skipped) as
        a DataFrame — with no ``id`` column, as cmflib's.

        Example:
            >>> df = mlmd_lens.CmfQuery("cmf_small.sqlite").get_all_executions_by_ids_list([1, 2])
            >>> list(df["Context_Type"])
            ['mnist/Prepare', 'mnist/Featurize']
        """
        return _frame(self._core.cmf_executions_by_ids([int(i) for i in exe_ids]))

    def get_all_artifacts_for_execution(self, execution_id: int, direction: Optional[str] = None) -> Any:
        """The artifacts of an execution, one row per event in event order, with ``event``
        (``INPUT``/``OUTPUT``), ``id``, ``type``, ``uri``, ``name``, the times and one
        column per property. ``direction`` (``"INPUT"`` or ``"OUTPUT"``, an mlmd-lens
        addition) keeps only those rows.

        Raises:
            MlmdError: ``invalid-argument`` for another direction.

        Example:
            >>> q = mlmd_lens.CmfQuery("cmf_small.sqlite")
            >>> list(q.get_all_artifacts_for_execution(3, "OUTPUT")["type"])
            ['Step_Metrics', 'Model']
        """
        return _frame(self._core.cmf_artifacts_for_execution(int(execution_id), direction))

    def get_all_executions_for_artifact(self, artifact_name: str) -> Any:
        """The executions that read or wrote the artifact, one row per event: ``Type``,
        ``execution_id``, ``execution_name``, ``execution_type_name``, ``pipeline``,
        ``stage``.

        Example:
            >>> q = mlmd_lens.CmfQuery("cmf_small.sqlite")
            >>> name = q.get_all_artifacts_for_execution(3, "OUTPUT")["name"][1]  # a model
            >>> q.get_all_executions_for_artifact(name)[["Type", "execution_id"]].values.tolist()
            [['OUTPUT', 3], ['INPUT', 4]]
        """
        return _frame(self._core.cmf_executions_for_artifact(artifact_name))

    def get_one_hop_parent_artifacts(self, artifact_name: str) -> Any:
        """The inputs of the executions that wrote the artifact, by id."""
        return _frame(self._core.cmf_one_hop_artifacts(artifact_name, True))

    def get_one_hop_child_artifacts(self, artifact_name: str, pipeline_id: Optional[int] = None) -> Any:
        """The outputs of the executions that read the artifact, by id; with
        ``pipeline_id``, only through the executions whose ``Pipeline_id`` property is
        ``str(pipeline_id)``, as cmflib filters (an execution without that property is left
        out, where cmflib raises ``AttributeError``)."""
        wanted = None if pipeline_id is None else str(pipeline_id)
        return _frame(self._core.cmf_one_hop_artifacts(artifact_name, False, wanted))

    def get_all_parent_artifacts(self, artifact_name: str) -> Any:
        """Every artifact upstream of the artifact, in cmflib's order."""
        return _frame(self._core.cmf_all_artifacts(artifact_name, True))

    def get_all_child_artifacts(self, artifact_name: str) -> Any:
        """Every artifact downstream of the artifact, in cmflib's order."""
        return _frame(self._core.cmf_all_artifacts(artifact_name, False))

    def find_producer_execution(self, artifact_name: str) -> Optional[Execution]:
        """The execution (the first by id) that wrote the artifact, or ``None``.

        Example:
            >>> q = mlmd_lens.CmfQuery("cmf_small.sqlite")
            >>> q.find_producer_execution(q.get_all_artifacts_for_execution(3, "OUTPUT")["name"][1]).id
            3
        """
        return _execution(json.loads(self._core.cmf_find_producer_execution(artifact_name)))

    get_producer_execution = find_producer_execution

    def dumptojson(self, pipeline_name: str, exec_uuid: Optional[str] = None) -> str:
        """CMF's own JSON of the pipeline (what ``cmf metadata export`` writes):
        ``{"Pipeline": [{…, "stages": [{…, "executions": [{…, "events": [{"type",
        "artifact"}]}]}]}]}``; only the executions whose ``Execution_uuid`` holds
        ``exec_uuid`` when given.

        Example:
            >>> import json
            >>> doc = json.loads(mlmd_lens.CmfQuery("cmf_small.sqlite").dumptojson("mnist"))
            >>> [s["name"] for s in doc["Pipeline"][0]["stages"]][:2]
            ['mnist/Prepare', 'mnist/Featurize']
        """
        return self._core.cmf_json(pipeline_name, exec_uuid)
