"""mlmd-lens in notebooks: view ML Metadata (MLMD) stores — cmflib's ``mlmd``, TFX,
Kubeflow, any ml-metadata SQLite file — in JupyterLab and VS Code.

    import mlmd_lens
    mlmd_lens.show("mlmd")          # an output that a saved notebook re-renders with no kernel
    v = mlmd_lens.Viewer("mlmd"); v # a live widget: v.selected, v.query

The viewer runs in the browser (the mlmd-lens core compiled to WebAssembly); the kernel
only hands over the file's bytes.
"""

from __future__ import annotations

from typing import Any

from ._display import DEFAULT_MAX_BYTES, MIME_TYPE, Show, show
from ._store import MlmdError, StoreTooLarge, Summary

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MIME_TYPE",
    "MlmdError",
    "Show",
    "StoreTooLarge",
    "Summary",
    "Viewer",
    "show",
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
