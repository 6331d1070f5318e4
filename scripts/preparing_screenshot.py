"""Tools room: docs/screenshot-preparing.png, a large pack being prepared behind the guide.

``uv run python scripts/preparing_screenshot.py`` starts Xvfb and openbox as
scripts/screenshots.py does, opens a generated folder pack of 1,500 documents with the real
preparation, and takes the window while the status bar shows its progress.
Needs ``apt-get install xvfb openbox``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

from screenshots import DOCS, SIZE, settle, start_display  # noqa: E402
from tests.e2e.generated_pack import generated_pack  # noqa: E402

DOCUMENTS = 1500


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="ketreader-shots-"))
    for name in ("config", "cache", "state", "data"):
        (home / name).mkdir()
    display, processes = start_display(home)
    os.environ.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        KETREADER_CACHE_DIR=str(home / "cache"),
        KETREADER_LOG_DIR=str(home / "state"),
    )
    try:
        return shoot(home)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


def shoot(home: Path) -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.main_window import MainWindow
    from ketreader.ui.preparing_status import PreparingStatus

    pack = generated_pack(home / "pack", DOCUMENTS, title="Emergency medicine handbook")
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    win = MainWindow(load_library(None).library, Preferences(resolve(theme="light")))
    win.resize(*SIZE)
    win.move(40, 40)
    win.show()
    settle(1.0)
    win.open_section("how-ketamine-works-in-the-brain")
    win.open_pack(pack)
    status = win.findChild(PreparingStatus, "preparing-status")
    assert status is not None
    deadline = time.monotonic() + 120
    while status.bar.value() < DOCUMENTS // 3 and time.monotonic() < deadline:
        settle(0.05)
    frame = win.frameGeometry()
    shot = QGuiApplication.primaryScreen().grabWindow(
        0, frame.x(), frame.y(), frame.width(), frame.height()
    )
    shot.save(str(DOCS / "screenshot-preparing.png"))
    print(f"docs/screenshot-preparing.png: {status.label.text()}", flush=True)
    win.packs.shutdown()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
