"""Storage room: writing a rendered pack as one compiled SQLite file, whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

from ketreader.ketpack import format as fmt
from ketreader.ketpack.contents import Contents
from ketreader.ketpack.versions import FORMAT_VERSION, RENDER_VERSION
from ketreader.render.model import RenderedPack, document_to_row

# zlib level 1: documents pack about 3:1 (level 6: 4:1, at two and a half times the time,
# 2.4 s more for a 10,000-section pack); one document unpacks in well under a millisecond.
_LEVEL = 1


# SQLite virtual-machine steps between two looks at ``cancelled`` (well under a millisecond).
_CANCEL_CHECK_STEPS = 1000


def temp_path(target: Path) -> Path:
    """Where a build writes before the rename: beside the target, named for this process."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_ketpack(
    target: Path,
    rendered: RenderedPack,
    contents: Contents,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Write ``rendered`` and ``contents`` to ``target`` atomically.

    Raises OSError, sqlite3.Error or SearchUnavailableError; a failed build leaves no file
    behind and the old ``target``, if any, untouched. ``cancelled`` is polled while SQLite
    writes: when it says stop, the write is interrupted (sqlite3.OperationalError).
    """
    from ketreader.search.index import require_fts5

    require_fts5()  # SearchUnavailableError: said in one line, before any file is made
    temp = temp_path(target)
    _remove(temp)
    try:
        _write(temp, rendered, contents, cancelled)
        with open(temp, "rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise


def _remove(temp: Path) -> None:
    for path in (temp, temp.with_name(temp.name + "-journal")):
        with contextlib.suppress(OSError):
            path.unlink()


def _pack(value: object) -> bytes:
    return zlib.compress(
        json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"), _LEVEL
    )


def _write(
    temp: Path, rendered: RenderedPack, contents: Contents, cancelled: Callable[[], bool] | None
) -> None:
    from ketreader.search.index import write_index

    db = sqlite3.connect(str(temp), isolation_level=None)
    if cancelled is not None:  # writing a big pack's index takes seconds: Cancel won't wait
        db.set_progress_handler(lambda: 1 if cancelled() else 0, _CANCEL_CHECK_STEPS)
    try:
        # A half-written file is thrown away, never repaired: no journal needed.
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute(f"PRAGMA application_id={fmt.APPLICATION_ID}")
        db.execute("BEGIN")
        for statement in fmt.SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        meta = {
            "format": "ketpack",
            "schema": str(FORMAT_VERSION),
            "render": RENDER_VERSION,
            "fingerprint": contents.fingerprint,
            "title": rendered.title,
            "version": rendered.version or "",
            "language": rendered.language or "",
            "note": rendered.note or "",
            "manifest": contents.manifest,
            "synonyms": contents.synonyms if contents.synonyms is not None else "",
        }
        outline = _pack(
            [
                [s.id, s.title, s.level, s.parent, s.document, list(s.spans)]
                for s in rendered.sections
            ]
        )
        outline_hash = fmt.row_hash(outline)
        db.execute("INSERT INTO outline VALUES (1, ?, ?)", (outline_hash, outline))
        document_rows: list[tuple[int, str, bytes]] = []
        for idx, document in enumerate(rendered.documents):
            data = _pack(document_to_row(document))
            hashed = fmt.row_hash(data)
            db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?)", (idx, document.path, hashed, data)
            )
            document_rows.append((idx, document.path, hashed))
        image_rows = sorted((p, fmt.row_hash(d)) for p, d in contents.images.items())
        db.executemany(
            "INSERT INTO images VALUES (?, ?, ?)",
            ((p, h, contents.images[p]) for p, h in image_rows),
        )
        write_index(db, rendered)
        meta["digest"] = fmt.digest(meta, outline_hash, document_rows, image_rows)
        if contents.synonyms is None:
            del meta["synonyms"]  # absent, not empty: the digest reads both as ""
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("COMMIT")
        # Every later write transaction bumps SQLite's file change counter: recording the
        # value this last one leaves lets opening spot a file edited after it was built.
        counter, _ = fmt.read_header(temp)
        db.execute("INSERT INTO meta VALUES ('counter', ?)", (str(counter + 1),))
    finally:
        db.close()
