"""Wiring room: a pack on disk to an opened Library, through its one cache; no Qt.

A folder pack's cache is a compiled pack (ketpack/) in the cache folder, named for the
fingerprint of the pack's manifest and documents and the renderer's and format's versions,
and checked against the pack's synonyms and images before it is used. A small record per
folder (its files' sizes and modification times) lets an unchanged pack reopen without
being read again; it only points at the compiled cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ketreader import paths
from ketreader.bounded_read import read_at_most
from ketreader.content.diagnostics import PackError
from ketreader.content.pack import MANIFEST, Pack, load_pack
from ketreader.ketpack import SUFFIX, is_ketpack
from ketreader.ketpack.versions import FORMAT_VERSION, RENDER_VERSION
from ketreader.library import Library, StoredLibrary
from ketreader.render.model import RenderedPack

_KEEP_CACHED = 8
_TAG = f"r{RENDER_VERSION}f{FORMAT_VERSION}"
_MAX_RECORD_BYTES = 4 * 1024 * 1024
# A temporary file older than this is from a build that was killed, whatever its process id.
_STALE_SECONDS = 24 * 3600
# Caches of earlier versions: removed when a cache is next written.
_OLD_CACHES = ("rendered-*.marshal", "open-*.marshal", "index-*.sqlite", ".index-*.tmp")
SYNONYMS = "synonyms.toml"


def open_library(root: Path | str, *, use_cache: bool = True) -> Library:
    """Open a folder pack or a compiled .ketpack; raise PackError naming the culprit.

    With the cache, an unchanged folder pack (same files, sizes and modification times as
    when it was last opened) opens from its compiled cache without re-reading or rendering.
    """
    root = Path(root)
    if is_ketpack(root):
        return open_ketpack(root)
    if use_cache:
        library = _quick_open(root)
        if library is not None:
            return library
    pack = load_pack(root)
    if not use_cache:
        return _in_memory(pack, _render(pack))
    library = _open_cached(pack)
    if library is not None:
        return library
    return store_rendered(pack, _render(pack))


def open_ketpack(path: Path) -> Library:
    """A compiled pack, verified; PackError when it is truncated, foreign, edited or unknown."""
    from ketreader.ketpack.read import KetPack

    return StoredLibrary(path, KetPack.open(path))


def cached_library(root: Path | str) -> Library | None:
    """The pack from the cache when it is there and current, without rendering; else None.

    Cheap enough for the GUI thread: the window asks this first, and prepares a pack that is
    not cached off the GUI thread (ui/pack_preparer.py). A .ketpack is opened directly;
    None when it cannot be (opening it through open_library then reports why).
    """
    root = Path(root)
    if is_ketpack(root):
        try:
            return open_ketpack(root)
        except PackError:
            return None
    return _quick_open(root)


class StoreCancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """``cancelled()`` said stop while the cache was being written; nothing was kept."""


def store_rendered(
    pack: Pack, rendered: RenderedPack, cancelled: Callable[[], bool] | None = None
) -> Library:
    """Cache a pack rendered elsewhere (by the background preparer) and open it from there.

    An unwritable or full cache folder only costs speed: the pack is then kept in memory.
    Raises StoreCancelled when ``cancelled()`` stops the write.
    """
    import sqlite3

    from ketreader.ketpack.contents import gather
    from ketreader.ketpack.write import write_ketpack
    from ketreader.search.index import SearchUnavailableError

    contents = gather(pack, rendered)
    path = cache_path(pack.fingerprint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_cache(path.parent)
        write_ketpack(path, rendered, contents, cancelled)
        library = _open_cache_file(pack.root, path)
    except (OSError, sqlite3.Error, PackError, SearchUnavailableError):
        if cancelled is not None and cancelled():
            raise StoreCancelled from None
        library = None
    if library is None:
        return _in_memory(pack, rendered, contents.fingerprint, contents.synonyms)
    _prune(path.parent, keep=path)
    _remember(pack, library, contents.images)
    return library


def _in_memory(
    pack: Pack,
    rendered: RenderedPack,
    fingerprint: str | None = None,
    synonyms: str | None = None,
) -> Library:
    if fingerprint is None:
        from ketreader.ketpack.contents import gather

        contents = gather(pack, rendered)
        fingerprint, synonyms = contents.fingerprint, contents.synonyms
    return Library(pack.root, rendered, fingerprint=fingerprint, synonyms=synonyms or "")


def _render(pack: Pack) -> RenderedPack:
    """Render every document in this process.

    Not in prepare.py's worker pool: spawned workers re-import the caller's main module, so a
    script without an ``if __name__ == "__main__"`` guard that calls open_library would fail.
    The window prepares large packs in the pool (prepare.py), as `pack build` does.
    """
    # Imported here: Markdown and its extensions cost more start-up time than Qt's first paint.
    from ketreader.render.pack_render import render_pack

    return render_pack(pack)


# -- the compiled cache ------------------------------------------------------------------


def cache_path(source_fingerprint: str) -> Path:
    """The compiled cache of a folder pack whose manifest and documents hash to this."""
    return paths.cache_dir() / f"pack-{source_fingerprint[:40]}-{_TAG}{SUFFIX}"


def _open_cache_file(root: Path, path: Path) -> StoredLibrary | None:
    """A folder pack's compiled cache, verified; None (and the file removed) if damaged."""
    from ketreader.ketpack.read import KetPack

    try:
        stored = KetPack.open(path)
    except PackError:
        _drop(path)
        return None
    library = StoredLibrary(root, stored)

    def damaged() -> None:
        # Found damaged while in use: the next open renders the pack again.
        _drop(path)
        _drop(_record_path(root))

    def rerender() -> RenderedPack:
        return _render(load_pack(root))

    library.on_damage = damaged
    library.fallback = rerender
    return library


def _open_cached(pack: Pack) -> Library | None:
    """The cache of ``pack`` when its synonyms and images are still the ones it holds."""
    from ketreader.ketpack.contents import fingerprint, image_hash, read_image
    from ketreader.search.synonyms import read_synonyms

    path = cache_path(pack.fingerprint)
    library = _open_cache_file(pack.root, path)
    if library is None:
        return None
    synonyms, _ = read_synonyms(pack.root)
    hashes: list[tuple[str, bytes]] = []
    images: dict[str, bytes] = {}
    for relative, _stored in library.stored.image_hashes():
        data = read_image(pack.root, relative)
        if data is None:
            return None
        images[relative] = data
        hashes.append((relative, image_hash(data)))
    if fingerprint(pack.fingerprint, synonyms, hashes) != library.fingerprint:
        return None  # an image or the synonyms changed: render again
    _remember(pack, library, images)
    return library


def _drop(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# -- quick open: skip reading an unchanged folder pack ----------------------------------------


def _record_path(root: Path) -> Path:
    key = zlib.crc32(str(root.resolve()).encode("utf-8", "surrogatepass"))
    return paths.cache_dir() / f"open-{key:08x}-{_TAG}.json"


def _stamps(root: Path, files: list[str]) -> list[list[Any]] | None:
    stamps: list[list[Any]] = []
    # Plain strings, not pathlib: this runs for every document on each open (2,000 files
    # take 10 ms this way, 60 ms through Path objects).
    base = os.path.join(str(root), "")
    stat_of = os.stat
    for rel in files:
        try:
            info = stat_of(base + rel)
        except FileNotFoundError:
            stamps.append([rel, None, None])  # absent (synonyms.toml): must stay absent
            continue
        except (OSError, ValueError):
            return None
        stamps.append([rel, info.st_size, info.st_mtime_ns])
    return stamps


def _remember(pack: Pack, library: StoredLibrary, images: dict[str, bytes]) -> None:
    files = [MANIFEST, SYNONYMS, *(d.path for d in pack.documents), *images]
    stamps = _stamps(pack.root, files)
    if stamps is None:
        return
    record = {
        "root": str(pack.root.resolve()),
        "stamps": stamps,
        "cache": library.stored.path.name,
        "fingerprint": library.fingerprint,
    }
    _write_small(_record_path(pack.root), json.dumps(record).encode("utf-8", "surrogatepass"))


def _quick_open(root: Path) -> Library | None:
    try:
        record = json.loads(read_cache_file(_record_path(root), _MAX_RECORD_BYTES))
        if record["root"] != str(root.resolve()):
            return None
        files = [str(stamp[0]) for stamp in record["stamps"]]
        if _stamps(root, files) != record["stamps"]:
            return None
        name = str(record["cache"])
        if "/" in name or "\\" in name or not name.endswith(SUFFIX):
            return None
        expected = str(record["fingerprint"])
        library = _open_cache_file(root, paths.cache_dir() / name)
        if library is not None and library.fingerprint != expected:
            # Whole but another pack's (a cache file copied over this one): render again.
            library.stored.close()
            return None
        return library
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # no record, or a damaged one: open the slow, validating way


# -- cache hygiene --------------------------------------------------------------------------


def read_cache_file(path: Path, limit: int) -> bytes:
    """A small cache file's bytes; OSError unless it is a regular file within ``limit``."""
    data = read_at_most(path, limit + 1)
    if len(data) > limit:
        raise OSError(f"{path}: larger than {limit} bytes")
    return data


def _write_small(path: Path, data: bytes) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except OSError:
            _drop(Path(temp))
            raise
    except OSError:
        pass  # an unwritable cache only costs speed


def clean_cache(folder: Path) -> None:
    """Remove temporaries of builds that were killed, and caches of earlier versions."""
    now = time.time()
    for temp in folder.glob(".*.tmp*"):
        parts = temp.name.split(".")
        # ".NAME.PID.tmp", ".NAME.PID.tmp-journal" (ketpack/write.py, _write_small)
        pid = next((int(p) for p in reversed(parts) if p.isdigit()), None)
        try:
            age = now - temp.lstat().st_mtime
        except OSError:
            continue
        if pid == os.getpid() and age < _STALE_SECONDS:
            continue
        if pid is not None and pid != os.getpid() and age < _STALE_SECONDS and _alive(pid):
            continue  # another reader is building this very moment
        _drop(temp)
    for pattern in _OLD_CACHES:
        for old in folder.glob(pattern):
            _drop(old)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        return True  # no cheap probe: the age rule above removes it in a day
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _prune(folder: Path, keep: Path) -> None:
    """Keep the most recently used few caches so changed packs do not pile up."""

    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    files = sorted(folder.glob(f"pack-*{SUFFIX}"), key=used, reverse=True)
    for stale in [f for f in files if f != keep][_KEEP_CACHED - 1 :]:
        _drop(stale)
