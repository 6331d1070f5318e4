"""UI room tests: SIGTERM and SIGINT (a room PC shutting down, Ctrl+C) save the place and quit."""

from __future__ import annotations

import configparser
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start_reader(home: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO / "src"),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
    )
    reader = subprocess.Popen(
        [sys.executable, "-m", "ketreader", "--debug-log", *args],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert reader.stderr is not None
    deadline = time.monotonic() + 30
    for line in reader.stderr:  # the window is built and shown when it says "ready"
        if line.rstrip().endswith("DEBUG: ready"):
            return reader
        if time.monotonic() > deadline:
            break
    reader.kill()
    raise AssertionError("the reader never became ready")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_saves_the_reading_place_and_quits_cleanly(
    isolated_user_dirs: Path, signum: signal.Signals
) -> None:
    reader = start_reader(isolated_user_dirs, "--section", "pain-management")
    reader.send_signal(signum)
    assert reader.wait(timeout=20) == 0
    saved = configparser.ConfigParser(interpolation=None)
    saved.read(isolated_user_dirs / "config" / "ketreader" / "ketreader.ini", encoding="utf-8")
    assert list(saved["reading"].values())[-1] == "pain-management"
