"""Storage room: the compiled pack's tables, header checks and hashes (docs/content-packs.md)."""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterable
from pathlib import Path

from ketreader.ketpack.versions import FORMAT_VERSION

# "KETP": SQLite's header field for the application that owns the file, so a foreign SQLite
# database is told apart from a compiled pack before any table is read.
APPLICATION_ID = 0x4B455450
_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100

# The manifest's values and the bookkeeping; the index tables come from search/index.py.
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE outline(id INTEGER PRIMARY KEY CHECK (id = 1), hash BLOB, data BLOB);
CREATE TABLE documents(idx INTEGER PRIMARY KEY, path TEXT, hash BLOB, data BLOB);
CREATE TABLE images(path TEXT PRIMARY KEY, hash BLOB, data BLOB);
"""

# meta keys the digest covers, in this order ("digest" and "counter" are about the file).
DIGESTED_KEYS = (
    "format",
    "schema",
    "render",
    "fingerprint",
    "title",
    "version",
    "language",
    "note",
    "manifest",
    "synonyms",
)


class FormatError(Exception):
    """Why a file is not a readable compiled pack, in a few words."""


# Row hashes and the digest are CRC-32 checksums, not signatures: anyone able to edit the file
# can recompute any unkeyed hash, so SHA-256 would catch nothing more, and would put
# OpenSSL's import (3-4 MiB, several ms) on every start. The pack's fingerprint, computed
# once when it is built, stays SHA-256 (contents.py).
def row_hash(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")


def digest(
    meta: dict[str, str],
    outline_hash: bytes,
    documents: Iterable[tuple[int, str, bytes]],
    images: Iterable[tuple[str, bytes]],
) -> str:
    """The checksum of the manifest's values plus every row hash: what opening verifies."""
    parts = [b"ketpack digest"]
    for key in DIGESTED_KEYS:
        parts += [key.encode(), meta.get(key, "").encode("utf-8", "surrogatepass")]
    parts += [b"outline", bytes(outline_hash)]
    for idx, path, hashed in documents:
        parts += [f"document {idx}".encode(), path.encode("utf-8", "surrogatepass"), bytes(hashed)]
    for path, hashed in images:
        parts += [b"image", path.encode("utf-8", "surrogatepass"), bytes(hashed)]
    # Each part's length goes in too, so no two different sequences read the same.
    crc = 0
    for part in parts:
        crc = zlib.crc32(len(part).to_bytes(8, "big") + part, crc)
    return f"crc32:{crc:08x}"


def read_header(path: Path) -> tuple[int, int]:
    """Check the SQLite header of a compiled pack; return (file change counter, file size).

    Opens with O_NONBLOCK and checks for a regular file first, so a FIFO or a device in its
    place fails at once instead of blocking the reader.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FormatError("file not found") from None
    except OSError as exc:
        raise FormatError(f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            # A folder pack named *.ketpack would be taken for a compiled one: say what it is.
            raise FormatError("is a folder; a folder pack's name must not end in .ketpack")
        if not stat.S_ISREG(info.st_mode):
            raise FormatError("not a regular file")
        header = os.read(fd, _HEADER_BYTES)
    except OSError as exc:
        raise FormatError(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(header) < _HEADER_BYTES or not header.startswith(_MAGIC):
        raise FormatError("not a compiled pack (not an SQLite file)")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise FormatError("not a compiled pack (an SQLite file of another program)")
    if header[18] != 1 or header[19] != 1:
        # Rollback journal only; a file switched to WAL mode has been opened for writing.
        raise FormatError("edited after it was built (journal mode changed)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages * page_size != info.st_size:
        raise FormatError(
            f"truncated or padded ({info.st_size} bytes where the header says {pages * page_size})"
        )
    return int.from_bytes(header[24:28], "big"), info.st_size


def check_version(meta: dict[str, str]) -> None:
    if meta.get("format") != "ketpack":
        raise FormatError("not a compiled pack (no ketpack table)")
    schema = meta.get("schema", "")
    if schema != str(FORMAT_VERSION):
        raise FormatError(
            f"format version {schema or '?'}; this ketreader reads version {FORMAT_VERSION}"
            " (rebuild it with `ketreader pack build`, or update ketreader)"
        )
    missing = [k for k in ("title", "fingerprint", "digest", "counter") if not meta.get(k)]
    if missing:
        raise FormatError(f"damaged (no {', '.join(missing)})")
