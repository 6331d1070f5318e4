"""Wiring room: pack on disk to rendered pack and search index, cached when large; no Qt."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ketreader import platform_dirs
from ketreader.content.pack import Pack, load_pack
from ketreader.render.model import RenderedPack
from ketreader.search.index import SearchIndex

# Below this many bytes of Markdown a pack renders and indexes in memory in a few
# milliseconds; above it, the rendered pack and index are cached on disk.
LARGE_PACK_BYTES = 512 * 1024
_KEEP_CACHED = 8


class Library:
    """An opened pack: its rendered sections, and a search index built on first use."""

    def __init__(self, pack: RenderedPack, index: SearchIndex | None = None) -> None:
        self.pack = pack
        self._index = index

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex.build(self.pack)
        return self._index


def open_library(root: Path | str, *, use_cache: bool = True) -> Library:
    """Load, validate and render a pack; raise PackError naming the culprit."""
    pack = load_pack(root)
    size = sum(len(d.text) for d in pack.documents)
    if not use_cache or size < LARGE_PACK_BYTES:
        from ketreader.render.pack_render import render_pack  # Markdown only when needed

        return Library(render_pack(pack))
    return _open_cached(pack)


def cache_path(fingerprint: str) -> Path:
    return platform_dirs.cache_dir() / f"index-{fingerprint[:40]}.sqlite"


def _open_cached(pack: Pack) -> Library:
    path = cache_path(pack.fingerprint)
    index = SearchIndex.open(path, pack.fingerprint)
    if index is not None:
        return Library(index.rendered_pack(pack.root), index)
    from ketreader.render.pack_render import render_pack

    rendered = render_pack(pack)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.unlink(temp_name)
        built = SearchIndex.build(rendered, Path(temp_name))
        built.close()
        os.replace(temp_name, path)  # atomic: readers see the old file or the whole new one
        _prune(path.parent, keep=path)
        index = SearchIndex.open(path, pack.fingerprint)
    except OSError:
        index = None  # an unwritable cache only costs speed
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp_name)
    return Library(rendered, index)


def _prune(folder: Path, keep: Path) -> None:
    """Keep the most recently used few indexes so changed packs do not pile up."""
    files = sorted(folder.glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in [f for f in files if f != keep][_KEEP_CACHED - 1 :]:
        with contextlib.suppress(OSError):
            stale.unlink()
