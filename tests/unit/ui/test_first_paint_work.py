"""Start-up tests: what the reader builds before its first paint, in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

# Run as the reader runs: a fresh process, from `python -m ketreader --quit-after-paint`. The
# probe records every Python enum class PySide creates (each costs 0.1 to 5 ms) and what the
# window looks like when it first paints.
_PROBE = """
import enum, json, sys
created = []
_new = enum.EnumType.__new__
def _record(metacls, cls, bases, classdict, **kw):
    made = _new(metacls, cls, bases, classdict, **kw)
    created.append(made.__qualname__)
    return made
enum.EnumType.__new__ = _record
import ketreader.app as app
def _painted(qapp, window):
    before = list(created)
    print(json.dumps({"style": qapp.style().name(), "enums": before}))
    qapp.quit()
app._report_paint_and_quit = _painted
from ketreader.cli import main
main(["--quit-after-paint"])
"""


def _first_paint(tmp_path: Path) -> dict[str, object]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO / "src"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "KETREADER_CACHE_DIR": str(tmp_path / "cache"),
        "KETREADER_LOG_DIR": str(tmp_path / "logs"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def test_the_window_is_fusion_without_asking_qt_for_its_style_first(tmp_path: Path) -> None:
    painted = _first_paint(tmp_path)
    assert painted["style"] == "fusion"
    # Asking for QApplication.style() from Python builds all of QStyle's enums (about 10 ms
    # before the first paint); Qt is told to use Fusion when it starts instead.
    enums = painted["enums"]
    assert isinstance(enums, list)
    assert not {"PixelMetric", "PrimitiveElement", "ControlElement"} & set(enums)
