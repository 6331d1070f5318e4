"""End-to-end room: the reader in a real X window (Xvfb), driven with real keys."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

TOOLS = ("Xvfb", "xdotool", "import", "xprop")
MISSING = [t for t in TOOLS if shutil.which(t) is None]
# CI installs the tools and sets this, so a missing tool fails there instead of skipping.
if MISSING and os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
    raise RuntimeError(f"real-X tests need {', '.join(MISSING)}")
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"needs {', '.join(MISSING)} (apt-get install xvfb xdotool imagemagick x11-utils)",
)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    number = 90 + os.getpid() % 50
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


class Reader:
    """One ketreader process on the virtual display."""

    def __init__(self, display: str, config: Path, *args: str) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        self.env.update(
            DISPLAY=display,
            XDG_CONFIG_HOME=str(config),
            PYTHONPATH=str(REPO / "src"),
            QT_QPA_PLATFORM="xcb",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ketreader", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.window = self._wait_for_window()

    def _xdotool(self, *args: str) -> str:
        return subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.strip()

    def _wait_for_window(self) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = self._xdotool("search", "--onlyvisible", "--name", "— ketreader")
            if found:
                window = found.splitlines()[-1]
                self._wait_until_ready(window, deadline)
                self._xdotool("windowfocus", "--sync", window)
                return window
            if self.process.poll() is not None:
                raise AssertionError(f"reader exited early: {self.process.stderr.read()}")
            time.sleep(0.1)
        raise AssertionError("no reader window appeared")

    def _wait_until_ready(self, window: str, deadline: float) -> None:
        """Shortcuts exist once the window icon is set: both happen right after first paint."""
        while time.monotonic() < deadline:
            icon = subprocess.run(
                ["xprop", "-id", window, "_NET_WM_ICON"],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            if "=" in icon.stdout:
                return
            time.sleep(0.05)
        raise AssertionError("the reader never finished starting up")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._xdotool("key", "--window", self.window, key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self._xdotool("type", "--window", self.window, "--delay", "30", text)
        time.sleep(0.3)

    def screenshot(self, path: Path) -> Path:
        subprocess.run(
            ["import", "-window", self.window, str(path)], env=self.env, check=True, timeout=20
        )
        return path

    def quit_with_ctrl_q(self) -> tuple[int, str]:
        self.keys("ctrl+q")
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return code, self.process.stderr.read()


def settings(config: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config / "ketreader" / "ketreader.ini", encoding="utf-8")
    return parser


def test_zoom_search_quit_and_restart_in_place(display: str, tmp_path: Path) -> None:
    reader = Reader(display, tmp_path)
    reader.keys("ctrl+plus", "ctrl+equal", "ctrl+equal")
    reader.keys("ctrl+k")
    reader.type("bladder")
    reader.keys("Return")
    code, err = reader.quit_with_ctrl_q()
    assert code == 0, err
    saved = settings(tmp_path)
    assert saved.get("view", "zoom") == "3"
    assert saved.get("reading", "section") == "risks-of-misuse-and-long-term-concerns"

    again = Reader(display, tmp_path)  # restarts at the same zoom and place, saves them again
    code, err = again.quit_with_ctrl_q()
    assert code == 0, err
    saved = settings(tmp_path)
    assert saved.get("view", "zoom") == "3"
    assert saved.get("reading", "section") == "risks-of-misuse-and-long-term-concerns"


def test_starts_cleanly_with_a_corrupt_settings_file(display: str, tmp_path: Path) -> None:
    ini = tmp_path / "ketreader" / "ketreader.ini"
    ini.parent.mkdir(parents=True)
    ini.write_bytes(b"\x00\xff\xfe[view\nzoom=\x80\n")
    reader = Reader(display, tmp_path)
    code, err = reader.quit_with_ctrl_q()
    assert code == 0 and "Traceback" not in err
    assert list(ini.parent.glob("ketreader.ini.unreadable-*"))


def test_starts_cleanly_when_the_settings_folder_cannot_be_created(
    display: str, tmp_path: Path, isolated_user_dirs: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be", "utf-8")
    reader = Reader(display, blocker)
    code, err = reader.quit_with_ctrl_q()
    assert code == 0 and "Traceback" not in err
    assert err.startswith("ketreader: warning: ") and "not-a-folder" in err
    log = (isolated_user_dirs / "logs" / "ketreader.log").read_text("utf-8")
    assert "cannot create settings folder" in log


def test_paints_dark_with_theme_dark(display: str, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    reader = Reader(display, tmp_path, "--theme", "dark")
    shot = QImage(str(reader.screenshot(tmp_path / "dark.png")))
    reader.quit_with_ctrl_q()
    # Sample the document area, right of the sidebar and below the heading.
    colour = shot.pixelColor(int(shot.width() * 0.85), int(shot.height() * 0.6))
    assert colour.lightness() < 60, colour.name()
