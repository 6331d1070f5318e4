"""Wiring room: starts Qt, opens the pack, builds the window and keeps it alive on errors."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ketreader import __version__
from ketreader.content.diagnostics import PackError
from ketreader.pipeline import Library, open_library
from ketreader.policy import Effective
from ketreader.policy import resolve as resolve_policy
from ketreader.resources import default_pack_dir
from ketreader.settings import Settings
from ketreader.ui.main_window import MainWindow, WindowOptions
from ketreader.ui.qt_namespace import qt


def _install_crash_handler(app: QApplication) -> None:
    """Unexpected exceptions in slots: log the traceback, tell the user, keep running."""

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        from PySide6.QtWidgets import QMessageBox

        from ketreader.crashlog import write_crash_log

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


def _report_paint_and_quit(app: QApplication) -> None:
    # The wall-clock time of the first paint lets benchmarks/startup.py measure start-up to
    # first paint apart from process exit.
    print(f"ketreader: first paint at {time.time_ns()}", flush=True)
    QTimer.singleShot(0, app.quit)


def window_options(effective: Effective, settings: Settings) -> WindowOptions:
    """Policy and command line first; the user's own settings where nothing is locked."""
    zoom_entry = effective.entries["zoom"]
    theme = effective.entries["theme"]
    return WindowOptions(
        theme=str(theme.value) if theme.source != "default" else settings.theme,
        zoom=int(zoom_entry.value) if zoom_entry.locked else settings.zoom,
        sidebar_visible=settings.sidebar_visible,
        theme_locked=effective.locked("theme"),
        zoom_locked=zoom_entry.locked,
        kiosk=effective.flag("kiosk"),
        allow_print=effective.flag("allow_print"),
        allow_export=effective.flag("allow_export"),
        allow_open_pack=effective.flag("allow_open_pack"),
        allow_external_links=effective.flag("allow_external_links"),
    )


def run_app(args: argparse.Namespace) -> int:
    effective = resolve_policy(args, read_user=False)
    for warning in effective.warnings:
        print(f"ketreader: warning: {warning}", file=sys.stderr)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ketreader")
    app.setApplicationVersion(__version__)
    if app.style().name() != "fusion":  # already Fusion on Linux; setting it again costs 5 ms
        app.setStyle("Fusion")  # one look, and palettes (dark, high contrast) apply everywhere
    _install_crash_handler(app)

    settings = Settings(effective.settings_file)
    reset = effective.flag("reset_on_start")
    if reset:
        settings.reset()  # a new trainee: nothing carried over from the last session
    content = str(effective["content"])
    library, error = _open_with_fallback(Path(content) if content else default_pack_dir())
    window = MainWindow(library, settings, window_options(effective, settings))
    if settings.geometry is not None:
        window.restoreGeometry(settings.geometry)
    else:
        window.resize(1100, 760)
    if settings.splitter is not None:
        window.splitter.restoreState(settings.splitter)

    first = library.pack.sections[0].id
    requested = None
    if args.section:
        from ketreader.deeplink import section_from_link

        requested = section_from_link(args.section)
    start = requested or (None if reset else settings.position(library.pack.fingerprint)) or first
    if not window.open_section(start):
        window.open_section(first)
    if args.quit_after_paint:
        window.view.first_paint.connect(lambda: _report_paint_and_quit(app))
    if effective.flag("kiosk"):
        window.showFullScreen()
    else:
        window.show()
    if error:
        from PySide6.QtWidgets import QMessageBox

        print(f"ketreader: error: {error} (showing the bundled guide)", file=sys.stderr)
        # open(), not exec(): the dialog must not block the first paint or the event loop.
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Content pack refused",
            f"{error}\n\nShowing the bundled guide instead.",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setAttribute(qt().WidgetAttribute.WA_DeleteOnClose)
        box.open()
    for warning in settings.warnings:
        print(f"ketreader: warning: {warning}", file=sys.stderr)
    return app.exec()
