"""Storage room: a compiled pack's start record, what the first paint needs, without SQLite.

The bundled guide carries one beside it (``what-is-ketamine.ketpack.start``, written at
packaging time): the manifest's values, the outline and the first document. The window
opens the guide from it and opens the pack file itself only when something more is needed
(another document, an image, search), so start-up imports neither SQLite nor JSON and reads
no table before the first paint.

The record is marshal data, as trusted as the program's own compiled modules in the same
folder; it is only ever read from the program's own resources, never from a place a user
can write. It names the pack file it was taken from by its size and a checksum of all its
bytes (a fraction of a millisecond for the guide); a record that does not match its pack is
not used, and the pack opens as usual.
"""

from __future__ import annotations

import marshal
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from ketreader.bounded_read import read_at_most
from ketreader.ketpack import format as fmt
from ketreader.ketpack.rows import outline_sections
from ketreader.render.model import Section

SUFFIX = ".start"
START_FORMAT = 1
_MAX_BYTES = 8 * 1024 * 1024  # the first document of a large pack, with room to spare
# Beyond this the pack is not checksummed at start-up: a record is for a small bundled pack.
_MAX_PACK_BYTES = 64 * 1024 * 1024


class StartRecord(NamedTuple):
    """What the first paint of a compiled pack needs."""

    meta: dict[str, str]  # the pack's meta table: title, fingerprint, version, ...
    sections: tuple[Section, ...]
    document_count: int
    documents: dict[int, list[Any]]  # rows by index, checked as the pack's are when shown


def start_path(pack: Path) -> Path:
    return pack.with_name(pack.name + SUFFIX)


def write_start(pack: Path, documents: int = 1) -> Path:
    """Write the start record of the compiled pack ``pack`` beside it, with its first
    ``documents`` documents; return its path. Raises PackError if ``pack`` cannot be opened.
    """
    from ketreader.atomic_write import replacing
    from ketreader.ketpack.read import KetPack
    from ketreader.render.model import document_to_row

    stored = KetPack.open(pack)
    try:
        data = {
            "start": START_FORMAT,
            "pack": _identity(pack),
            "meta": dict(stored.meta),
            "count": stored.document_count,
            "outline": [
                [s.id, s.title, s.level, s.parent, s.document, list(s.spans)]
                for s in stored.outline()
            ],
            "documents": {
                index: document_to_row(stored.document(index))
                for index in range(min(documents, stored.document_count))
            },
        }
    finally:
        stored.close()
    target = start_path(pack)
    with replacing(target) as temporary:
        temporary.write_bytes(marshal.dumps(data))
    return target


def _identity(pack: Path) -> list[int] | None:
    """The size and CRC-32 of every byte of ``pack``; None for a file too large to check."""
    fmt.read_header(pack)  # a compiled pack, whole: raises FormatError otherwise
    data = read_at_most(pack, _MAX_PACK_BYTES + 1)
    if len(data) > _MAX_PACK_BYTES:
        return None
    return [len(data), zlib.crc32(data)]


def read_start(pack: Path) -> StartRecord | None:
    """The start record beside ``pack``, if there is one and it was taken from this very file.

    None otherwise, for whatever reason: the pack is then opened and checked as any other.
    """
    try:
        raw = read_at_most(start_path(pack), _MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return None
        data = marshal.loads(raw)
        if type(data) is not dict or data.get("start") != START_FORMAT:
            return None
        recorded = data.get("pack")
        if recorded is None or recorded != _identity(pack):
            return None  # the pack was replaced or edited after the record was taken
        meta, count, documents = data["meta"], data["count"], data["documents"]
        if not (
            type(meta) is dict
            and all(type(k) is str and type(v) is str for k, v in meta.items())
            and type(count) is int
            and type(documents) is dict
            and all(
                type(i) is int and 0 <= i < count and type(r) is list for i, r in documents.items()
            )
            and type(meta.get("title")) is str
            and type(meta.get("fingerprint")) is str
        ):
            return None
        fmt.check_version(meta)
        sections = outline_sections(data["outline"], count)
    except (OSError, EOFError, TypeError, ValueError, KeyError, fmt.FormatError):
        return None
    return StartRecord(meta, sections, count, documents)
