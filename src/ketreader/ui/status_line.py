"""UI room: the status bar's lasting part: where reading is, and the zoom when it is not 100%."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar


class StatusLine:
    """Two labels on the right of the status bar; messages come and go on its left."""

    def __init__(self, bar: QStatusBar) -> None:
        self._bar = bar
        self.position = QLabel(bar)
        self.position.setObjectName("reading-position")
        # No accessible name: Qt exposes a label's name instead of its text, and the text
        # ("Section 3 of 20") is what a screen reader must read. The description says what it is.
        self.position.setAccessibleDescription("Reading position")
        self.zoom = QLabel(bar)
        self.zoom.setObjectName("zoom-level")
        self.zoom.setAccessibleDescription("Zoom level")
        bar.addPermanentWidget(self.zoom)
        bar.addPermanentWidget(self.position)
        self.zoom.hide()

    def show_position(self, number: int, total: int) -> None:
        """``number`` of ``total`` sections, 1-based; nothing when there is no section."""
        self.position.setText(f"Section {number} of {total}" if number else "")

    def show_zoom(self, percent: int) -> None:
        self.zoom.setText(f"Zoom {percent}%")
        self.zoom.setVisible(percent != 100)
