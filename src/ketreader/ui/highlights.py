"""UI room: search highlights in the reader, made for the visible part only, and F3 over them.

Every match is found at once, as plain positions, by one regular expression over the
document's text; Qt's selections are made only for the matches near the view (a few
hundred at most), again when the view scrolls elsewhere. F3 changes the format of two of
them, so a press costs the same with 47,000 matches as with 4.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QTimer, Signal, Slot
from PySide6.QtWidgets import QTextEdit

from ketreader.ui.theme import ViewColours, view_colours

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat, QTextDocument

# Selections kept beyond the visible part, in characters, so that a short scroll needs none.
MARGIN_CHARS = 6000
# At most this many selections at once, however dense the matches.
MAX_PAINTED = 800
# Lines kept visible above a match that F3 brings into view.
CONTEXT_LINES = 3
_WORD_CHAR = r"[^\W_]"

Span = tuple[int, int]


def find_spans(text: str, words: Sequence[str]) -> list[Span]:
    """Whole-word, case-insensitive matches of ``words`` in ``text``, as Qt positions.

    Positions count UTF-16 units, as QTextDocument does: a character beyond the Basic
    Multilingual Plane (an emoji) is two of them.
    """
    if not words or not text:
        return []
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    pattern = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?!{_WORD_CHAR})", re.IGNORECASE)
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if astral:
            start += bisect.bisect_left(astral, start)
            end += bisect.bisect_left(astral, end)
        spans.append((start, end))
    return spans


def find_text(text: str, parts: Sequence[str], start: int = 0) -> Span | None:
    """Where ``parts`` stand in ``text`` one after the other from ``start``, as Qt positions.

    For an answer sentence and the list items it introduces. None when any is missing.
    """
    if not parts:
        return None
    plain = text.replace("\xa0", " ")  # the section text has plain spaces for these
    at = plain.find(parts[0], start)
    if at < 0:
        return None
    first, end = at, at + len(parts[0])
    for part in parts[1:]:
        at = plain.find(part, end)
        if at < 0:
            return None
        end = at + len(part)
    astral = [i for i, ch in enumerate(text[:end]) if ord(ch) > 0xFFFF]
    return first + bisect.bisect_left(astral, first), end + len(astral)


class Highlights(QObject):
    """Every whole-word occurrence of the matched words, and the answer, as extra selections."""

    match_changed = Signal(int, int)  # current (1-based, 0 for none), total

    def __init__(self, view: QTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self.words: tuple[str, ...] = ()
        self._spans: list[Span] = []
        self._starts: list[int] = []
        self.answer: Span | None = None
        self.index = -1
        self._colours = view_colours("light")
        self._painted = False
        self._window = (0, 0)  # indices of the spans that have selections
        self._selections: list[QTextEdit.ExtraSelection] = []
        self._marked = -1  # the match painted as current
        self._formats: tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat] | None = None
        self._follow: QTimer | None = None  # repaints after a scroll, made on first use
        view.verticalScrollBar().valueChanged.connect(self.follow_scrolling)

    @property
    def count(self) -> int:
        return len(self._spans)

    def set_colours(self, colours: ViewColours) -> None:
        self._colours = colours
        self._formats = None
        if self._spans or self.answer:
            self._paint(rebuild=True)

    # -- what is highlighted -----------------------------------------------------------------

    def show(self, words: tuple[str, ...], start_at: int = 0, answer: Span | None = None) -> int:
        """Highlight ``words``; the current match is the first at or after ``start_at``.

        ``answer``, the span of the sentence that answers the query, is highlighted too.
        """
        self.words = words
        spans = find_spans(self._view.document().toRawText(), words)
        return self.show_spans(spans, start_at, answer)

    def show_spans(self, spans: list[Span], start_at: int = 0, answer: Span | None = None) -> int:
        """Highlight these spans (sorted by start); the current is the first at ``start_at``."""
        self._spans = spans
        self._starts = [start for start, _ in spans]
        self.answer = answer
        self.index = -1
        if spans:
            self.index = min(bisect.bisect_left(self._starts, start_at), len(spans) - 1)
        self._window = (0, 0)
        self._paint(rebuild=True)
        return len(spans)

    def again(self) -> None:
        """Find the same words again after the document was reloaded (a theme change)."""
        if self.words:
            index, answer = self.index, self.answer
            self.show(self.words, answer=answer)
            self.index = min(index, len(self._spans) - 1)
            self._paint(rebuild=True)

    def clear(self) -> None:
        if 0 <= self.index < len(self._spans):
            # The current match was also the text cursor's selection: it goes with it.
            cursor = self._view.textCursor()
            if (cursor.selectionStart(), cursor.selectionEnd()) == self._spans[self.index]:
                cursor.clearSelection()
                self._view.setTextCursor(cursor)
        self.words = ()
        self._spans, self._starts = [], []
        self.answer = None
        self.index = -1
        self._paint(rebuild=True)

    def step(self, step: int) -> bool:
        """Move the current match and bring it into view; True when it wrapped around."""
        if not self._spans:
            return False
        target = self.index + step
        wrapped = not 0 <= target < len(self._spans)
        self.index = target % len(self._spans)
        start, end = self._spans[self.index]
        self._select(start, end)
        self.reveal(start)
        self._paint(rebuild=False, recentre=True)
        return wrapped

    def reveal(self, position: int) -> None:
        """Bring ``position`` into view, with a few lines of context above it, unless it is
        in view already."""
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self._view.document())
        cursor.setPosition(min(position, self._view.document().characterCount() - 1))
        rect = self._view.cursorRect(cursor)
        height = self._view.viewport().height()
        if rect.top() >= 0 and rect.bottom() <= height:
            return  # already in view: moving the text would only lose the reader's place
        context = CONTEXT_LINES * max(1, rect.height())
        bar = self._view.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - min(context, max(0, height // 3)))

    def _select(self, start: int, end: int) -> None:
        """Put the text cursor on the current match, for the keyboard and screen readers."""
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self._view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._view.setTextCursor(cursor)

    # -- painting the visible part -------------------------------------------------------------

    def _visible_range(self) -> Span:
        """Document positions at the top and bottom of the view."""
        viewport = self._view.viewport()
        top = self._view.cursorForPosition(QPoint(0, 0)).position()
        bottom = self._view.cursorForPosition(QPoint(viewport.width(), viewport.height()))
        return top, bottom.position()

    def _wanted_window(self) -> Span:
        top, bottom = self._visible_range()
        low = bisect.bisect_left(self._starts, top - MARGIN_CHARS)
        high = bisect.bisect_right(self._starts, bottom + MARGIN_CHARS)
        if 0 <= self.index < len(self._spans):
            low, high = min(low, self.index), max(high, self.index + 1)
        if high - low > MAX_PAINTED:
            centre = self.index if self.index >= 0 else bisect.bisect_left(self._starts, top)
            low = max(0, min(centre - MAX_PAINTED // 2, len(self._spans) - MAX_PAINTED))
            high = low + MAX_PAINTED
        return low, high

    def _paint(self, rebuild: bool, recentre: bool = False) -> None:
        total = len(self._spans)
        if not total and not self.answer and not self._painted:
            self.match_changed.emit(0, 0)
            return  # nothing to paint or to clear: keeps the first paint free of this work
        self._painted = bool(total or self.answer)
        if recentre and total:
            wanted = self._wanted_window()
            rebuild = rebuild or wanted != self._window
        if rebuild:
            self._window = self._wanted_window() if total else (0, 0)
            self._selections = self._build()
        else:
            self._refresh_current()
        self._view.setExtraSelections(self._selections)
        self.match_changed.emit(self.index + 1 if total else 0, total)

    def _build(self) -> list[QTextEdit.ExtraSelection]:
        normal, current, answer = self._char_formats()
        document = self._view.document()
        selections = []
        if self.answer is not None:
            selections.append(self._selection(document, self.answer, answer))
        low, high = self._window
        for i in range(low, high):
            fmt = current if i == self.index else normal
            selections.append(self._selection(document, self._spans[i], fmt))
        self._marked = self.index
        return selections

    def _refresh_current(self) -> None:
        """Move the current format from the old current match to the new: two selections."""
        normal, current, _ = self._char_formats()
        offset = (1 if self.answer is not None else 0) - self._window[0]
        for index, fmt in ((self._marked, normal), (self.index, current)):
            slot = index + offset
            if self._window[0] <= index < self._window[1] and 0 <= slot < len(self._selections):
                self._selections[slot].format = fmt
        self._marked = self.index

    @staticmethod
    def _selection(
        document: QTextDocument, span: Span, fmt: QTextCharFormat
    ) -> QTextEdit.ExtraSelection:
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(document)
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _char_formats(self) -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat]:
        """The formats of a match, the current match and the answer, in the theme's colours."""
        if self._formats is None:
            from PySide6.QtGui import QColor, QTextCharFormat

            colours = self._colours
            normal = QTextCharFormat()
            normal.setBackground(QColor(colours.highlight_bg))
            normal.setForeground(QColor(colours.highlight_fg))
            current = QTextCharFormat()
            current.setBackground(QColor(colours.current_bg))
            current.setForeground(QColor(colours.highlight_fg))
            # The answer reads as marked, not as a match: a light wash of the match colour and
            # an underline, which high contrast keeps visible.
            answer = QTextCharFormat()
            wash = QColor(colours.highlight_bg)
            wash.setAlpha(90)
            answer.setBackground(wash)
            answer.setFontUnderline(True)
            self._formats = (normal, current, answer)
        return self._formats

    # -- following the view -------------------------------------------------------------------

    @Slot()
    def follow_scrolling(self) -> None:
        """Repaint for the newly visible part after the view scrolled, once per event loop."""
        if not self._spans:
            return
        if self._follow is None:
            self._follow = QTimer(self)
            self._follow.setSingleShot(True)
            self._follow.setInterval(0)
            self._follow.timeout.connect(self._on_scrolled)
        self._follow.start()

    @Slot()
    def _on_scrolled(self) -> None:
        if self._spans and self._wanted_window() != self._window:
            self._paint(rebuild=True)
