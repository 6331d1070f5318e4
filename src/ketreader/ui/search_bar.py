"""UI room: the search field, debounced, forwarding list keys to the results."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from ketreader.ui.qt_namespace import qt

# A zero-interval timer still coalesces a burst of queued keystrokes into one query, so fast
# searches (the guide: under a millisecond) land within the frame of the keystroke. Slow ones
# (very large packs) wait for a pause in typing instead, so typing never stutters.
FAST_DEBOUNCE_MS = 0
SLOW_DEBOUNCE_MS = 60
SLOW_QUERY_SECONDS = 0.030


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
        self._timer.setInterval(FAST_DEBOUNCE_MS)
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

    def adapt_debounce(self, query_seconds: float) -> None:
        """Wait for a pause in typing only when a query costs a noticeable part of a frame."""
        slow = query_seconds > SLOW_QUERY_SECONDS
        self._timer.setInterval(SLOW_DEBOUNCE_MS if slow else FAST_DEBOUNCE_MS)

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
