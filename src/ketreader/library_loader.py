"""Wiring room: the one way a pack is opened, at start-up and by File > Open Pack; no Qt."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ketreader.content.diagnostics import PackError
from ketreader.content.pack import read_manifest, resolve_inside
from ketreader.library import Library
from ketreader.log import get
from ketreader.pipeline import cached_library, open_library
from ketreader.resources import default_pack_dir

_log = get("library")
# Below this many bytes of Markdown a pack renders in a few tens of milliseconds: it opens on
# the GUI thread, before the first paint; a larger one is prepared in the background.
QUICK_OPEN_BYTES = 512 * 1024


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


def open_at_once(requested: Path | None, *, fallback: bool = True) -> Opened | None:
    """``requested`` opened now when that takes milliseconds; None when it must be prepared.

    The bundled guide, a pack the cache holds and is current, and a small pack open on the
    GUI thread as load_library does (a broken one is refused at once, as there); any other
    pack is left to the background preparer (ui/pack_preparer.py), so the window never
    freezes while it renders.
    """
    if requested is not None:
        cached = cached_library(requested)
        if cached is not None:
            _log.debug("opened %s from the cache", requested)
            return Opened(cached)
        if not opens_quickly(requested):
            return None
    return load_library(requested, fallback=fallback)


def opens_quickly(root: Path) -> bool:
    """True when the documents of the pack at ``root`` total less than QUICK_OPEN_BYTES.

    Decided by the files' sizes on disk, without reading a document: only the manifest is
    read. A pack whose manifest or document list cannot be read counts as quick, so that its
    refusal comes at once, from the same checks as ever (content/pack.py).
    """
    manifest = read_manifest(root)
    if manifest is None:
        return True
    total = 0
    for relative in manifest[1]:
        path = resolve_inside(root, relative)
        if path is None:
            return True
        try:
            total += os.stat(path).st_size
        except OSError:
            return True
        if total >= QUICK_OPEN_BYTES:
            return False
    return True


def pack_label(root: Path) -> str:
    """What to call a pack before it is open: its manifest's title, else its folder's name."""
    manifest = read_manifest(root)
    if manifest is not None:
        return " ".join(manifest[0].split())
    return root.name or str(root)


def requested_pack(content: str) -> Path | None:
    """The pack the effective ``content`` setting names; None for the bundled guide."""
    return Path(content) if content else None
