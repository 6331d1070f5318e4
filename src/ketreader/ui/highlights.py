"""UI room: search highlights in the reader, with a current match that F3 moves."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTextEdit

from ketreader.ui.theme import ViewColours, view_colours

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCursor


class Highlights(QObject):
    """Every whole-word occurrence of the matched words, painted as extra selections."""

    match_changed = Signal(int, int)  # current (1-based, 0 for none), total

    def __init__(self, view: QTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self.words: tuple[str, ...] = ()
        self._matches: list[QTextCursor] = []
        self.index = -1
        self._colours = view_colours("light")
        self._painted = False

    @property
    def count(self) -> int:
        return len(self._matches)

    def set_colours(self, colours: ViewColours) -> None:
        self._colours = colours
        if self._matches:
            self._paint()

    def show(self, words: tuple[str, ...], start_at: int = 0) -> int:
        """Highlight ``words``; the current match is the first at or after ``start_at``."""
        from PySide6.QtGui import QTextDocument

        self.words = words
        document = self._view.document()
        found: dict[int, QTextCursor] = {}
        flags = QTextDocument.FindFlag.FindWholeWords
        for word in words:
            cursor = document.find(word, 0, flags)
            while not cursor.isNull():
                found.setdefault(cursor.selectionStart(), cursor)
                cursor = document.find(word, cursor, flags)
        self._matches = [found[p] for p in sorted(found)]
        self.index = -1
        if self._matches:
            positions = [c.selectionStart() for c in self._matches]
            self.index = min(bisect.bisect_left(positions, start_at), len(positions) - 1)
        self._paint()
        return len(self._matches)

    def again(self) -> None:
        """Find the same words again after the document was reloaded (a theme change)."""
        if self.words:
            index = self.index
            self.show(self.words)
            self.index = min(index, len(self._matches) - 1)
            self._paint()

    def clear(self) -> None:
        self.words = ()
        self._matches = []
        self.index = -1
        self._paint()

    def step(self, step: int) -> bool:
        """Move the current match and show it; True when it wrapped around the end."""
        if not self._matches:
            return False
        target = self.index + step
        wrapped = not 0 <= target < len(self._matches)
        self.index = target % len(self._matches)
        self._paint()
        self._view.setTextCursor(self._matches[self.index])
        self._view.ensureCursorVisible()
        return wrapped

    def _paint(self) -> None:
        total = len(self._matches)
        if not total and not self._painted:
            self.match_changed.emit(0, 0)
            return  # nothing to paint or to clear: keeps the first paint free of this work
        self._painted = bool(total)
        from PySide6.QtGui import QColor, QTextCharFormat

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
        self.match_changed.emit(self.index + 1 if total else 0, total)
