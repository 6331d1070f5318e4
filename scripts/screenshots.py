"""Tools room: the screenshots in docs/, taken on a virtual X display with a window manager.

``uv run python scripts/screenshots.py`` starts Xvfb (it picks a free display and says which)
and openbox, shows the reader as a user would see it, and writes the PNG files into docs/:
the typography at default zoom, the toolbar, find in page, the search display in each
theme, the safety note, and the first PDF pages through pdftoppm. Needs
``apt-get install xvfb openbox poppler-utils``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SIZE = (1200, 800)


def start_display(home: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """Xvfb on a display it chooses itself (-displayfd), and openbox on it."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1440x960x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        display = ":" + numbers.readline().strip()
    env = dict(os.environ, DISPLAY=display, HOME=str(home))
    manager = subprocess.Popen(
        ["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(1.0)  # openbox takes over the screen
    return display, [manager, server]


def on_virtual_display(shoot: Callable[[Path], int]) -> int:
    """Run ``shoot`` on a private Xvfb with openbox, in a throwaway home; clean up after."""
    home = Path(tempfile.mkdtemp(prefix="ketreader-shots-"))
    for name in ("config", "cache", "state", "data"):
        (home / name).mkdir()
    display, processes = start_display(home)
    print(f"virtual display {display}", flush=True)
    os.environ.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
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


def main() -> int:
    return on_virtual_display(shoot)


def settle(seconds: float = 0.4) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def shoot(home: Path) -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.resources import default_pack_dir
    from ketreader.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    library = load_library(default_pack_dir()).library

    def window(theme: str) -> MainWindow:
        win = MainWindow(library, Preferences(resolve(theme=theme)))
        win.resize(*SIZE)
        win.move(40, 40)
        win.show()
        settle(1.0)
        return win

    def save(win: MainWindow, name: str) -> None:
        """The window as the screen shows it, title bar and frame included."""
        frame = win.frameGeometry()
        screen = QGuiApplication.primaryScreen()
        shot = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        shot.save(str(DOCS / name))
        print(f"docs/{name}", flush=True)

    light = window("light")
    light.open_section("how-ketamine-works-in-the-brain")
    settle()
    save(light, "screenshot-typography.png")
    toolbar = light.toolbar
    assert toolbar is not None
    top = toolbar.mapTo(light, toolbar.rect().topLeft())
    light.grab().copy(0, 0, light.width(), top.y() + toolbar.height() + 1).save(
        str(DOCS / "screenshot-toolbar.png")
    )
    print("docs/screenshot-toolbar.png", flush=True)
    light.open_section("approved-medical-uses")
    light.finder.find_in_page()
    light.finder.bar.field.setText("ketamine")
    settle()
    light.finder.find_next()
    settle()
    save(light, "screenshot-find-in-page.png")
    light.finder.bar.close_bar()
    light.open_section("key-takeaways")
    settle()
    save(light, "screenshot-safety-note.png")
    light.close()

    for theme in ("light", "dark", "high-contrast"):
        win = window(theme)
        win.open_section("approved-medical-uses")
        win.search.focus()
        win.search.bar.setText("risk")
        win.search.run("risk")
        win.search.open_selected()
        settle()
        save(win, f"screenshot-{theme}.png")
        win.close()

    pdfs(library, home)
    return 0


def pdfs(library: object, home: Path) -> None:
    """The PDF export's first page and the last section's page, as pdftoppm draws them."""
    from ketreader.library import Library
    from ketreader.render.export import printable
    from ketreader.ui.print_layout import write_pdf

    assert isinstance(library, Library)
    for section, name in ((None, "pdf-page-1"), ("key-takeaways", "pdf-key-takeaways")):
        target = home / f"{name}.pdf"
        write_pdf(printable(library.rendered, section), library.resource, target)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", target,
             DOCS / name],
            check=True,
        )  # fmt: skip
        print(f"docs/{name}.png", flush=True)


if __name__ == "__main__":
    sys.exit(main())
