"""A11y test room: the reader on its own Xvfb and D-Bus session, seen through AT-SPI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.tools import require, start_reachable_x

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-pyatspi lives
WALKER = Path(__file__).with_name("atspi_walker.py")
APT = "xvfb dbus-x11 at-spi2-core python3-pyatspi xdotool x11-utils"
Node = dict[str, Any]
SESSION_START_S = 30


def _missing_tools() -> list[str]:
    tools = ("Xvfb", "dbus-run-session", "xdotool", "xdpyinfo")
    missing = [t for t in tools if shutil.which(t) is None]
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False
    ) if Path(SYSTEM_PYTHON).exists() else None  # fmt: skip
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


MISSING = _missing_tools()


def display_answers(name: str) -> bool:
    """Whether an X server answers on ``name`` (a display can vanish under a shared machine)."""
    probe = subprocess.run(["xdpyinfo", "-display", name], capture_output=True, check=False,
                           timeout=20)  # fmt: skip
    return probe.returncode == 0


class Display:
    """An Xvfb server on a display number it picks itself (-displayfd)."""

    def __init__(self) -> None:
        self.name = start_reachable_x(self._start, self.close)

    def _start(self) -> str:
        read, write = os.pipe()
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        number = b""
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n"):
                chunk = pipe.read(1)
                if not chunk:
                    raise RuntimeError("Xvfb exited before naming its display")
                number += chunk
        self.name = f":{number.decode().strip()}"
        return self.name

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)


class AccessibleReader:
    """The reader under ``dbus-run-session`` with accessibility on, and an AT-SPI walker."""

    def __init__(self, display: str, home: Path, *args: str) -> None:
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("XDG_", "DBUS_", "AT_SPI", "QT_QPA", "KETREADER_"))
        }
        # at-spi's bus launcher reads (and may write) dconf under these: keep them here.
        for name in ("CONFIG", "CACHE", "DATA", "STATE", "RUNTIME"):
            folder = home / name.lower()
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.env[f"XDG_{name}_HOME" if name != "RUNTIME" else "XDG_RUNTIME_DIR"] = str(folder)
        self.env.update(
            DISPLAY=display,
            PYTHONPATH=str(REPO / "src"),
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            GTK_A11Y="none",
        )
        # The shell writes the session bus and its own pid to a file, then becomes the reader.
        # Output goes to files, not pipes: the bus's daemons inherit them and may outlive the
        # reader, and a pipe they hold open would never reach its end.
        session = home / "session"
        script = 'echo "$DBUS_SESSION_BUS_ADDRESS $$" > "$SESSION_FILE"; exec "$@"'
        command = ["dbus-run-session", "--", "sh", "-c", script, "sh"]
        self.log = home / "reader.log"
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [*command, sys.executable, "-m", "ketreader", *args],
                env=dict(self.env, SESSION_FILE=str(session)),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + SESSION_START_S
        while not (session.exists() and session.read_text("utf-8").endswith("\n")):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no D-Bus session for the reader: {self.output()}")
            time.sleep(0.05)
        address, pid = session.read_text("utf-8").split()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        self.pid = int(pid)
        # Ready when the status bar is named: that happens right after the first paint,
        # with the shortcuts, so keys work from then on.
        self.walk("wait", "ketreader", "status bar", "Status")
        # Several readers may share the display: each one keys only its own window.
        self.window = self._run(["xdotool", "search", "--pid", str(self.pid)]).split()[-1]

    def output(self) -> str:
        """The end of what the reader (and its session's daemons) printed."""
        return self.log.read_text("utf-8", errors="replace")[-2000:]

    def _run(self, command: list[str]) -> str:
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout

    def walk(self, *args: str) -> Any:
        """Run the AT-SPI walker with the system Python; its JSON answer."""
        done = subprocess.run(
            [SYSTEM_PYTHON, str(WALKER), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        if done.returncode != 0:
            reader = ""
            if self.process.poll() is not None:
                reader = f"; the reader exited {self.process.returncode}: {self.output()}"
                if not display_answers(self.env["DISPLAY"]):
                    reader = f"; the X display {self.env['DISPLAY']} is gone{reader}"
            raise AssertionError(f"walker {args} failed: {done.stderr[-2000:]}{reader}")
        return json.loads(done.stdout)

    def tree(self) -> list[Node]:
        nodes: list[Node] = self.walk("dump", "ketreader", "--no-text")
        return nodes

    def xdotool(self, action: str, *args: str) -> list[str]:
        """An xdotool command that focuses this reader's window, then keys or types."""
        return ["xdotool", "windowfocus", "--sync", self.window, action, *args]

    def events(self, types: str, until: str, command: list[str]) -> list[Node]:
        """Listen for ``types``, run ``command``, return what arrived (up to ``until``)."""
        found: list[Node] = self.walk("events", "ketreader", types, "--until", until,
                                      "--", *command)  # fmt: skip
        return found

    def keys(self, *keys: str) -> None:
        self._run(self.xdotool("key", "--clearmodifiers", *keys))

    def type(self, text: str) -> None:
        self._run(self.xdotool("type", "--delay", "40", text))

    def quit(self) -> int:
        if self.process.poll() is None:
            self.keys("ctrl+q")
            try:
                return self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, 15)
                self.process.wait(timeout=20)
                raise
        return self.process.returncode


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    require(", ".join(MISSING), APT)
    server = Display()
    yield server.name
    server.close()


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ketreader-a11y-") as folder:
        yield Path(folder)


def by_role(nodes: list[Node], role: str) -> list[Node]:
    return [n for n in nodes if n["role"] == role]


def by_path(nodes: list[Node], path: str) -> Node:
    return next(n for n in nodes if n["path"] == path)


def wait_for(reader: AccessibleReader, role: str, name: str) -> Node:
    found: Node = reader.walk("wait", "ketreader", role, name)
    return found
