"""UI room: Help > Keyboard shortcuts: every action that has one, as the platform writes it."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

EXTRA_KEYS = (
    ("Choose a search result", "Up / Down, then Enter"),
    ("Close search results, clear highlights", "Escape"),
    ("Zoom with the mouse", "Ctrl+wheel"),
)
# Qt::Key_Super_L: after F35, Qt's keys are modifiers, Help, and media and launcher keys
# (XF86Back, XF86ZoomIn...), which X11's standard bindings include but nobody types.
_FIRST_MEDIA_KEY = 0x01000053


def typed_keys(action: QAction) -> list[str]:
    """The shortcuts of ``action`` that a keyboard can type, in the platform's own words."""
    shown = []
    for sequence in action.shortcuts():
        first = cast(Any, sequence)[0]  # QKeySequence[i]: the stubs lack __getitem__
        if sequence.isEmpty() or first.key().value >= _FIRST_MEDIA_KEY:
            continue
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if text not in shown:
            shown.append(text)
    return shown


class ShortcutsDialog(QDialog):
    """A two-column table: what it does, and the keys; sized to show every row whole."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [
            (a.text().replace("&", ""), "  /  ".join(keys))
            for a in actions
            if (keys := typed_keys(a))
        ]
        rows += list(EXTRA_KEYS)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for Close, as in any list
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setAccessibleDescription("Each action and the keys that trigger it.")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        row_height = self.fontMetrics().height() + 8
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        for row, (name, typed) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(typed))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        # Wide enough for both columns whole; tall enough for every row, up to a limit.
        padding = 2 * self.table.frameWidth() + 48
        width = self.table.columnWidth(0) + self.table.columnWidth(1) + padding
        height = header.height() + len(rows) * row_height + 2 * self.table.frameWidth()
        self.resize(max(420, width), min(height + 80, 640))

    def rows(self) -> list[tuple[str, str]]:
        def cell(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(cell(r, 0), cell(r, 1)) for r in range(self.table.rowCount())]
