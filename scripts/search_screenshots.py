"""Tools room: screenshots of the search display, headless, into docs/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())
os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp())
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp())

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.resources import default_pack_dir
from ketreader.ui.main_window import MainWindow

DOCS = Path(__file__).resolve().parents[1] / "docs"
SHOTS = (
    # (file, query, press Enter): a question with its answer opened and marked in the text,
    # and a misspelling with "Showing results for" and "Search instead for".
    ("screenshot-search-answer.png", "what are the side effects", True),
    ("screenshot-search-correction.png", "depresion", False),
    ("screenshot-search-closest.png", "how dose ketamine work", False),
)


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    library = load_library(default_pack_dir(), fallback=False).library
    for name, query, enter in SHOTS:
        window = MainWindow(library, Preferences(resolve(theme="light")))
        window.resize(1100, 720)
        window.show()
        app.processEvents()
        window.search.focus()
        QTest.keyClicks(window.search.bar, query)
        window.search.bar.flush()
        if enter:
            QTest.keyClick(window.search.bar, Qt.Key.Key_Return)
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(DOCS / name))
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
