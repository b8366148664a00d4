"""``mlmd_lens.show()``: a notebook output that carries the store itself, so that the
kernel-free renderers (the JupyterLab extension, the VS Code renderer) draw the viewer
again from the saved notebook, with no kernel."""

from __future__ import annotations

import base64
import gzip
import html
from typing import Any, Iterable, Mapping, Optional

from ._api import PathOrBytes, Store, read_input
from ._errors import MlmdError, StoreTooLarge

#: The vendor MIME type of the output (``version`` 1 of its JSON payload).
MIME_TYPE = "application/vnd.mlmd-lens.v1+json"

#: Default limit on the compressed store carried by one output (the notebook file holds it).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

INSTALL_HINT = (
    "The interactive viewer needs the mlmd-lens front-end: `pip install mlmd-lens` in the "
    "environment that runs JupyterLab (then reload the page), or the mlmd-lens VS Code extension."
)


def _mb(n: int) -> str:
    """A size for people: ``812 bytes``, ``27.6 KB``, ``73.2 MB``."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1048576:.1f} MB"


class Show:
    """The output of :func:`show`: displays as the viewer (MIME type
    ``application/vnd.mlmd-lens.v1+json``), as a summary in plain text, and as an HTML note
    on what to install where the front-end is missing.

    Attributes:
        file_name: the file's name as shown by the viewer.
        data: the bytes of the store carried by the output (a filtered copy when
            ``pipeline=`` or ``executions=`` were given).
        summary: the core's summary of what ``data`` holds (:meth:`Store.summary`).
        payload: the JSON carried under :data:`MIME_TYPE`.
    """

    def __init__(
        self,
        data: bytes,
        file_name: str,
        summary: dict,
        payload: dict,
        subset_note: str = "",
    ) -> None:
        self.data = data
        self.file_name = file_name
        self.summary = summary
        self.payload = payload
        self._subset_note = subset_note

    def _text(self) -> str:
        s = self.summary
        version = f"MLMD schema {s['schemaVersion']}" if s["schemaVersion"] >= 0 else "MLMD store"
        lines = [
            f"mlmd-lens: {self.file_name} ({version}{self._subset_note}): {s['executions']} executions, "
            f"{s['artifacts']} artifacts, {s['contexts']} contexts, {s['events']} events",
            f"pipelines: {', '.join(s['pipelines']) if s['pipelines'] else '(none recorded)'}",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self._text()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        text = self._text()
        note = html.escape(INSTALL_HINT).replace("`pip install mlmd-lens`", "<code>pip install mlmd-lens</code>")
        fallback = (
            '<div class="mlmd-lens-fallback"><pre>'
            + html.escape(text)
            + "</pre><p>"
            + note
            + "</p></div>"
        )
        return {MIME_TYPE: self.payload, "text/plain": text, "text/html": fallback}


def show(
    path_or_bytes: PathOrBytes,
    query: Optional[str] = None,
    height: Optional[str] = None,
    *,
    pipeline: Optional[str] = None,
    executions: Optional[Iterable[int]] = None,
    state: Optional[Mapping[str, Any]] = None,
    alerts: Optional[Mapping[str, Any]] = None,
    name: Optional[str] = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Show:
    """Shows an MLMD store in a notebook: returns an object that displays as the viewer.

    The output carries the store (gzip, base64) so that JupyterLab (with the ``mlmd-lens``
    package installed) and VS Code (with the mlmd-lens extension) draw it again when the
    saved notebook is opened — with no kernel, and untrusted.

    Args:
        path_or_bytes: the store's path (cmflib's ``mlmd``, any ml-metadata SQLite file) or
            its bytes.
        query: the search shown in the viewer, e.g. ``"pipeline:mnist AND status:failed"``
            (only the view: the whole store is carried).
        height: the viewer's height in the output, a CSS length (default ``"640px"``).
        pipeline: carry only this pipeline's executions (those the viewer's pipeline
            filter shows; a smaller copy of the store made by the core, same MLMD schema:
            :meth:`Store.subset`), with their events, artifacts and contexts.
        executions: carry only these execution ids (combined with ``pipeline`` if both).
        state: other view state (``sort``, ``tab``, ``pageSize``, ``compare``, …: the
            widget's state keys; unknown keys are ignored by the viewer).
        alerts: the alert rules that flag rows with ⚠ (the core's ``alerts`` option, as
            :meth:`Store.executions` takes it: ``{"failed": True, "longRunningFactor": 3,
            "rules": [{"name": "low accuracy", "query": "property:accuracy<0.9"}]}``);
            the saved output carries them, so the notebook opens with the same alerts.
        name: the file name to show (default: the path's name, or ``"mlmd"`` for bytes).
        max_bytes: the most compressed bytes one output may carry (default 50 MB).

    Raises:
        MlmdError: the input is not an MLMD store — the core's kind and message, as the
            viewer and the CLI ("the file is empty", "not an SQLite database", "the SQLite
            file is truncated", "SQLite file but no MLMD tables (…; found: …)"); or
            ``pipeline``/``executions`` name nothing in the store.
        StoreTooLarge: the compressed store is over ``max_bytes``.

    Example:
        >>> import mlmd_lens
        >>> mlmd_lens.show("mlmd", query="pipeline:mnist")  # doctest: +SKIP
    """
    data, file_name = read_input(path_or_bytes, name)
    store = Store(data, name=file_name)
    summary = store.summary()
    raw_size = len(data)
    subset_note = ""
    subset_info = None
    if pipeline is not None or executions is not None:
        ids = None if executions is None else sorted({int(i) for i in executions})
        data = store.subset(pipeline=pipeline, executions=ids)
        summary = Store(data, name=file_name).summary()
        subset_info = {"pipeline": pipeline, "executions": ids, "of": raw_size}
        parts = ([f"pipeline {pipeline}"] if pipeline is not None else []) + (
            [f"{len(ids)} chosen executions"] if ids is not None else []
        )
        subset_note = f", filtered copy: {' and '.join(parts)}"
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    if len(packed) > max_bytes:
        hint = ""
        pipelines = summary["pipelines"]
        if pipelines:
            shown = ", ".join(repr(p) for p in pipelines[:5])
            hint = f" (pipelines: {shown}{', …' if len(pipelines) > 5 else ''})"
        raise StoreTooLarge(
            f"{file_name}: {_mb(len(packed))} compressed ({_mb(len(data))} raw) is over the "
            f"{_mb(max_bytes)} limit for a notebook output (the notebook file would carry it). "
            f"Carry a filtered copy with show(path, pipeline='NAME'){hint} or "
            "show(path, executions=[ids]); or use mlmd_lens.Viewer(path), which keeps nothing "
            f"in the notebook; or raise the limit with max_bytes={len(packed) + 1}."
        )
    view: dict = dict(state or {})
    if alerts is not None:
        view["alerts"] = dict(alerts)
    if query is not None:
        view["query"] = str(query)
    payload = {
        "version": 1,
        "fileName": file_name,
        "encoding": "gzip+base64",
        "byteLength": len(data),
        "data": base64.b64encode(packed).decode("ascii"),
        "state": view,
        "height": height,
        "subset": subset_info,
        "summary": summary,
    }
    if height is None:
        del payload["height"]
    return Show(data, file_name, summary, payload, subset_note)


__all__ = ["MIME_TYPE", "DEFAULT_MAX_BYTES", "MlmdError", "Show", "StoreTooLarge", "show"]
