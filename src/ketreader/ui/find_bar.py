"""UI room: find in page (Ctrl+F): an inline bar that finds text in the document shown."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from ketreader.ui.qt_namespace import qt

if TYPE_CHECKING:
    from ketreader.ui.reader_view import ReaderView
    from ketreader.ui.theme import ViewColours

MAX_MATCHES = 5000  # beyond this the count says "5000+": more would only slow typing


class _FindField(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one, Escape closes the bar."""

    step = Signal(int)
    dismissed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (qt().Key.Key_Return, qt().Key.Key_Enter):
            shift = event.modifiers() & qt().KeyboardModifier.ShiftModifier
            self.step.emit(-1 if shift else 1)
        elif key == qt().Key.Key_Escape:
            self.dismissed.emit()
        else:
            super().keyPressEvent(event)


class FindBar(QToolBar):
    """Finds every occurrence of what is typed in the document shown, as a browser does.

    Its matches are painted as the view's extra selections, like the guide-wide search's
    highlights: whichever was used last owns them.
    """

    wrapped = Signal(str)  # "top" or "bottom"

    def __init__(self, view: ReaderView, parent: QWidget | None = None) -> None:
        super().__init__("Find in page", parent)
        self.setObjectName("find-bar")
        self.setMovable(False)
        self._view = view
        self._matches: list[QTextCursor] = []
        self.index = -1
        self._shown: tuple[int, int] | None = None  # the match the bar last selected in the view
        self._colours: ViewColours | None = None
        self.field = _FindField(self)
        self.field.setObjectName("find-field")
        self.field.setPlaceholderText("Find in page")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Find in page")
        self.field.setAccessibleDescription(
            "Type to find in the text shown. Enter finds the next match, Shift+Enter the "
            "previous one, Escape closes the find bar."
        )
        self.field.setMaximumWidth(320)
        self.previous_button = self._button("Previous", "Previous match (Shift+F3)", -1)
        self.next_button = self._button("Next", "Next match (F3)", 1)
        self.match_case = QCheckBox("Match case", self)
        self.match_case.setObjectName("find-match-case")
        self.match_case.setAccessibleName("Match case")
        self.count = QLabel(self)
        self.count.setObjectName("find-count")
        self.count.setAccessibleName("Find matches")
        close = QToolButton(self)
        close.setObjectName("find-close")
        close.setText("Close")
        close.setAccessibleName("Close find bar")
        close.clicked.connect(self.close_bar)
        self.addWidget(self.field)
        self.addWidget(self.previous_button)
        self.addWidget(self.next_button)
        self.addWidget(self.match_case)
        self.addWidget(self.count)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # coalesces a burst of keystrokes into one search
        self._timer.timeout.connect(self.run)
        self.field.textChanged.connect(self._timer.start)
        self.match_case.toggled.connect(self.run)
        self.field.step.connect(self.step)
        self.field.dismissed.connect(self.close_bar)
        view.highlights.match_changed.connect(self._search_highlighted)

    def _button(self, text: str, tip: str, step: int) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text + " match")
        button.clicked.connect(lambda: self.step(step))
        return button

    @property
    def active(self) -> bool:
        """Open, with something found: F3 steps through these matches."""
        return self.isVisible() and bool(self._matches)

    def set_colours(self, colours: ViewColours) -> None:
        """New theme colours; the document was read again, so the matches are found again."""
        self._colours = colours
        if self._matches:
            index = self.index
            self.run(reveal=False)
            if self._matches:
                self.index = min(index, len(self._matches) - 1)
                self._paint()

    @Slot()
    def open_bar(self) -> None:
        self.show()
        self.field.setFocus(qt().FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self.run()

    @Slot()
    def close_bar(self) -> None:
        self._timer.stop()
        if self._matches:
            self._matches = []
            self.index = -1
            self._view.setExtraSelections([])
        self.hide()
        self._view.setFocus(qt().FocusReason.OtherFocusReason)

    def reset(self) -> None:
        """A new document is shown: its matches are not the old one's."""
        self._matches = []
        self.index = -1
        if self.isVisible() and self.field.text():
            self._timer.start()
        else:
            self.count.setText("")

    @Slot()
    def run(self, reveal: bool = True) -> None:
        """Find every match of the field's text; the current one is the first in view."""
        self._timer.stop()
        text = self.field.text()
        self._matches = []
        self.index = -1
        if not text:
            self.count.setText("")
            self._view.setExtraSelections([])
            return
        self._view.highlights.clear()  # the guide-wide search's highlights give way
        document = self._view.document()
        flags = QTextDocument.FindFlag(0)
        if self.match_case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        cursor = document.find(text, 0, flags)
        while not cursor.isNull() and len(self._matches) < MAX_MATCHES:
            self._matches.append(cursor)
            cursor = document.find(text, cursor, flags)
        if self._matches:
            starts = [c.selectionStart() for c in self._matches]
            here = bisect.bisect_left(starts, self._view.top_position())
            self.index = min(here, len(starts) - 1)
        self._paint()
        if self._matches and reveal:
            self._reveal()
        elif not self._matches:
            self._unselect()

    def _reveal(self) -> None:
        match = self._matches[self.index]
        self._shown = (match.selectionStart(), match.selectionEnd())
        self._view.reveal(match)

    def _unselect(self) -> None:
        """Drop the selection of a match that is found no more ("Ketam" of "Ketamzz").

        Only the bar's own: text the reader selected stays selected.
        """
        cursor = self._view.textCursor()
        if self._shown == (cursor.selectionStart(), cursor.selectionEnd()):
            cursor.clearSelection()
            self._view.setTextCursor(cursor)
        self._shown = None

    @Slot(int)
    def step(self, step: int) -> None:
        if not self._matches:
            self.run()
            return
        target = self.index + step
        if not 0 <= target < len(self._matches):
            self.wrapped.emit("top" if step > 0 else "bottom")
        self.index = target % len(self._matches)
        self._paint()
        self._reveal()

    def _paint(self) -> None:
        total = len(self._matches)
        if not total:
            self.count.setText("No matches" if self.field.text() else "")
            self._view.setExtraSelections([])
            return
        more = "+" if total >= MAX_MATCHES else ""
        self.count.setText(f" {self.index + 1} of {total}{more} ")
        if self._colours is None:
            from ketreader.ui.theme import view_colours

            self._colours = view_colours("light")
        colours = self._colours
        selections = []
        for i, cursor in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            current = i == self.index
            fmt.setBackground(QColor(colours.current_bg if current else colours.highlight_bg))
            fmt.setForeground(QColor(colours.highlight_fg))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self._view.setExtraSelections(selections)

    @Slot(int, int)
    def _search_highlighted(self, _current: int, total: int) -> None:
        if total:  # the guide-wide search now owns the highlights
            self._matches = []
            self.index = -1
            self.count.setText("")
