"""Wiring room: the one way a pack is opened, at start-up and by File > Open Pack; no Qt."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ketreader.content.diagnostics import PackError
from ketreader.library import Library
from ketreader.log import get
from ketreader.pipeline import open_library
from ketreader.resources import default_pack_dir

_log = get("library")


class Opened(NamedTuple):
    """The library to show, and why the requested pack was refused, if it was."""

    library: Library
    refused: str | None = None


def load_library(requested: Path | None = None, *, fallback: bool = True) -> Opened:
    """Open ``requested`` (None: the bundled guide).

    With ``fallback`` a pack that cannot be opened is reported and the bundled guide opened
    instead (start-up must show something); without it PackError is raised, so the reader
    keeps the pack it has (File > Open Pack).
    """
    target = requested or default_pack_dir()
    try:
        library = open_library(target)
    except PackError as exc:
        if not fallback or requested is None:
            raise
        _log.warning("%s (showing the bundled guide)", exc)
        return Opened(open_library(default_pack_dir()), str(exc))
    _log.debug("opened %s", target)
    return Opened(library)


def requested_pack(content: str) -> Path | None:
    """The pack the effective ``content`` setting names; None for the bundled guide."""
    return Path(content) if content else None
