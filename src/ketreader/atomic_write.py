"""Files room: writing a file whole or not at all, through a temporary file and a rename; no Qt."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; on success it replaces ``path``, else it is removed.

    A full disk or a crash mid-write leaves the old file as it was, never a fragment.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(temp)
        with open(temp, "rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    with replacing(path) as temp:
        temp.write_bytes(data)
