"""Reading an MLMD store in Python: the checks that refuse what is not MLMD (with the
core's messages), the counts of the ``text/plain`` summary, and filtered copies.

The store's own file is only ever read: every query runs on a private in-memory copy
(``sqlite3`` ``deserialize``, or a temporary file on Pythons without it), with
``PRAGMA query_only`` where nothing needs changing.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Tables without which a database is not an MLMD store (as src/schema.rs).
REQUIRED_TABLES = (
    "Type",
    "Execution",
    "Artifact",
    "Context",
    "Event",
    "Association",
    "ExecutionProperty",
    "ArtifactProperty",
)

#: Context types that mean "a pipeline" (cmflib, TFX, KFP v2), as src/cmf.rs.
PIPELINE_CONTEXT_TYPES = ("Parent_Context", "pipeline", "system.Pipeline")

PathOrBytes = Union[str, os.PathLike, bytes, bytearray, memoryview]


class MlmdError(ValueError):
    """A file that cannot be shown, with the core's message and its ``kind``
    (``empty``, ``not-sqlite``, ``truncated``, ``corrupt``, ``not-mlmd``, ``io``,
    ``invalid-argument``, ``too-large``)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class StoreTooLarge(MlmdError):
    """The compressed store is over the size limit for a notebook output."""

    def __init__(self, message: str) -> None:
        super().__init__("too-large", message)


@dataclass
class Summary:
    """What the ``text/plain`` summary says about a store."""

    schema_version: int
    executions: int
    artifacts: int
    contexts: int
    events: int
    pipelines: list = field(default_factory=list)


def read_input(path_or_bytes: PathOrBytes, name: Optional[str] = None) -> tuple:
    """Returns ``(bytes, file_name)`` for a path or for the bytes of a file.

    Raises:
        MlmdError: ``io`` when the path cannot be read, ``invalid-argument`` for other types.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(path_or_bytes), name or "mlmd"
    if isinstance(path_or_bytes, (str, os.PathLike)):
        path = Path(path_or_bytes)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise MlmdError("io", f"cannot read {path}: {e.strerror or e}") from e
        return data, name or path.name
    raise MlmdError(
        "invalid-argument",
        f"expected a path or the bytes of an MLMD file, not {type(path_or_bytes).__name__}",
    )


def _describe_prefix(data: bytes) -> str:
    """The first bytes of a non-SQLite input, as the core describes them."""
    head = data[:16]
    whitespace = b" \t\n\x0c\r"  # Rust's is_ascii_whitespace
    if all(33 <= b <= 126 or b in whitespace for b in head):
        text = "".join(" " if b in whitespace else chr(b) for b in head)
        return f'"{text}"'
    return "bytes " + " ".join(f"{b:02x}" for b in head[:8])


def check_header(data: bytes, name: str) -> None:
    """Refuses an input that is empty, not SQLite or shorter than its header says — the
    same checks and messages as the core (src/store.rs ``check_header``)."""
    size = len(data)
    if size == 0:
        raise MlmdError(
            "empty", f"{name}: the file is empty (0 bytes): an MLMD store is an SQLite database file"
        )
    if data[:16] != SQLITE_MAGIC:
        raise MlmdError(
            "not-sqlite",
            f'{name}: not an SQLite database: the file does not start with "SQLite format 3" '
            f"(found {_describe_prefix(data)})",
        )
    if size < 100:
        raise MlmdError(
            "truncated",
            f"{name}: the SQLite file is truncated: its header says 100 bytes (0 pages of 0 bytes) "
            f"but only {size} bytes were read; copy the file again",
        )
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if not 512 <= page_size <= 65536 or page_size & (page_size - 1):
        raise MlmdError(
            "corrupt",
            f"{name}: the SQLite file is damaged: the header gives an impossible page size ({page_size})",
        )
    change_counter = int.from_bytes(data[24:28], "big")
    pages = int.from_bytes(data[28:32], "big")
    valid_for = int.from_bytes(data[92:96], "big")
    whole_pages = -(-size // page_size) * page_size
    expected = pages * page_size if pages > 0 and valid_for == change_counter else whole_pages
    if size < expected or size % page_size:
        expected = max(expected, whole_pages)
        raise MlmdError(
            "truncated",
            f"{name}: the SQLite file is truncated: its header says {expected} bytes "
            f"({expected // page_size} pages of {page_size} bytes) but only {size} bytes were read; "
            "copy the file again",
        )


class _Copy:
    """A private, in-memory copy of a store (the source is never opened by SQLite)."""

    def __init__(self, data: bytes, writable: bool = False) -> None:
        # A WAL-mode header (bytes 18/19 = 2) cannot be opened from memory: the copy is
        # read as a rollback-journal database, which it is once copied.
        if len(data) >= 20 and (data[18] == 2 or data[19] == 2):
            data = data[:18] + b"\x01\x01" + data[20:]
        self._tmp: Optional[str] = None
        if hasattr(sqlite3.Connection, "deserialize"):
            self.conn = sqlite3.connect(":memory:")
            self.conn.deserialize(data)
        else:  # Python < 3.11: a temporary file holds the copy
            fd, self._tmp = tempfile.mkstemp(suffix=".sqlite", prefix="mlmd-lens-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            self.conn = sqlite3.connect(self._tmp)
        if not writable:
            self.conn.execute("PRAGMA query_only = 1")

    def serialize(self) -> bytes:
        if hasattr(self.conn, "serialize"):
            return self.conn.serialize()
        self.conn.commit()
        return Path(self._tmp).read_bytes()

    def close(self) -> None:
        self.conn.close()
        if self._tmp:
            os.unlink(self._tmp)

    def __enter__(self) -> "_Copy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _tables(conn: sqlite3.Connection) -> list:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [r[0] for r in rows]


def _check_mlmd(conn: sqlite3.Connection, name: str) -> list:
    """The table names; refuses a database without the MLMD tables (core message)."""
    try:
        names = _tables(conn)
    except sqlite3.DatabaseError as e:
        raise _damaged(name, e) from e
    missing = [t for t in REQUIRED_TABLES if t not in names]
    if missing:
        shown = [n for n in names if not n.startswith("sqlite_")][:20]
        raise MlmdError(
            "not-mlmd",
            f"{name}: SQLite file but no MLMD tables (missing: {', '.join(missing)}; "
            f"found: {', '.join(shown) if shown else 'no tables'})",
        )
    return names


def _damaged(name: str, e: Exception) -> MlmdError:
    return MlmdError("corrupt", f"{name}: the SQLite file is damaged: {e}")


def summarize(data: bytes, name: str) -> Summary:
    """Checks that ``data`` is an MLMD store and counts what it holds.

    Raises:
        MlmdError: with the core's message for an empty, non-SQLite, truncated, damaged
            or non-MLMD file.
    """
    check_header(data, name)
    try:
        copy = _Copy(data)
    except sqlite3.DatabaseError as e:
        raise _damaged(name, e) from e
    with copy:
        conn = copy.conn
        tables = _check_mlmd(conn, name)
        try:
            version = -1
            if "MLMDEnv" in tables:
                row = conn.execute("SELECT max(schema_version) FROM MLMDEnv").fetchone()
                version = row[0] if row and row[0] is not None else -1
            count = lambda t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: E731
            marks = ",".join("?" * len(PIPELINE_CONTEXT_TYPES))
            pipelines = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT c.name FROM Context c JOIN Type t ON t.id = c.type_id "
                    f"WHERE t.name IN ({marks}) ORDER BY c.name",
                    PIPELINE_CONTEXT_TYPES,
                )
            ]
            return Summary(
                schema_version=version,
                executions=count("Execution"),
                artifacts=count("Artifact"),
                contexts=count("Context"),
                events=count("Event"),
                pipelines=pipelines,
            )
        except sqlite3.DatabaseError as e:
            raise _damaged(name, e) from e


def _ids(conn: sqlite3.Connection, sql: str, params: Sequence = ()) -> set:
    return {r[0] for r in conn.execute(sql, params)}


def _in(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def subset(
    data: bytes,
    name: str,
    pipeline: Optional[str] = None,
    executions: Optional[Iterable[int]] = None,
) -> tuple:
    """A smaller copy of the store holding only the chosen executions, with the MLMD
    schema unchanged: returns ``(bytes, kept_execution_count)``.

    An execution is kept when it belongs to ``pipeline`` (it is associated with the
    pipeline's context — cmflib ``Parent_Context``, TFX ``pipeline``, KFP
    ``system.Pipeline`` — or with a context below it, or its ``Pipeline_Type`` property
    names it) and, when ``executions`` is given, its id is in it. Kept are also their
    events (and event paths), the artifacts those events name, the contexts the kept
    executions and artifacts belong to with their parent contexts, every property of what
    is kept, and all types and ``MLMDEnv``.

    Raises:
        MlmdError: for a bad file (as :func:`summarize`), an unknown pipeline (the message
            lists the pipelines) or a selection that keeps no execution.
    """
    summary = summarize(data, name)
    try:
        copy = _Copy(data, writable=True)
    except sqlite3.DatabaseError as e:
        raise _damaged(name, e) from e
    with copy:
        conn = copy.conn
        tables = set(_tables(conn))
        keep = _ids(conn, "SELECT id FROM Execution")
        if pipeline is not None:
            keep &= _pipeline_executions(conn, tables, pipeline, summary, name)
        if executions is not None:
            wanted = {int(i) for i in executions}
            unknown = sorted(wanted - _ids(conn, "SELECT id FROM Execution"))
            if unknown:
                raise MlmdError(
                    "invalid-argument",
                    f"{name}: no execution with id {', '.join(map(str, unknown[:10]))} in this store",
                )
            keep &= wanted
        if not keep:
            raise MlmdError("invalid-argument", f"{name}: the filter keeps no execution")
        _prune(conn, tables, keep)
        conn.commit()
        conn.execute("VACUUM")
        return copy.serialize(), len(keep)


def _pipeline_executions(conn, tables, pipeline, summary, name) -> set:
    marks = ",".join("?" * len(PIPELINE_CONTEXT_TYPES))
    roots = _ids(
        conn,
        f"SELECT c.id FROM Context c JOIN Type t ON t.id = c.type_id WHERE t.name IN ({marks}) AND c.name = ?",
        (*PIPELINE_CONTEXT_TYPES, pipeline),
    )
    by_property = _ids(
        conn,
        "SELECT execution_id FROM ExecutionProperty WHERE name = 'Pipeline_Type' AND string_value = ?",
        (pipeline,),
    )
    if not roots and not by_property:
        known = ", ".join(summary.pipelines) or "none recorded"
        raise MlmdError("invalid-argument", f"{name}: no pipeline named {pipeline!r} (pipelines: {known})")
    contexts = set(roots)
    if "ParentContext" in tables and roots:
        frontier = set(roots)
        while frontier:  # every context below the pipeline's (bounded by the context count)
            below = _ids(
                conn, f"SELECT context_id FROM ParentContext WHERE parent_context_id IN ({_in(frontier)})"
            )
            frontier = below - contexts
            contexts |= frontier
    return by_property | _ids(
        conn, f"SELECT execution_id FROM Association WHERE context_id IN ({_in(contexts)})"
    )


def _prune(conn, tables, keep: set) -> None:
    """Deletes every row that the kept executions do not reach."""
    k = _in(keep)
    run = conn.execute
    if "EventPath" in tables:
        run(f"DELETE FROM EventPath WHERE event_id IN (SELECT id FROM Event WHERE execution_id NOT IN ({k}))")
    run(f"DELETE FROM Event WHERE execution_id NOT IN ({k})")
    run(f"DELETE FROM Association WHERE execution_id NOT IN ({k})")
    run(f"DELETE FROM ExecutionProperty WHERE execution_id NOT IN ({k})")
    run(f"DELETE FROM Execution WHERE id NOT IN ({k})")
    artifacts = _in(_ids(conn, "SELECT DISTINCT artifact_id FROM Event"))
    run(f"DELETE FROM ArtifactProperty WHERE artifact_id NOT IN ({artifacts})")
    if "Attribution" in tables:
        run(f"DELETE FROM Attribution WHERE artifact_id NOT IN ({artifacts})")
    run(f"DELETE FROM Artifact WHERE id NOT IN ({artifacts})")
    contexts = _ids(conn, "SELECT context_id FROM Association")
    if "Attribution" in tables:
        contexts |= _ids(conn, "SELECT context_id FROM Attribution")
    if "ParentContext" in tables:
        frontier = set(contexts)
        while frontier:  # and their ancestors
            above = _ids(
                conn, f"SELECT parent_context_id FROM ParentContext WHERE context_id IN ({_in(frontier)})"
            )
            frontier = above - contexts
            contexts |= frontier
    c = _in(contexts)
    if "ParentContext" in tables:
        run(f"DELETE FROM ParentContext WHERE context_id NOT IN ({c}) OR parent_context_id NOT IN ({c})")
    if "Attribution" in tables:
        run(f"DELETE FROM Attribution WHERE context_id NOT IN ({c})")
    if "ContextProperty" in tables:
        run(f"DELETE FROM ContextProperty WHERE context_id NOT IN ({c})")
    run(f"DELETE FROM Context WHERE id NOT IN ({c})")
