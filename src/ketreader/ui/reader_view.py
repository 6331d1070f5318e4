"""UI room: the rendered-document view, with scroll-spy, highlights and pack-only resources."""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QWidget

from ketreader.content.pack import resolve_inside
from ketreader.render.model import RenderedDocument
from ketreader.ui.qt_namespace import qt
from ketreader.ui.theme import ViewColours, view_colours

# Qt classes used only after the first paint are imported where they are used.
if TYPE_CHECKING:
    from PySide6.QtGui import (
        QBrush,
        QKeyEvent,
        QPaintEvent,
        QResizeEvent,
        QTextBlock,
        QTextCursor,
        QWheelEvent,
    )

_IMAGE_RESOURCE = 2  # QTextDocument.ResourceType.ImageResource, as Qt passes it to loadResource
MAX_LINE_EM = 42  # about 75 characters a line: the comfortable reading measure
MIN_ZOOM, MAX_ZOOM = -6, 12


# WORKAROUND for https://github.com/python/cpython/issues/82840 : Python enums are slow to
# create; any QBrush constructor makes PySide6 create all of ``Qt``'s (see ui/qt_namespace.py).
def _solid_brush(colour: str) -> QBrush:
    """A solid brush of ``colour``, without building PySide6's ``Qt`` enum namespace.

    Every QBrush constructor and QBrush.setColor resolve overloads that take Qt enums, which
    builds all ~100 of them (15 ms, see ui/qt_namespace.py); a palette's brush does not.
    """
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(colour))
    return palette.brush(QPalette.ColorRole.Window)


class ReaderView(QTextBrowser):
    """Shows one rendered document; never follows links or loads anything on its own."""

    section_in_view = Signal(str)
    internal_link = Signal(str)
    external_link = Signal(QUrl)
    match_changed = Signal(int, int)  # current (1-based, 0 for none), total
    zoom_changed = Signal(int)
    first_paint = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Guide text")
        self.setAccessibleDescription("The guide. Use the arrow keys and Page Up/Down to read.")
        self._root: Path | None = None
        self._document: RenderedDocument | None = None
        self._highlight_words: tuple[str, ...] = ()
        self._positions: list[int] = []
        self._mark_sections: list[str] = []
        self._current_section: str | None = None
        self._matches: list[QTextCursor] = []
        self._match_index = -1
        self._colours = view_colours("light")
        self._zoom = 0
        self._painted = False
        self._note_starts: dict[str, QTextBlock] = {}
        self._highlighted = False
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- content ---------------------------------------------------------------------------

    def show_document(self, document: RenderedDocument, root: Path, stylesheet: str) -> None:
        self._root = root
        self._document = document
        self._current_section = None
        self._load(stylesheet)
        self.clear_highlights()
        self._on_scrolled()

    def _load(self, stylesheet: str) -> None:
        assert self._document is not None
        self.document().setDefaultStyleSheet(stylesheet)
        self.setHtml(self._document.html)
        self._apply_measure()
        self._note_starts = {}
        if self._painted:
            self._frame_notes()
        # Before the first paint the notes are framed right after it: the first paint needs
        # none of the text-format classes framing imports.
        self._compute_marks()

    def _compute_marks(self) -> None:
        """Where each section's runs start in the laid-out document, for scroll-spy."""
        assert self._document is not None
        anchors = self._anchor_positions()
        # A framed note starts where its frame's top margin does: the top of the view maps
        # that margin to the end of the block before the frame.
        starts = self._note_starts
        anchors.update({note: max(0, block.position() - 1) for note, block in starts.items()})
        marks = sorted(
            ((0 if m.anchor is None else anchors.get(m.anchor, -1)), m.section_id)
            for m in self._document.marks
        )
        marks = [(p, s) for p, s in marks if p >= 0]
        self._positions = [p for p, _ in marks]
        self._mark_sections = [s for _, s in marks]

    def restyle(self, stylesheet: str, colours: ViewColours) -> None:
        """Re-apply the document stylesheet (for a theme change), keeping the place."""
        self._colours = colours
        if self._document is None:
            return
        words, index = self._highlight_words, self._match_index
        with self._keeping_place():
            self._load(stylesheet)
        if words:
            self.set_highlights(words)
            self._match_index = index
            self._paint_highlights()

    @contextlib.contextmanager
    def _keeping_place(self) -> Iterator[None]:
        """Keep the text at the top of the view there across a relayout (zoom, theme)."""
        position = self.cursorForPosition(QPoint(0, 2)).position()
        yield
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top())

    @Slot()
    def _frame_notes_after_first_paint(self) -> None:
        if self._document is not None and not self._note_starts:
            with self._keeping_place():
                self._frame_notes()
            self._compute_marks()

    def _frame_notes(self) -> dict[str, QTextBlock]:
        """Put each safety note in a padded, bordered frame; record where each frame starts.

        Qt's rich text ignores padding and borders on paragraphs, so the stylesheet alone
        leaves the note's text flush with its tinted background.
        """
        starts: dict[str, QTextBlock] = {}
        self._note_starts = starts
        if self._document is None or not self._document.notes:
            return starts
        from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFrameFormat

        frame = QTextFrameFormat()
        frame.setPadding(10)
        frame.setBorder(1.5)
        frame.setBorderBrush(_solid_brush(self._colours.note_rule))
        frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        frame.setBackground(_solid_brush(self._colours.note_bg))
        frame.setTopMargin(8)
        frame.setBottomMargin(8)
        anchors = self._anchor_positions()
        # Last first: a frame shifts every position after it.
        for note in sorted(self._document.notes, key=lambda n: anchors.get(n, -1), reverse=True):
            if note not in anchors:
                continue
            block = self.document().findBlock(anchors[note])
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)  # fmt: skip
            cursor.insertFrame(frame)
            # The text moved into the frame; its old block stays behind, empty but tinted.
            # Deleting it would merge it into the block before (a rule, say): flatten it.
            if not block.text():
                flat = QTextBlockFormat()
                flat.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
                QTextCursor(block).setBlockFormat(flat)
            starts[note] = block
        return starts

    def _anchor_positions(self) -> dict[str, int]:
        found: dict[str, int] = {}
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                for name in fragment.charFormat().anchorNames():
                    found.setdefault(name, fragment.position())
                fragments += 1
            block = block.next()
        return found

    def scroll_to_anchor(self, anchor: str | None) -> None:
        if anchor is None:
            self.verticalScrollBar().setValue(0)
        else:
            self.scrollToAnchor(anchor)
        self._on_scrolled()

    def section_at_top(self) -> str | None:
        """The section being read: the last run start at or above the top of the view."""
        if not self._positions:
            return None
        position = self.cursorForPosition(QPoint(0, 2)).position()
        index = bisect.bisect_right(self._positions, position) - 1
        return self._mark_sections[max(index, 0)]

    @Slot()
    def _on_scrolled(self) -> None:
        section = self.section_at_top()
        if section is not None and section != self._current_section:
            self._current_section = section
            self.section_in_view.emit(section)

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "" and url.path() == "" and url.hasFragment():
            self.internal_link.emit(url.fragment(QUrl.ComponentFormattingOption.FullyDecoded))
        else:
            self.external_link.emit(url)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802
        """Serve images from inside the pack only; everything else loads as nothing."""
        name = QUrl(name)
        if (
            kind != _IMAGE_RESOURCE
            or self._root is None
            or name.scheme()  # remote, file: and data: alike are never loaded
        ):
            return None
        path = resolve_inside(self._root, name.path())
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    # -- measure and zoom ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_paint.emit()
            QTimer.singleShot(0, self._frame_notes_after_first_paint)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._apply_measure()

    def _apply_measure(self) -> None:
        """Centre a column of at most MAX_LINE_EM ems, so lines stay readable when wide.

        The bottom margin lets the last headings scroll to the top like every other one.
        """
        em = self.fontMetrics().horizontalAdvance("M") * 1.0
        width = self.viewport().width()
        side = max(16.0, (width - MAX_LINE_EM * em * 1.6) / 2)
        bottom = max(16.0, self.viewport().height() - 4 * em)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5 or abs(fmt.bottomMargin() - bottom) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setBottomMargin(bottom)
            frame.setFrameFormat(fmt)

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        steps = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        if steps == self._zoom:
            return
        with self._keeping_place():
            self.zoomIn(steps - self._zoom)
            self._zoom = steps
            self._apply_measure()
        self.zoom_changed.emit(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == qt().Key.Key_Escape and self._matches:
            self.escape_pressed.emit()  # the owner clears highlights and closes the results
            event.accept()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & qt().KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.set_zoom(self._zoom + (1 if delta > 0 else -1))
            event.accept()
            return
        super().wheelEvent(event)

    # -- search highlights ---------------------------------------------------------------

    def set_highlights(self, words: tuple[str, ...], start_at: int = 0) -> int:
        """Highlight every whole-word occurrence of ``words``; return how many were found."""
        self._highlight_words = words
        document = self.document()
        from PySide6.QtGui import QTextDocument

        found: dict[int, QTextCursor] = {}
        flags = QTextDocument.FindFlag.FindWholeWords
        for word in words:
            cursor = document.find(word, 0, flags)
            while not cursor.isNull():
                found.setdefault(cursor.selectionStart(), cursor)
                cursor = document.find(word, cursor, flags)
        self._matches = [found[p] for p in sorted(found)]
        self._match_index = -1
        if self._matches:
            positions = [c.selectionStart() for c in self._matches]
            self._match_index = min(bisect.bisect_left(positions, start_at), len(positions) - 1)
        self._paint_highlights()
        return len(self._matches)

    def clear_highlights(self) -> None:
        self._highlight_words = ()
        self._matches = []
        self._match_index = -1
        self._paint_highlights()

    def step_match(self, step: int) -> None:
        if not self._matches:
            return
        self._match_index = (self._match_index + step) % len(self._matches)
        self._paint_highlights()
        self.setTextCursor(self._matches[self._match_index])
        self.ensureCursorVisible()

    def _paint_highlights(self) -> None:
        total = len(self._matches)
        if not total and not self._highlighted:
            self.match_changed.emit(0, 0)
            return  # nothing to paint or to clear: keeps the first paint free of this work
        self._highlighted = bool(total)
        # Imported here: highlighting never happens before the first paint.
        from PySide6.QtGui import QColor, QTextCharFormat
        from PySide6.QtWidgets import QTextEdit

        colours = self._colours
        background, foreground, current = (
            colours.highlight_bg, colours.highlight_fg, colours.current_bg)  # fmt: skip
        selections = []
        for i, cursor in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(current if i == self._match_index else background))
            fmt.setForeground(QColor(foreground))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)
        self.match_changed.emit(self._match_index + 1 if total else 0, total)
