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
        # mkstemp's file is private (0600); the result gets the mode the old file had, or
        # the one any new file gets, so an export can be shared as the user expects.
        os.chmod(temp, _mode_for(path))
        with open(temp, "rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the platform allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere it can only be read by setting it, for an instant
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    with replacing(path) as temp:
        temp.write_bytes(data)
