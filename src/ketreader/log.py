"""Logging room: named loggers, one size-capped log file, warnings on stderr, Qt's messages."""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
from pathlib import Path

from ketreader import paths

ROOT = "ketreader"
LOG_FILE = "ketreader.log"
MAX_LOG_BYTES = 1024 * 1024  # then ketreader.log becomes ketreader.log.1, replacing the old one
_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def get(room: str) -> logging.Logger:
    """The logger of one room: ``ketreader.search``, ``ketreader.ui`` ..."""
    return logging.getLogger(f"{ROOT}.{room}")


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE


class _FileHandler(logging.Handler):
    """Appends each record to the log file, opening it per record.

    Records are rare (warnings, errors, a few facts), so holding no file open costs nothing,
    follows KETREADER_LOG_DIR as it is now, and leaves nothing to close on a crash. The size
    cap is checked before each write: logging.handlers would also do it, but importing it
    imports the socket module, which the bundle does not carry.
    """

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter(_FILE_FORMAT, "%Y-%m-%dT%H:%M:%S"))
        self.last_path: Path | None = None

    def emit(self, record: logging.LogRecord) -> None:
        path = log_file()
        try:
            text = self.format(record)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                if path.stat().st_size > MAX_LOG_BYTES:
                    os.replace(path, path.with_name(LOG_FILE + ".1"))
            except FileNotFoundError:
                pass
            _append(path, (text.rstrip("\n") + "\n").encode("utf-8", "backslashreplace"))
            self.last_path = path
        except OSError:
            self.last_path = None  # an unwritable log folder: nothing more can be done


def _append(path: Path, data: bytes) -> None:
    """Append to a regular file only: opening a FIFO to write would wait for a reader."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.write(fd, data)
    finally:
        os.close(fd)


class _StderrHandler(logging.Handler):
    """One line per record on whatever sys.stderr is now (tests swap it)."""

    def __init__(self, level: int, debug: bool) -> None:
        super().__init__(level)
        if debug:
            self.setFormatter(logging.Formatter("ketreader %(name)s %(levelname)s: %(message)s"))
        else:
            self.setFormatter(_OneLine())

    def emit(self, record: logging.LogRecord) -> None:
        stream = sys.stderr
        if stream is None:  # a windowed program on Windows has no stderr
            return
        try:
            stream.write(self.format(record) + "\n")
            stream.flush()
        except (OSError, ValueError, UnicodeError):
            pass


class _OneLine(logging.Formatter):
    """``ketreader: warning: ...``: the form admins grep for, without tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        return f"ketreader: {record.levelname.lower()}: {record.getMessage()}"


_file_handler = _FileHandler()
_stderr_handler: _StderrHandler | None = None
_root = logging.getLogger(ROOT)
_root.setLevel(logging.DEBUG)
_root.addHandler(_file_handler)


def setup(*, stderr: bool = True, debug: bool = False) -> None:
    """Warnings (or, with ``debug``, every event) also go to stderr, as one line each.

    Tests of the real window pass ``--debug-log`` and wait on the events the app reports.
    """
    global _stderr_handler
    if _stderr_handler is not None:
        _root.removeHandler(_stderr_handler)
        _stderr_handler = None
    if stderr or debug:
        _stderr_handler = _StderrHandler(logging.DEBUG if debug else logging.WARNING, debug)
        _root.addHandler(_stderr_handler)


_crash = get("crash")
_crash.propagate = False  # the file gets the traceback; the user gets one line, said elsewhere
_crash.addHandler(_file_handler)


def log_unexpected(exc: BaseException) -> Path | None:
    """Write an unexpected exception with its traceback to the log; the log's path, if any."""
    _crash.error("unexpected %s", type(exc).__name__, exc_info=exc)
    return _file_handler.last_path


_QT_LEVELS = {0: logging.DEBUG, 4: logging.INFO, 1: logging.WARNING, 2: logging.ERROR}


def install_qt_handler() -> None:
    """Route Qt's own warnings into the log instead of the terminal."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    qt_log = get("qt")
    qt_log.propagate = False  # Qt's chatter belongs in the log file, not on the user's terminal
    if _file_handler not in qt_log.handlers:
        qt_log.addHandler(_file_handler)

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = _QT_LEVELS.get(int(kind.value), logging.CRITICAL)
        category = context.category or "qt"
        qt_log.log(level, "%s: %s", category, message)

    qInstallMessageHandler(handle)
