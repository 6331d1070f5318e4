"""Wiring room: pack on disk to rendered pack and search index, cached when large; no Qt."""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketreader import paths
from ketreader.content.pack import MANIFEST, Pack, load_pack
from ketreader.library import Library
from ketreader.render.model import RenderedPack, pack_from_json, pack_to_json

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# Below this many bytes of Markdown a pack renders and indexes in memory in a few
# milliseconds; above it, the rendered pack and index are cached on disk.
LARGE_PACK_BYTES = 512 * 1024
_KEEP_CACHED = 8
RENDER_VERSION = "5"  # bump when rendering output changes, so old caches are not reused
# marshal is the fastest loader with no import cost, but its format is per Python version.
_CACHE_TAG = f"{RENDER_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"


def open_library(root: Path | str, *, use_cache: bool = True) -> Library:
    """Load, validate and render a pack; raise PackError naming the culprit.

    With the cache, an unchanged pack (same files, sizes and modification times as when it
    was last opened and validated) opens without re-reading, re-hashing or re-rendering it.
    """
    root = Path(root)
    if use_cache:
        library = _quick_open(root)
        if library is not None:
            return library
    pack = load_pack(root)
    if not use_cache:
        return Library(root, _render(pack))
    if sum(len(d.text) for d in pack.documents) < LARGE_PACK_BYTES:
        library = Library(root, _cached_render(pack))
        _remember(pack, library.rendered)
    else:
        library = _open_cached(pack)
        _remember(pack, None)
    return library


def cached_library(root: Path | str) -> Library | None:
    """The pack from the cache when it is there and current, without rendering; else None.

    Cheap enough for the GUI thread: the window asks this first, and prepares a pack that is
    not cached off the GUI thread (ui/pack_preparer.py).
    """
    return _quick_open(Path(root))


def store_rendered(pack: Pack, rendered: RenderedPack) -> Library:
    """Cache a pack rendered elsewhere (by the background preparer) and open it from there."""
    if sum(len(d.text) for d in pack.documents) < LARGE_PACK_BYTES:
        _remember(pack, rendered)
        return Library(pack.root, rendered)
    library = _store_index(pack, rendered)
    _remember(pack, None)
    return library


def _render(pack: Pack) -> RenderedPack:
    # Imported here: Markdown and its extensions cost more start-up time than Qt's first paint.
    from ketreader.render.pack_render import render_pack

    return render_pack(pack)


def _cached_render(pack: Pack) -> RenderedPack:
    """A small pack's rendering, from the cache when this exact content was seen before."""
    path = paths.cache_dir() / f"rendered-{pack.fingerprint[:40]}-{_CACHE_TAG}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, KeyError, TypeError):
        return pack_from_json(marshal.loads(path.read_bytes()), pack.root)
    rendered = _render(pack)
    _write_atomically(path, marshal.dumps(pack_to_json(rendered)))
    _prune(path.parent, "rendered-*.marshal", keep=path)
    return rendered


# -- quick open: skip reading an unchanged pack ---------------------------------------------


def _quick_path(root: Path) -> Path:
    key = zlib.crc32(str(root.resolve()).encode("utf-8", "surrogatepass"))
    return paths.cache_dir() / f"open-{key:08x}-{_CACHE_TAG}.marshal"


def _stamps(root: Path, files: list[str]) -> list[list[Any]] | None:
    stamps: list[list[Any]] = []
    for rel in files:
        try:
            info = os.stat(root / rel)
        except OSError:
            return None
        stamps.append([rel, info.st_size, info.st_mtime_ns])
    return stamps


def _remember(pack: Pack, rendered: RenderedPack | None) -> None:
    stamps = _stamps(pack.root, [MANIFEST, *(d.path for d in pack.documents)])
    if stamps is None:
        return
    record = {
        "root": str(pack.root.resolve()),
        "stamps": stamps,
        "fingerprint": pack.fingerprint,
        "rendered": pack_to_json(rendered) if rendered is not None else None,
    }
    _write_atomically(_quick_path(pack.root), marshal.dumps(record))


def _quick_open(root: Path) -> Library | None:
    try:
        record = marshal.loads(_quick_path(root).read_bytes())
        if record["root"] != str(root.resolve()):
            return None
        files = [stamp[0] for stamp in record["stamps"]]
        if _stamps(root, files) != record["stamps"]:
            return None
        if record["rendered"] is not None:
            return Library(root, pack_from_json(record["rendered"], root))
        from ketreader.search.index import SearchIndex

        fingerprint = str(record["fingerprint"])
        index = SearchIndex.open(cache_path(fingerprint), fingerprint)
        return _from_index(root, index) if index is not None else None
    except (OSError, ValueError, EOFError, KeyError, TypeError, IndexError):
        return None  # no record, or a damaged one: open the slow, validating way


def _write_atomically(path: Path, data: bytes) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        pass  # an unwritable cache only costs speed


def cache_path(fingerprint: str) -> Path:
    return paths.cache_dir() / f"index-{fingerprint[:40]}.sqlite"


def _open_cached(pack: Pack) -> Library:

    from ketreader.search.index import SearchIndex

    path = cache_path(pack.fingerprint)
    index = SearchIndex.open(path, pack.fingerprint)
    if index is not None:
        return _from_index(pack.root, index)
    return _store_index(pack, _render(pack))


def _store_index(pack: Pack, rendered: RenderedPack) -> Library:
    import sqlite3

    from ketreader.search.index import SearchIndex

    path = cache_path(pack.fingerprint)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        SearchIndex.build(rendered, temp).close()
        os.replace(temp, path)  # atomic: readers see the old file or the whole new one
        _prune(path.parent, "index-*.sqlite", keep=path)
        index = SearchIndex.open(path, pack.fingerprint)
    except (OSError, sqlite3.Error):
        index = None  # an unwritable or full cache only costs speed: index in memory
        with contextlib.suppress(OSError):
            temp.unlink()
    return Library(pack.root, rendered, index)


def _from_index(root: Path, index: SearchIndex) -> Library:
    return Library(root, lambda: index.rendered_pack(root), index)


def _prune(folder: Path, pattern: str, keep: Path) -> None:
    """Keep the most recently used few cache files so changed packs do not pile up."""
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in [f for f in files if f != keep][_KEEP_CACHED - 1 :]:
        with contextlib.suppress(OSError):
            stale.unlink()
