"""Wiring room: starts Qt, opens the pack, builds the window and keeps it alive on errors."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ketreader import __version__
from ketreader.content.diagnostics import PackError
from ketreader.library_loader import load_library, open_at_once, requested_pack
from ketreader.log import get, install_qt_handler, log_unexpected
from ketreader.policy import Effective
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow

_log = get("app")


def _install_crash_handler(app: QApplication) -> None:
    """Unexpected exceptions in slots: log the traceback, tell the user, keep running."""

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        from PySide6.QtWidgets import QMessageBox

        log = log_unexpected(exc.with_traceback(tb))
        where = f"Details were written to:\n{log}" if log else "The log folder is not writable."
        QMessageBox.warning(
            app.activeWindow(),
            "ketreader",
            f"Something went wrong ({type(exc).__name__}). The reader is still running.\n\n{where}",
        )

    sys.excepthook = handle


def _report_paint_and_quit(app: QApplication, window: MainWindow) -> None:
    # The wall-clock time of the first paint lets benchmarks/startup.py measure start-up to
    # first paint apart from process exit.
    print(f"ketreader: first paint at {time.time_ns()}", flush=True)
    if window.packs.preparing is not None:
        # The pack asked for is being prepared: opening it is part of starting, so its
        # refusal is reported too before quitting.
        window.packs.settled.connect(app.quit)
    else:
        QTimer.singleShot(0, app.quit)


def _quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """SIGTERM (a room PC shutting down) and SIGINT save the reading place and quit cleanly.

    Python runs signal handlers only between bytecodes, and Qt's event loop is C++: the
    signal's wake-up byte on a pipe tells the loop to let Python run.
    See https://docs.python.org/3/library/signal.html#signal.set_wakeup_fd
    """

    def stop(signum: int, _frame: object) -> None:
        _log.info("quitting on signal %d", signum)
        window.end_session()
        app.quit()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if sys.platform == "win32":
        return  # Windows ends a session with a message Qt turns into commitDataRequest
    from PySide6.QtCore import QSocketNotifier

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    os.set_blocking(read_end, False)
    signal.set_wakeup_fd(write_end)
    notifier = QSocketNotifier(read_end, QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(OSError):
            os.read(read_end, 64)

    notifier.activated.connect(drain)


def run_app(args: argparse.Namespace, effective: Effective) -> int:
    # Fusion everywhere: one look, and palettes (dark, high contrast) apply everywhere. Qt is
    # told so on its command line: asking app.style() from Python first would build every
    # one of QStyle's enums in Python, about 10 ms before the first paint.
    existing = QApplication.instance()
    app = existing or QApplication([*sys.argv[:1], "-style", "fusion"])
    assert isinstance(app, QApplication)
    if existing is not None and app.style().name() != "fusion":  # made elsewhere (tests)
        app.setStyle("Fusion")
    app.setApplicationName("ketreader")
    app.setApplicationVersion(__version__)
    install_qt_handler()
    _install_crash_handler(app)

    prefs = Preferences(effective)
    if prefs.flag("reset_on_start"):
        prefs.user.reset()  # a new trainee: nothing carried over from the last session
    requested = requested_pack(str(effective["content"]))
    # A pack that would take more than a moment to open is prepared in the background: the
    # window paints at once with the bundled guide, and switches when the pack is ready.
    try:
        opened = open_at_once(requested)
        background = requested if opened is None else None
        if opened is None:
            opened = load_library(None)
    except PackError as exc:  # the bundled guide itself is missing or damaged
        from ketreader.library import unavailable_library
        from ketreader.library_loader import Opened

        print(f"ketreader: error: {exc}", file=sys.stderr)
        opened, background = Opened(unavailable_library(str(exc))), None
    section = None if background is not None else args.section  # it is in the pack to come
    start = section or prefs.position(opened.library.fingerprint)
    window = MainWindow(opened.library, prefs, start)
    if getattr(args, "debug_log", False):  # what tests of the real window wait on
        from ketreader.ui.window_events import report_window_events

        report_window_events(window)
    if effective.lockdown:  # an unreadable policy is said on screen, not only in the log
        from ketreader.ui.lockdown_banner import show_lockdown

        show_lockdown(window, effective.lockdown)
    window.restore_window_state()
    if section and not window.start_found:
        print(f"ketreader: error: section not found: {args.section}", file=sys.stderr)
    if args.quit_after_paint:
        window.view.first_paint.connect(lambda: _report_paint_and_quit(app, window))
    if prefs.kiosk:
        window.showFullScreen()
    else:
        window.show()
    if opened.refused:
        from ketreader.ui.pack_opener import show_refusal

        print(f"ketreader: error: {opened.refused} (showing the bundled guide)", file=sys.stderr)
        show_refusal(window, opened.refused)
    if background is not None:
        window.packs.prepare(background, at_start=True, section=args.section)
    app.commitDataRequest.connect(lambda _manager: window.end_session())
    _quit_on_signals(app, window)
    return app.exec()
