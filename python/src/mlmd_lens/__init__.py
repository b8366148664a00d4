"""mlmd-lens for Python and notebooks: read ML Metadata (MLMD) stores — cmflib's
``mlmd``, TFX, Kubeflow, any ml-metadata SQLite file — and view them in JupyterLab and
VS Code.

    import mlmd_lens
    store = mlmd_lens.Store("mlmd")  # the Rust core (a native extension): same answers as the CLI
    store.executions(pipeline="mnist", sort="-started", limit=10)
    q = mlmd_lens.CmfQuery("mlmd")  # drops in for cmflib's CmfQuery: same names, same DataFrames
    mlmd_lens.show("mlmd")           # an output that a saved notebook re-renders with no kernel
    v = mlmd_lens.Viewer("mlmd"); v  # a live widget: v.selected, v.query

``Store`` runs the mlmd-lens core natively (``mlmd_lens._core``); the viewer runs it in the
browser (compiled to WebAssembly), so the kernel only hands over the file's bytes.
"""

from __future__ import annotations

from typing import Any

from ._api import CmfQuery, Store, vocabulary
from ._cmfquery import Execution
from ._display import DEFAULT_MAX_BYTES, MIME_TYPE, Show, show
from ._errors import MlmdError, StoreTooLarge

__version__ = "0.1.0"

__all__ = [
    "CmfQuery",
    "DEFAULT_MAX_BYTES",
    "Execution",
    "MIME_TYPE",
    "MlmdError",
    "Show",
    "Store",
    "StoreTooLarge",
    "Viewer",
    "show",
    "vocabulary",
    "__version__",
]


def __getattr__(name: str) -> Any:
    # The widget needs ipywidgets/anywidget: imported on first use, so `show` stays light.
    if name == "Viewer":
        from ._viewer import Viewer

        return Viewer
    raise AttributeError(f"module 'mlmd_lens' has no attribute {name!r}")


def _jupyter_labextension_paths() -> list:
    """Where JupyterLab finds the prebuilt extension (also installed to share/jupyter)."""
    return [{"src": "labextension", "dest": "mlmd-lens"}]
