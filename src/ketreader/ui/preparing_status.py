"""UI room: the status bar's progress for a pack being prepared, with its Cancel button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ketreader.ui.qt_namespace import qt

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent


def progress_text(label: str, done: int, total: int) -> str:
    """``Preparing Big guide: 312 of 1,000 documents``; before the count, ``Preparing …``."""
    if total <= 0:
        return f"Preparing {label}…"
    noun = "document" if total == 1 else "documents"
    return f"Preparing {label}: {done:,} of {total:,} {noun}"


def ready_text(ready: int, searched: int) -> str:
    """What of a partly prepared pack can be used: ``120 ready to read · search covers 64``."""
    if not searched:
        return f"{ready:,} ready to read"
    return f"{ready:,} ready to read · search covers {searched:,}"


class PreparingStatus(QWidget):
    """A label, a bar and Cancel, kept at the left of the status bar's lasting part.

    Permanent, not a plain status-bar widget: a link's address shown in the status bar
    would otherwise hide the progress. Escape anywhere in it cancels, as the button does.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("preparing-status")
        self.setAccessibleName("Pack preparation")
        self.setFocusPolicy(qt().FocusPolicy.TabFocus)
        self.label = QLabel(self)
        self.label.setObjectName("preparing-label")
        self.label.setTextFormat(qt().TextFormat.PlainText)  # a pack's title is not markup
        self.ready = QLabel(self)  # shown once the pack is shown partly prepared
        self.ready.setObjectName("preparing-ready")
        self.ready.hide()
        self.bar = QProgressBar(self)
        self.bar.setObjectName("preparing-progress")
        self.bar.setAccessibleName("Preparation progress")
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.button = QPushButton("Cancel", self)
        self.button.setObjectName("preparing-cancel")
        self.button.setAccessibleDescription(
            "Stop preparing the pack; the one shown before it stays or comes back"
        )
        self.button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.ready)
        layout.addWidget(self.button)
        self._label = ""
        self._cancellable = True
        # The counts last given: documents prepared, in all, ready to read. Prepared comes
        # every so often, ready with each batch the window takes: shown as they came,
        # "1,145 of 4,800 documents" would stand beside "1,147 ready to read".
        self._done = self._total = self._ready = 0

    def begin(self, label: str, *, cancellable: bool) -> None:
        """Show that ``label`` is being prepared; without ``cancellable``, no Cancel."""
        self._label = label
        self._cancellable = cancellable
        self._done = self._total = self._ready = 0
        self.button.setVisible(cancellable)
        self.button.setEnabled(True)
        self.button.setText("Cancel")
        self.bar.setRange(0, 0)  # busy until the first count
        self.label.setText(progress_text(label, 0, 0))
        self.ready.hide()
        self.show()

    def show_progress(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        self._show_count()

    def _show_count(self) -> None:
        # A document ready to read has been prepared: never fewer prepared than ready.
        done, total = max(self._done, self._ready), self._total
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(progress_text(self._label, done, total))

    def show_ready(self, ready: int, searched: int) -> None:
        """The pack is shown while it is prepared: how much of it can be read and searched."""
        self.ready.setText(ready_text(ready, searched))
        self.ready.show()
        shown = max(self._done, self._ready)
        self._ready = ready
        if ready > shown and self._total:
            self._show_count()

    def cancelling(self) -> None:
        self.button.setEnabled(False)
        self.button.setText("Cancelling…")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == qt().Key.Key_Escape and self._cancellable:
            self.cancel_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
