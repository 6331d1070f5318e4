"""Test room: a test that needs an external tool skips without it, and fails instead in CI."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import pytest


def require(missing: str, install: str) -> None:
    """Skip, saying why, when ``missing`` names what is not here; fail under CI's tool rule.

    CI (.ci/run) installs every tool and sets KETREADER_REQUIRE_TOOLS=1, so a skip there
    would hide a test that never ran.
    """
    if not missing:
        return
    message = f"{missing} (apt-get install {install})"
    if os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
        pytest.fail(f"KETREADER_REQUIRE_TOOLS=1 but {message}")
    pytest.skip(message)


def start_reachable_x(start: Callable[[], str], stop: Callable[[], None]) -> str:
    """Start an X server (``start`` returns its display) until clients can reach it.

    A server whose socket file does not answer (see x_socket_answers) is stopped, the file
    removed, and another started; after three tries, RuntimeError.
    """
    for _attempt in range(3):
        display = start()
        if x_socket_answers(display):
            return display
        stop()
        with contextlib.suppress(OSError):
            os.unlink(f"/tmp/.X11-unix/X{display.lstrip(':')}")
    raise RuntimeError(f"Xvfb {display} does not answer on its socket file")


def x_socket_answers(display: str) -> bool:
    """Whether the X server of ``display`` (":N") answers on its socket file.

    Xlib and Qt's xcb connect through /tmp/.X11-unix/XN. A server that shuts down (or was
    killed) while a new one takes its number can leave that file missing or stale, though
    the new server answers on its abstract socket: a client then fails to connect at all.
    """
    import socket

    path = f"/tmp/.X11-unix/X{display.lstrip(':')}"
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(5)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True
