"""Wiring room: starts Qt, opens the pack, builds the window and keeps it alive on errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ketreader import __version__
from ketreader.cli import content_dir
from ketreader.content.diagnostics import PackError
from ketreader.crashlog import write_crash_log
from ketreader.pipeline import Library, open_library
from ketreader.resources import default_pack_dir
from ketreader.settings import Settings
from ketreader.ui.main_window import MainWindow, WindowOptions


def _install_crash_handler(app: QApplication) -> None:
    """Unexpected exceptions in slots: log the traceback, tell the user, keep running."""

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        log = write_crash_log(exc.with_traceback(tb))
        where = f"Details were written to:\n{log}" if log else "The log folder is not writable."
        QMessageBox.warning(
            app.activeWindow(),
            "ketreader",
            f"Something went wrong ({type(exc).__name__}). The reader is still running.\n\n{where}",
        )

    sys.excepthook = handle


def _open_with_fallback(requested: Path) -> tuple[Library, str | None]:
    """Open the requested pack; on failure fall back to the bundled guide with the reason."""
    try:
        return open_library(requested), None
    except PackError as exc:
        message = str(exc)
    return open_library(default_pack_dir()), message


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ketreader")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # one look, and palettes (dark, high contrast) apply everywhere
    _install_crash_handler(app)

    settings = Settings()
    library, error = _open_with_fallback(content_dir(args))
    window = MainWindow(library, settings, WindowOptions(theme=args.theme or settings.theme))
    if settings.geometry is not None:
        window.restoreGeometry(settings.geometry)
    else:
        window.resize(1100, 760)
    if settings.splitter is not None:
        window.splitter.restoreState(settings.splitter)

    start = (
        args.section or settings.position(library.pack.fingerprint) or library.pack.sections[0].id
    )
    if not window.open_section(start):
        window.open_section(library.pack.sections[0].id)
    if args.quit_after_paint:
        window.painted.connect(lambda: QTimer.singleShot(0, app.quit))
    window.show()
    if error:
        print(f"ketreader: error: {error} (showing the bundled guide)", file=sys.stderr)
        # open(), not exec(): the dialog must not block the first paint or the event loop.
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Content pack refused",
            f"{error}\n\nShowing the bundled guide instead.",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
    for warning in settings.warnings:
        print(f"ketreader: warning: {warning}", file=sys.stderr)
    return app.exec()
