"""End-to-end fixtures: an X session per module and bus mode, and readers started in it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Fifo, Reader, XSession, session_bus, x_display
from tests.e2e.printers import PrintServer
from tests.e2e.printers import missing_tools as missing_printer_tools

# Each tool, and the Debian package that brings it (.ci/run installs them).
TOOLS = {
    "Xvfb": "xvfb",
    "openbox": "openbox",
    "xdotool": "xdotool",
    "xprop": "x11-utils",
    "import": "imagemagick",
    "dbus-run-session": "dbus-x11",  # which brings dbus-daemon
}
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
# CI installs the tools and sets this: there a missing tool fails instead of skipping.
if MISSING and os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
    raise RuntimeError(f"real-X tests need {', '.join(MISSING)}")

needs_x = pytest.mark.skipif(
    bool(MISSING),
    reason=f"needs {', '.join(MISSING)} (apt-get install "
    + " ".join(sorted({TOOLS[t] for t in MISSING}))
    + ")",
)

# With a session bus Qt also talks to D-Bus (accessibility, portals): both must work.
BUS_MODES = ("no bus", "session bus")

StartReader = Callable[..., Reader]


@pytest.fixture(scope="module", params=BUS_MODES)
def x_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[XSession]:
    """A private display with openbox, and a session bus or none, for one test module."""
    folder = tmp_path_factory.mktemp("x")
    with x_display(folder) as display, session_bus(str(request.param)) as bus:
        yield XSession(display, bus)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pack cache for a module's readers: it is checked on every open anyway."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def reader_home(tmp_path: Path) -> Path:
    """The folder a test's readers live in: settings, logs, policy (beside tests' own home)."""
    return tmp_path / "reader"


@pytest.fixture
def start_reader(
    x_session: XSession, reader_home: Path, shared_cache: Path
) -> Iterator[StartReader]:
    """``start_reader(*args, policy=..., home=...)``: a reader, stopped after the test."""
    started: list[Reader] = []

    def start(
        *args: str,
        home: Path | None = None,
        policy: str | None = None,
        path_first: Path | None = None,
        cups_server: Path | None = None,
        focus: bool = True,
    ) -> Reader:
        reader = Reader(
            x_session,
            home or reader_home,
            *args,
            policy=policy,
            cache=shared_cache,
            path_first=path_first,
            cups_server=cups_server,
        )
        started.append(reader)
        if focus:
            reader.focus()
        return reader

    yield start
    for reader in started:
        reader.kill()


class Opener:
    """A logging stand-in for the desktop's ``xdg-open``, first on the reader's PATH."""

    def __init__(self, folder: Path) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True)
        self.calls = Fifo(folder / "xdg-open.calls")
        script = self.bin / "xdg-open"
        # One line per call, into a pipe the test holds open: a test can wait for a call.
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" > "{self.calls.path}"\n', "utf-8")
        script.chmod(0o755)


@pytest.fixture
def opener(tmp_path: Path) -> Iterator[Opener]:
    stand_in = Opener(tmp_path / "opener")
    yield stand_in
    stand_in.calls.close()


needs_cups = pytest.mark.skipif(
    bool(missing_printer_tools()),
    reason=f"needs {', '.join(missing_printer_tools())} (apt-get install cups-daemon cups-client)",
)
if missing_printer_tools() and os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
    raise RuntimeError(f"print tests need {', '.join(missing_printer_tools())}")


@pytest.fixture(scope="module")
def print_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrintServer]:
    """A private CUPS server with one queue, for a module's print tests."""
    server = PrintServer(tmp_path_factory.mktemp("cups"))
    yield server
    server.stop()
