"""UI room: the rendered-document view: pack-only resources, measure, notes and scroll-spy."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QPoint, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QWidget

from ketreader.render.model import RenderedDocument
from ketreader.scroll_spy import ScrollSpy, from_positions
from ketreader.ui.highlights import Highlights
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
        QWheelEvent,
    )

_IMAGE_RESOURCE = 2  # QTextDocument.ResourceType.ImageResource, as Qt passes it to loadResource
MAX_LINE_EM = 42  # about 75 characters a line: the comfortable reading measure
MIN_ZOOM, MAX_ZOOM = -6, 12

ResourceLoader = Callable[[str], bytes | None]


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
    """Shows one rendered document; never follows links or loads anything on its own.

    It only reports what the reader asks for (a link, a zoom step, Escape): whoever owns it
    decides, so locks and navigation live in one place.
    """

    section_in_view = Signal(str)
    internal_link = Signal(str)
    external_link = Signal(QUrl)
    zoom_requested = Signal(int)  # +1 or -1, from Ctrl+wheel
    first_paint = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Guide text")
        self.setAccessibleDescription("The guide. Use the arrow keys and Page Up/Down to read.")
        self._load_resource: ResourceLoader | None = None
        self._document: RenderedDocument | None = None
        self._html = ""
        self._spy = ScrollSpy([], lambda i: None)
        self._current_section: str | None = None
        self._colours = view_colours("light")
        self._zoom = 0
        self._painted = False
        self._note_starts: dict[str, QTextBlock] = {}
        self.highlights = Highlights(self)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- content ---------------------------------------------------------------------------

    @property
    def rendered(self) -> RenderedDocument | None:  # accessibility and read aloud (issue 15)
        return self._document

    def show_document(
        self, document: RenderedDocument, html: str, resources: ResourceLoader, stylesheet: str
    ) -> None:
        self._load_resource = resources
        self._document = document
        self._html = html
        self._current_section = None
        self._load(stylesheet)
        self.highlights.clear()
        self._on_scrolled()

    def _load(self, stylesheet: str) -> None:
        assert self._document is not None
        self.document().setDefaultStyleSheet(stylesheet)
        self.setHtml(self._html)
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
        marks = [
            ((0 if m.anchor is None else anchors.get(m.anchor, -1)), m.section_id)
            for m in self._document.marks
        ]
        self._spy = from_positions([(p, s) for p, s in marks if p >= 0])

    def restyle(self, stylesheet: str, colours: ViewColours) -> None:
        """Re-apply the document stylesheet (for a theme change), keeping the place."""
        self._colours = colours
        self.highlights.set_colours(colours)
        if self._document is None:
            return
        with self._keeping_place():
            self._load(stylesheet)
        self.highlights.again()

    def top_position(self) -> int:
        """The document position at the top of the view."""
        return self.cursorForPosition(QPoint(0, 2)).position()

    @contextlib.contextmanager
    def _keeping_place(self) -> Iterator[None]:
        """Keep the text at the top of the view there across a relayout (zoom, theme)."""
        position = self.top_position()
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
        if not len(self._spy):
            return None
        return self._spy.section_at(self.top_position())

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
        """Serve images from inside the pack only; everything else loads as nothing.

        The data must be a QByteArray: Python bytes reach Qt as an unknown variant and the
        image silently stays broken (QTextDocument::loadResource, see
        https://doc.qt.io/qt-6/qtextdocument.html#loadResource).
        """
        name = QUrl(name)
        if (
            kind != _IMAGE_RESOURCE
            or self._load_resource is None
            or name.scheme()  # remote, file: and data: alike are never loaded
        ):
            return None
        data = self._load_resource(name.path())
        return QByteArray(data) if data else None

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

    def set_zoom(self, steps: int) -> int:
        """Zoom to ``steps`` (clamped), keeping the place; the zoom now shown."""
        steps = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        if steps != self._zoom:
            with self._keeping_place():
                self.zoomIn(steps - self._zoom)
                self._zoom = steps
                self._apply_measure()
        return self._zoom

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == qt().Key.Key_Escape and self.highlights.count:
            self.escape_pressed.emit()  # the owner clears highlights and closes the results
            event.accept()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & qt().KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()  # never the widget's own zoom: the owner checks the lock
            return
        super().wheelEvent(event)
