"""End-to-end harness: a private X display with a window manager, and a reader driven by real input.

Nothing here sleeps for a fixed time. The X server says when it is ready (``-displayfd``),
the window manager runs a command when it has started, and the reader reports what it does
on stderr (``--debug-log``): every wait ends as soon as the awaited line arrives, and its
timeout is only the bound after which the test fails.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NamedTuple

from tests.conftest import REPO
from tests.tools import start_reachable_x

LAUNCHER = Path(__file__).with_name("launcher.py")
# Only the bound of a wait, never a pause: a wait ends when its line comes, so a generous
# bound costs nothing and keeps a loaded machine from failing a test.
TIMEOUT = 60.0
SCREEN = (1280, 900)

_EVENT = re.compile(r"ketreader (?P<logger>ketreader(?:\.\S+)?) (?P<level>[A-Z]+): (?P<message>.*)")


class HarnessError(AssertionError):
    """Something the test waited for did not happen; the message carries what did."""


def read_line(fd: int, timeout: float, what: str) -> str:
    """What ``fd`` has written up to the end of a line, waiting at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise HarnessError(f"{what}: nothing after {timeout:.0f} s")
        readable, _, _ = select.select([fd], [], [], remaining)
        if readable:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise HarnessError(f"{what}: ended before writing a line")
            data += chunk
    return data.decode("utf-8", "replace").strip()


def stop_process(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class XServer:
    """Xvfb on the first free display number, which it picks and reports itself."""

    def __init__(self, folder: Path) -> None:
        self.log = folder / "xvfb.log"
        try:
            self.display = start_reachable_x(self._start, self.stop)
        except RuntimeError as exc:
            raise HarnessError(str(exc)) from None

    def _start(self) -> str:
        read_end, write_end = os.pipe()
        width, height = SCREEN
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        os.close(write_end)
        try:
            # Xvfb writes the number once it accepts connections: no socket-file polling.
            number = read_line(read_end, TIMEOUT, "Xvfb -displayfd")
        except HarnessError as exc:
            stop_process(self.process)
            raise HarnessError(f"{exc}\n{self.log.read_text('utf-8', 'replace')}") from None
        finally:
            os.close(read_end)
        self.display = f":{number}"
        return self.display

    def stop(self) -> None:
        stop_process(self.process)


# Alt+F4 is every desktop's "close this window"; openbox turns it into WM_DELETE_WINDOW, the
# same request as a title bar's close button or a taskbar's Close.
OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>
  <placement><policy>Smart</policy></placement>
  <desktops><number>1</number></desktops>
  <keyboard>
    <keybind key="A-F4"><action name="Close"/></keybind>
  </keyboard>
  <mouse><context name="Frame"/></mouse>
</openbox_config>
"""


class Fifo:
    """A named pipe held open for reading and writing: writers never block, reads wait."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        # Read-write: the pipe never reports end-of-file between two writers.
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)

    def line(self, what: str, timeout: float = TIMEOUT) -> str:
        return read_line(self.fd, timeout, what)

    def pending(self) -> list[str]:
        """Whatever has been written and not read yet, without waiting."""
        data = b""
        while select.select([self.fd], [], [], 0)[0]:
            data += os.read(self.fd, 4096)
        return data.decode("utf-8", "replace").splitlines()

    def close(self) -> None:
        os.close(self.fd)


class WindowManager:
    """openbox, with a known configuration; ready when it runs its start-up command."""

    def __init__(self, display: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        rc = folder / "rc.xml"
        rc.write_text(OPENBOX_RC, "utf-8")
        ready = Fifo(folder / "openbox-ready")
        env = _base_env(display, folder)
        self.log = folder / "openbox.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["openbox", "--sm-disable", "--config-file", str(rc),
                 "--startup", f"sh -c 'echo ready > {ready.path}'"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            ready.line("openbox --startup")
        except HarnessError as exc:
            stop_process(self.process)
            raise HarnessError(f"{exc}\n{self.log.read_text('utf-8', 'replace')}") from None
        finally:
            ready.close()

    def stop(self) -> None:
        stop_process(self.process)


class SessionBus:
    """A D-Bus session bus from dbus-run-session, shared by the readers of a test module."""

    def __init__(self) -> None:
        # The shell prints the bus address and then waits on stdin: closing it ends the
        # shell, and dbus-run-session then stops the bus.
        self.process = subprocess.Popen(
            ["dbus-run-session", "--", "sh", "-c", 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat'],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self.process.stdout is not None
        self.address = read_line(self.process.stdout.fileno(), TIMEOUT, "dbus-run-session")
        if not self.address:
            raise HarnessError("dbus-run-session gave no bus address")
        # Services the bus starts (at-spi's launcher, say) write to the same pipe: keep
        # reading it, so that a full pipe never stops one of them.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop_process(self.process)


def _base_env(display: str, folder: Path) -> dict[str, str]:
    """A clean environment on ``display``: no host settings, no inherited Qt choices."""
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DISPLAY=display,
        HOME=str(folder),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_CACHE_HOME=str(folder / "cache"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_STATE_HOME=str(folder / "state"),
        XDG_RUNTIME_DIR=str(runtime),
        DBUS_SESSION_BUS_ADDRESS="disabled:",
    )
    return env


class XSession(NamedTuple):
    """A display with its window manager, and the session bus its readers use (or none)."""

    display: str
    bus: str  # a D-Bus address, or "disabled:" for none

    def run(self, *args: str, timeout: float = TIMEOUT) -> str:
        """Run an X client (xdotool, xprop ...) on this display; its stdout."""
        result = subprocess.run(
            args,
            env={"PATH": os.environ["PATH"], "DISPLAY": self.display},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise HarnessError(f"{' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout.strip()


class Event(NamedTuple):
    logger: str
    level: str
    message: str


class EventLog:
    """The reader's output, line by line, as it arrives; waits match lines in order.

    Like a test process's ``wait_for``: each wait starts after the line the previous wait
    matched, so an event that happened before is not mistaken for the one awaited now.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._cursor = 0
        self._ended = False
        # Reentrant: a condition checked inside a wait reads the lines under the same lock.
        self._changed = threading.Condition(threading.RLock())
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    @staticmethod
    def event(line: str) -> Event | None:
        found = _EVENT.fullmatch(line)
        return Event(*found.group("logger", "level", "message")) if found else None

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The next event whose message matches ``pattern`` in full."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for index in range(self._cursor, len(self.lines)):
                    event = self.event(self.lines[index])
                    found = regex.fullmatch(event.message) if event else None
                    if found:
                        self._cursor = index + 1
                        return found
                self._cursor = len(self.lines)
                remaining = deadline - time.monotonic()
                if self._ended or remaining <= 0:
                    why = "the reader's output ended" if self._ended else f"{timeout:.0f} s passed"
                    raise HarnessError(f"no event {pattern!r}: {why}. Output:\n{self.text()}")
                self._changed.wait(remaining)

    def wait_until(self, holds: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
        """Until ``holds()`` is true of the output so far; the waits' place is left alone."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not holds():
                remaining = deadline - time.monotonic()
                if self._ended or remaining <= 0:
                    why = "the reader's output ended" if self._ended else f"{timeout:.0f} s passed"
                    raise HarnessError(f"never {what}: {why}. Output:\n{self.text()}")
                self._changed.wait(remaining)

    def skip_past(self, pattern: str) -> None:
        """Let the next wait start after the latest event matching ``pattern`` so far."""
        regex = re.compile(pattern)
        with self._changed:
            for index in range(len(self.lines) - 1, self._cursor - 1, -1):
                event = self.event(self.lines[index])
                if event is not None and regex.fullmatch(event.message):
                    self._cursor = index + 1
                    return

    def latest(self, pattern: str) -> re.Match[str] | None:
        """The most recent event so far matching ``pattern``, wherever the waits stand."""
        regex = re.compile(pattern)
        with self._changed:
            for line in reversed(self.lines):
                event = self.event(line)
                found = regex.fullmatch(event.message) if event else None
                if found:
                    return found
        return None

    def messages(self) -> list[str]:
        with self._changed:
            return [e.message for e in map(self.event, self.lines) if e is not None]

    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines[-60:])

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


class Reader:
    """One ketreader process on the display, started through the test launcher."""

    def __init__(
        self,
        session: XSession,
        home: Path,
        *args: str,
        policy: str | None = None,
        cache: Path | None = None,
        path_first: Path | None = None,
        cups_server: Path | None = None,
    ) -> None:
        self.session = session
        self.home = home
        program = home / "program"
        program.mkdir(parents=True, exist_ok=True)
        system_policy = home / "system-policy.ini"
        if policy is not None:
            system_policy.write_text(policy, "utf-8")
        env = _base_env(session.display, home)
        env.update(
            PYTHONPATH=str(REPO / "src"),
            QT_QPA_PLATFORM="xcb",
            KETREADER_CACHE_DIR=str(cache or home / "cache"),
            KETREADER_LOG_DIR=str(home / "logs"),
        )
        if session.bus:
            env["DBUS_SESSION_BUS_ADDRESS"] = session.bus
        else:  # unset: libdbus autolaunches a bus for the display (dbus-launch, from dbus-x11)
            del env["DBUS_SESSION_BUS_ADDRESS"]
        # Printers come from the test's own print server, or from none: never the host's.
        env["CUPS_SERVER"] = str(cups_server or home / "no-print-server.sock")
        if path_first is not None:
            env["PATH"] = f"{path_first}{os.pathsep}{env.get('PATH', '')}"
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(system_policy), str(program), "--",
             "--debug-log", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,  # a Ctrl+C in the terminal reaches pytest, not the reader
        )  # fmt: skip
        assert self.process.stdout is not None
        self.events = EventLog(self.process.stdout)
        try:
            self.window = self.wait_for(r"window (0x[0-9a-f]+)").group(1)
            self.wait_for("ready")  # the menus' actions and shortcuts exist from here on
        except BaseException:
            self.kill()
            raise

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        return self.events.wait_for(pattern, timeout)

    def wait_until_active(self, timeout: float = TIMEOUT) -> None:
        """Until Qt itself says the window is active: before that, shortcuts are not live."""

        def active() -> bool:
            last = self.events.latest("active|inactive")
            return last is not None and last[0] == "active"

        self.events.wait_until(active, "active", timeout)

    def focus(self) -> None:
        """Raise and focus the window through the window manager, as a click on it would."""
        self.session.run("xdotool", "windowactivate", "--sync", self.window)
        self.wait_until_active()

    def keys(self, *keys: str) -> None:
        """Press keys on the real keyboard (XTest): they go wherever the focus is."""
        self.session.run("xdotool", "key", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        self.session.run("xdotool", "type", "--delay", "40", text)

    def view_centre(self) -> tuple[int, int]:
        """The middle of the reading area, in window coordinates, as the launcher reports it."""
        found = self.events.latest(r"probe view (\d+) (\d+) (\d+) (\d+)")
        if found is None:
            found = self.wait_for(r"probe view (\d+) (\d+) (\d+) (\d+)")
        x, y, width, height = (int(n) for n in found.groups())
        return x + width // 2, y + height // 2

    def pointer(self, *actions: str, at: tuple[int, int] | None = None) -> None:
        """Move the real pointer (to ``at`` in the window), then xdotool ``actions``.

        No ``--sync``: it waits for the pointer to move, and gives up only after its own
        time-out when the pointer is already there. The X server runs one client's requests
        in order, so the move lands before the click anyway.
        """
        where = self.view_centre() if at is None else at
        self.session.run(
            "xdotool", "mousemove", "--window", self.window,
            str(where[0]), str(where[1]), *actions,
        )  # fmt: skip

    def click_button(self, text: str, timeout: float = TIMEOUT) -> None:
        """Click, with the real pointer, the dialog button the probe last saw labelled ``text``."""
        pattern = rf"probe button {re.escape(text)} at (-?\d+) (-?\d+)"
        self.events.wait_until(lambda: self.events.latest(pattern) is not None, pattern, timeout)
        found = self.events.latest(pattern)
        assert found is not None
        self.session.run("xdotool", "mousemove", found.group(1), found.group(2), "click", "1")

    def request_close(self) -> None:
        """Ask the window manager to close the window, as a taskbar's Close does."""
        from tests.e2e.xclient import request_close

        request_close(self.session.display, int(self.window, 16))

    def painted_screenshot(self, path: Path, after: str = "ready") -> Path:
        """A screenshot taken once the window has painted since the last event ``after``."""
        self.events.skip_past(after)
        self.wait_for(r"probe painted \d+")
        return self.screenshot(path)

    def screenshot(self, path: Path) -> Path:
        self.session.run("import", "-window", self.window, str(path))
        return path

    def x_property(self, name: str) -> str:
        return self.session.run("xprop", "-id", self.window, name)

    def terminate(self) -> int:
        """SIGTERM, as a shutting-down system sends it; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.wait_exit()

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError(f"the reader did not exit. Output:\n{self.events.text()}") from None
        self.events.join(timeout)
        return code

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return "\n".join(self.events.lines)

    def kill(self) -> None:
        stop_process(self.process)


@contextmanager
def x_display(folder: Path) -> Iterator[str]:
    """An X display with openbox managing it, stopped afterwards."""
    server = XServer(folder)
    try:
        manager = WindowManager(server.display, folder / "openbox")
        try:
            yield server.display
        finally:
            manager.stop()
    finally:
        server.stop()


@contextmanager
def session_bus(kind: str) -> Iterator[str]:
    """``"session bus"``: a private bus's address; ``"no bus"``: the address that disables it."""
    if kind == "no bus":
        yield "disabled:"
        return
    bus = SessionBus()
    try:
        yield bus.address
    finally:
        bus.stop()
