"""UI room: the window's life (shown, active, full screen, focused dialogs) as debug events."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QMainWindow

from ketreader.log import get

_log = get("ui")


class WindowEvents(QObject):
    """Reports what a test driving the real window must wait for before its next step.

    Keys typed before Qt has taken the focus miss the window's shortcuts, and a click aimed
    before the window reaches its final size lands elsewhere: tests wait on these lines.
    Only built with ``--debug-log``: nothing of it is on a user's start-up path.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._shown = False
        self._state = ""
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_window_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Show and not self._shown:
            self._shown = True
            # The X window id on X11: what xdotool and xprop address.
            _log.debug("window %#x", int(self._window.winId()))
        elif kind == QEvent.Type.ActivationChange:
            _log.debug("active" if self._window.isActiveWindow() else "inactive")
        elif kind in (QEvent.Type.WindowStateChange, QEvent.Type.Show, QEvent.Type.Resize):
            self._report_state()
        return False

    def _report_state(self) -> None:
        if self._window.isFullScreen():
            state = "full screen"
        elif self._window.isMaximized():
            state = "maximized"
        else:
            state = "normal"
        size = self._window.size()
        described = f"{state} {size.width()}x{size.height()}"
        if described != self._state:
            self._state = described
            _log.debug("window state %s", described)

    def _focus_window_changed(self, window: QWindow | None) -> None:
        # Dialogs are windows of their own: their title says which one took the keyboard.
        _log.debug("focus window %s", window.title() if window is not None else "none")


def report_window_events(window: QMainWindow) -> WindowEvents:
    return WindowEvents(window)
