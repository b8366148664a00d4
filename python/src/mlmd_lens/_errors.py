"""The exceptions of mlmd_lens. ``MlmdError`` is raised by the Rust core too
(``mlmd_lens._core`` imports this class), so one ``except`` catches both."""

from __future__ import annotations


class MlmdError(ValueError):
    """A file that cannot be read as an MLMD store, or a question it cannot answer, with
    the core's message and its ``kind`` — the same as the CLI's and the viewer's:

    ``empty``, ``not-sqlite``, ``truncated``, ``corrupt``, ``not-mlmd``,
    ``unsupported-schema``, ``io``, ``sqlite`` (the file); ``not-found`` (no such
    execution), ``invalid-argument``, ``query`` (a search that does not parse),
    ``chart`` (a chart could not be drawn); and ``too-large`` (:class:`StoreTooLarge`).

    Messages about the file start with its name: ``"mlmd: the file is empty (0 bytes): …"``.

    Example:
        >>> import mlmd_lens
        >>> try:
        ...     mlmd_lens.Store(b"")
        ... except mlmd_lens.MlmdError as e:
        ...     print(e.kind, "|", e)
        empty | mlmd: the file is empty (0 bytes): an MLMD store is an SQLite database file
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class StoreTooLarge(MlmdError):
    """The compressed store is over the size limit for a notebook output (``show()``)."""

    def __init__(self, message: str) -> None:
        super().__init__("too-large", message)
