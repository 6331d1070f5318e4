"""Test probe: from inside the reader, reports where to click and which dialogs opened."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QToolButton,
    QWidget,
)

from ketreader.log import get
from ketreader.ui.main_window import MainWindow

_log = get("probe")
_GEOMETRY = (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.LayoutRequest)
_WATCHED = (*_GEOMETRY, QEvent.Type.Paint, QEvent.Type.FontChange)


def _shown(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible() and widget.isEnabled()


class Probe(QObject):
    """An application-wide event filter; it only reads, and never consumes an event."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._said: dict[str, str] = {}
        self._paints = 0
        self._paint_reported = True
        app.installEventFilter(self)

    def detach(self) -> None:
        self._app.removeEventFilter(self)

    def _say(self, topic: str, text: str) -> None:
        """Log ``text`` unless it is what was last said about ``topic``."""
        if self._said.get(topic) != text:
            self._said[topic] = text
            _log.debug("probe %s", text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _WATCHED or not isinstance(watched, QWidget):
            return False
        try:
            self._look(watched, kind)
        except Exception:  # noqa: BLE001 - raised from Qt's C++ it would end the reader
            _log.exception("probe failed")
        return False

    def _look(self, watched: QWidget, kind: QEvent.Type) -> None:
        window = watched.window()
        if isinstance(window, MainWindow):
            if kind == QEvent.Type.Paint:
                self._paint_seen()
            else:
                self._report_view(window)
        elif isinstance(window, QDialog) and window.isVisible() and kind in _GEOMETRY:
            self._report_dialog(window)

    def _paint_seen(self) -> None:
        if self._paint_reported:
            # Reported from the event loop's next turn, once the painted pixels have been
            # handed to the X server: a screenshot taken after this line sees them.
            self._paint_reported = False
            QTimer.singleShot(0, self._report_painted)

    def _report_painted(self) -> None:
        self._paints += 1
        self._paint_reported = True
        _log.debug("probe painted %d", self._paints)

    def _report_view(self, window: MainWindow) -> None:
        view = getattr(window, "view", None)  # events arrive while the window is being built
        if view is None or not view.viewport().isVisible():
            return
        viewport = view.viewport()
        corner = viewport.mapTo(window, QPoint(0, 0))
        self._say("view", f"view {corner.x()} {corner.y()} {viewport.width()} {viewport.height()}")
        banner = window.findChild(QWidget, "lockdown-banner")
        if banner is not None and banner.isVisible():
            top = banner.mapTo(window, QPoint(0, 0))
            self._say("banner", f"banner {top.x()} {top.y()} {banner.width()} {banner.height()}")
        # The reader's zoom is its font size: a change here is a change on screen.
        self._say("font", f"view font {view.font().pointSizeF():g}")

    def _report_dialog(self, dialog: QDialog) -> None:
        name = type(dialog).__name__
        if isinstance(dialog, QFileDialog):
            name = "QFileDialog"  # a file browser, whatever Qt's subclass
        self._say(f"dialog {id(dialog)}", f"dialog {name} {dialog.windowTitle()}")
        printers = dialog.findChild(QComboBox, "printers")
        if printers is not None:
            items = [printers.itemText(i) for i in range(printers.count())]
            browser = dialog.findChild(QToolButton, "fileBrowser")
            self._say(
                f"printers {id(dialog)}",
                f"print dialog printers {json.dumps(items)} file browser "
                + ("shown" if _shown(browser) else "hidden"),
            )
        for button in dialog.findChildren(QAbstractButton):
            action = button.defaultAction() if isinstance(button, QToolButton) else None
            text = (action.text() if action is not None else button.text()).replace("&", "")
            if text and _shown(button):
                centre = button.mapToGlobal(button.rect().center())
                self._say(
                    f"button {id(dialog)} {text}", f"button {text} at {centre.x()} {centre.y()}"
                )
