"""Tools room: screenshots of the window in each theme, headless, into docs/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())

from PySide6.QtWidgets import QApplication

from ketreader.pipeline import open_library
from ketreader.resources import default_pack_dir
from ketreader.settings import Settings
from ketreader.ui.main_window import MainWindow, WindowOptions

DOCS = Path(__file__).resolve().parents[1] / "docs"


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    library = open_library(default_pack_dir())
    for theme in ("light", "dark", "high-contrast"):
        window = MainWindow(library, Settings(), WindowOptions(theme=theme))
        window.resize(1200, 800)
        window.show()
        window.open_section("approved-medical-uses")
        # Each theme shows a search: results with snippets, and highlights in the text.
        window.search_bar.setText("risk")
        window.run_search("risk")
        window.open_selected_result()
        app.processEvents()
        window.grab().save(str(DOCS / f"screenshot-{theme}.png"))
        if theme == "light":
            window.search_bar.clear()
            window.dismiss_search()
            window.open_section("key-takeaways")
            app.processEvents()
            window.grab().save(str(DOCS / "screenshot-safety-note.png"))
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
