"""Tools room: docs/screenshot-preparing.png, a large pack being prepared behind the guide.

``uv run python scripts/preparing_screenshot.py`` starts Xvfb and openbox as
scripts/screenshots.py does, opens a generated folder pack of 1,500 documents with the real
preparation, and takes the window while the status bar shows its progress.
Needs ``apt-get install xvfb openbox``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

from screenshots import DOCS, SIZE, on_virtual_display, settle  # noqa: E402
from tests.e2e.generated_pack import generated_pack  # noqa: E402

DOCUMENTS = 1500


def main() -> int:
    return on_virtual_display(shoot)


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
