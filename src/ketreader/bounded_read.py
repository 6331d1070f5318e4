"""Files room: at most so many bytes of a file that may not be what its name says; no Qt."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFileError(OSError):
    """A FIFO, socket or device stands where a file was expected."""


def read_at_most(path: Path, count: int, *, regular_only: bool = True) -> bytes:
    """Up to ``count`` bytes of the file at ``path``, never waiting on a writer.

    A user can put anything in place of a file: it is opened without blocking (a FIFO
    would hang the reader for ever) and judged by the kind of the opened file, not of the
    name, which can change in between. A folder raises IsADirectoryError; a FIFO or socket
    NotRegularFileError, and with ``regular_only`` (the default) so does a device.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # Windows has no O_NONBLOCK, and no FIFOs at a path either
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode) and (regular_only or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(count)
    finally:
        os.close(fd)
