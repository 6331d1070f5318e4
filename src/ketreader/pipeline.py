"""Wiring room: pack on disk to rendered pack and search index, cached when large; no Qt."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ketreader import platform_dirs
from ketreader.content.pack import Pack, load_pack
from ketreader.render.model import RenderedPack, pack_from_json, pack_to_json

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# Below this many bytes of Markdown a pack renders and indexes in memory in a few
# milliseconds; above it, the rendered pack and index are cached on disk.
LARGE_PACK_BYTES = 512 * 1024
_KEEP_CACHED = 8
RENDER_VERSION = "1"  # bump when rendering output changes, so old caches are not reused


class Library:
    """An opened pack: its rendered sections, and a search index built on first use."""

    def __init__(self, pack: RenderedPack, index: SearchIndex | None = None) -> None:
        self.pack = pack
        self._index = index

    @property
    def index(self) -> SearchIndex:
        """Built on first use: the window paints before any search is typed."""
        if self._index is None:
            from ketreader.search.index import SearchIndex

            self._index = SearchIndex.build(self.pack)
        return self._index


def open_library(root: Path | str, *, use_cache: bool = True) -> Library:
    """Load, validate and render a pack; raise PackError naming the culprit."""
    pack = load_pack(root)
    if not use_cache:
        return Library(_render(pack))
    if sum(len(d.text) for d in pack.documents) < LARGE_PACK_BYTES:
        return Library(_cached_render(pack))
    return _open_cached(pack)


def _render(pack: Pack) -> RenderedPack:
    # Imported here: Markdown and its extensions cost more start-up time than Qt's first paint.
    from ketreader.render.pack_render import render_pack

    return render_pack(pack)


def _cached_render(pack: Pack) -> RenderedPack:
    """A small pack's rendering, from the cache when this exact content was seen before."""
    path = platform_dirs.cache_dir() / f"rendered-{pack.fingerprint[:40]}-{RENDER_VERSION}.json"
    try:
        return pack_from_json(json.loads(path.read_text("utf-8")), pack.root)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged: render afresh
    rendered = _render(pack)
    _write_atomically(path, json.dumps(pack_to_json(rendered), ensure_ascii=False))
    return rendered


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError:
        pass  # an unwritable cache only costs speed


def cache_path(fingerprint: str) -> Path:
    return platform_dirs.cache_dir() / f"index-{fingerprint[:40]}.sqlite"


def _open_cached(pack: Pack) -> Library:
    from ketreader.search.index import SearchIndex

    path = cache_path(pack.fingerprint)
    index = SearchIndex.open(path, pack.fingerprint)
    if index is not None:
        return Library(index.rendered_pack(pack.root), index)
    rendered = _render(pack)
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
