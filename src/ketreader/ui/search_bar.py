"""UI room: the search field, debounced, forwarding list keys to the results."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from ketreader.ui.qt_namespace import qt

DEBOUNCE_MS = 40  # under a frame pair: results follow typing without a query per key-repeat


class SearchBar(QLineEdit):
    """Emits ``query_changed`` after typing pauses, and the navigation keys as signals."""

    query_changed = Signal(str)
    move_selection = Signal(int)
    accepted = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search")
        self.setPlaceholderText("Search the guide  (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Search")
        self.setAccessibleDescription(
            "Type to search. Up and Down choose a result, Enter opens it, Escape closes the list."
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_query)
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._on_text_changed)

    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        self._timer.start()

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if not text:  # the clear button: no need to wait
            self._timer.stop()
            self.query_changed.emit("")

    @Slot()
    def _emit_query(self) -> None:
        self.query_changed.emit(self.text())

    def flush(self) -> None:
        """Run a pending debounced query now (Enter must act on what is typed)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_query()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (qt().Key.Key_Down, qt().Key.Key_Up):
            self.move_selection.emit(1 if key == qt().Key.Key_Down else -1)
        elif key in (qt().Key.Key_Return, qt().Key.Key_Enter):
            self.flush()
            self.accepted.emit()
        elif key == qt().Key.Key_Escape:
            self.dismissed.emit()
        else:
            super().keyPressEvent(event)
