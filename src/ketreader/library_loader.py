"""Wiring room: the one way a pack is opened, at start-up and by File > Open Pack; no Qt."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ketreader.content.diagnostics import PackError
from ketreader.library import Library
from ketreader.log import get
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
    if requested is None:
        return Opened(open_bundled())
    from ketreader.pipeline import open_library

    try:
        library = open_library(requested)
    except PackError as exc:
        if not fallback:
            raise
        _log.warning("%s (showing the bundled guide)", exc)
        return Opened(open_bundled(), str(exc))
    _log.debug("opened %s", requested)
    return Opened(library)


def open_bundled() -> Library:
    """The bundled guide: from its start record when an installed copy has one.

    The record (ketpack/start.py) holds what the first paint needs, so the guide's file is
    opened and checked only when more is needed. Without a record, or with one that is not
    for this file, the guide opens as any other pack.
    """
    from ketreader.ketpack import is_ketpack

    target = default_pack_dir()
    if is_ketpack(target):
        from ketreader.ketpack.start import read_start

        record = read_start(target)
        if record is not None:
            from ketreader.library import StoredLibrary

            _log.debug("opened %s from its start record", target)
            return StoredLibrary(target, None, record)
    from ketreader.pipeline import open_library

    return open_library(target)


def open_at_once(requested: Path | None, *, fallback: bool = True) -> Opened | None:
    """``requested`` opened now when that takes milliseconds; None when it must be prepared.

    The bundled guide, a pack the cache holds and is current, and a small pack open on the
    GUI thread as load_library does (a broken one is refused at once, as there); any other
    pack is left to the background preparer (ui/pack_preparer.py), so the window never
    freezes while it renders.
    """
    if requested is not None:
        from ketreader.pipeline import cached_library

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
    from ketreader.content.pack import read_manifest, resolve_inside

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
    from ketreader.content.pack import read_manifest

    manifest = read_manifest(root)
    if manifest is not None:
        return " ".join(manifest[0].split())
    return root.name or str(root)


def requested_pack(content: str) -> Path | None:
    """The pack the effective ``content`` setting names; None for the bundled guide."""
    return Path(content) if content else None
