"""``mlmd_lens.Viewer``: the live widget (anywidget) for use with a kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import anywidget
import traitlets

from ._api import PathOrBytes, Store, read_input

#: The one front-end module (widget + wasm + CSS), built from python/js by `make wheel`.
_BUNDLE = Path(__file__).parent / "static" / "viewer.js"


class Viewer(anywidget.AnyWidget):
    """The viewer as a live widget: what is selected and searched in the view is readable
    and settable from Python.

    Synced traits (two-way):
        query: the search box (``"pipeline:mnist AND status:failed"``); setting it filters
            the view.
        selected: the ids of the executions whose checkbox is ticked (the viewer's
            compare selection, at most 5), in the order they were ticked; setting it ticks
            those rows.
        opened: the id of the execution whose details are open, or ``None``.
        alerts: the alert rules that flag rows with ⚠ (the core's ``alerts`` option:
            ``{"failed": True, "longRunningFactor": 3, "longRunningMs": 3600000,
            "rules": [{"name": "low accuracy", "query": "property:accuracy<0.9"}]}``);
            rules added or removed in the view's Alerts panel show here, and setting it
            changes the view. ``None`` until the view reports the rules it starts with.

    The store's bytes go to the front end once per widget (as a binary message, not
    saved in the notebook); the wasm and JS ship inside the module, so nothing is
    fetched. Use :func:`mlmd_lens.show` for an output that a saved notebook re-renders
    without a kernel.

    Attributes:
        summary: the core's summary of the store (:meth:`mlmd_lens.Store.summary`).

    Raises:
        MlmdError: the input is not an MLMD store (same kinds and messages as :func:`show`).

    Example:
        >>> v = mlmd_lens.Viewer("mlmd")   # doctest: +SKIP
        >>> v                              # displays the viewer; tick rows, then:
        >>> v.selected                     # [3, 7]
        >>> v.query = "status:failed"
    """

    _esm = _BUNDLE
    _bytes = traitlets.Bytes(b"").tag(sync=True)
    _file_name = traitlets.Unicode("mlmd").tag(sync=True)
    height = traitlets.Unicode("640px").tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.List(traitlets.Int(), default_value=[]).tag(sync=True)
    opened = traitlets.Int(None, allow_none=True).tag(sync=True)
    alerts = traitlets.Union([traitlets.Dict()], default_value=None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        path_or_bytes: PathOrBytes,
        *,
        query: str = "",
        height: Optional[str] = None,
        name: Optional[str] = None,
        alerts: Optional[dict] = None,
        **kwargs: Any,
    ) -> None:
        data, file_name = read_input(path_or_bytes, name)
        self.summary = Store(data, name=file_name).summary()
        extra: dict = {"height": height} if height else {}
        if alerts is not None:
            extra["alerts"] = alerts
        super().__init__(_bytes=data, _file_name=file_name, query=query, **extra, **kwargs)

    def __repr__(self) -> str:
        n = self.summary["executions"]
        return f"<mlmd_lens.Viewer {self._file_name}: {n} executions, query={self.query!r}, selected={self.selected}>"
