"""Console room: the CLI writes UTF-8 with LF line ends, whatever the console code page."""

from __future__ import annotations

import io
import sys


def use_utf8() -> None:
    """Make stdout and stderr write UTF-8 and LF on every platform.

    On Windows, a pipe or a file gets the ANSI code page (cp1252) by default: a title with
    "≥" ended in UnicodeEncodeError and em dashes came out as cp1252 bytes, which breaks the
    scripts that capture the output (deploy-room.ps1, Intune detection rules). LF, not CRLF,
    so that `sections --json` is the same bytes on every PC of a room, Windows or Linux.
    The windowed build has no streams at all (None); they are left alone.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", newline="\n")
