"""Crash room: writing unexpected tracebacks to the user's log folder, never to the screen."""

from __future__ import annotations

from pathlib import Path

from ketreader import platform_dirs


def log_file() -> Path:
    return platform_dirs.log_dir() / "ketreader.log"


def append_log(text: str) -> Path | None:
    """Append to the log; None if the log folder cannot be written (nothing else to do)."""
    import datetime as _dt  # the log is rare: keep its imports off the start-up path

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"[{_dt.datetime.now().isoformat(timespec='seconds')}] {text.rstrip()}\n")
    except OSError:
        return None
    return path


def write_crash_log(exc: BaseException) -> Path | None:
    import traceback

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return append_log(f"unexpected error\n{details}")
