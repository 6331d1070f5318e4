"""UI room: the rendered-document view: pack-only resources, type, place and scroll-spy."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QWidget

from ketreader.config_schema import ZOOM_MAX, ZOOM_MIN
from ketreader.render.model import RenderedDocument
from ketreader.scroll_spy import ScrollSpy
from ketreader.ui.highlights import Highlights
from ketreader.ui.qt_namespace import qt
from ketreader.ui.theme import ViewColours, view_colours
from ketreader.ui.typography import (
    BODY_POINT_SIZE,
    MIN_SIDE_MARGIN,
    body_font,
    measure_width,
    qt_rules,
)

# Qt classes used only after the first paint are imported where they are used.
if TYPE_CHECKING:
    from PySide6.QtGui import (
        QImage,
        QKeyEvent,
        QPaintEvent,
        QResizeEvent,
        QShowEvent,
        QTextBlock,
        QTextCursor,
        QWheelEvent,
    )

_IMAGE_RESOURCE = 2  # QTextDocument.ResourceType.ImageResource, as Qt passes it to loadResource
TOP_SLACK = 2  # pixels: a heading scrolled to the top counts as being at the top
CONTEXT_LINES = 3  # lines kept above a match the view moves to

ResourceLoader = Callable[[str], bytes | None]


class Place(NamedTuple):
    """Where reading is: the first character of the line at the top of the view, and how
    far into that line (in line heights) the top is. It survives any relayout."""

    position: int
    into_line: float = 0.0


def _broken_image() -> QImage:
    """Qt's own icon for an image that cannot be shown (a non-null image: see loadResource)."""
    from PySide6.QtGui import QImage  # not before the first paint: its enums cost

    return QImage(":/qt-project.org/styles/commonstyle/images/file-16.png")


class ReaderView(QTextBrowser):
    """Shows one rendered document; never follows links or loads anything on its own.

    It only reports what the reader asks for (a link, a zoom step, Escape): whoever owns it
    decides, so locks and navigation live in one place.

    Where reading is, and which section that is, come from blocks Qt has already laid out
    (their layouts have lines); nothing here asks Qt to hit-test a point, which lays out the
    whole rest of a long document when the point falls between two paragraphs.
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
        self.setFont(body_font(self.font()))
        self._load_resource: ResourceLoader | None = None
        self._document: RenderedDocument | None = None
        self._html = ""
        self._stylesheet = ""
        self._anchors: dict[str, int] = {}
        self._mark_positions: list[int] = []
        self._spy = ScrollSpy([], lambda i: None)
        self._current_section: str | None = None
        self._place = Place(0)
        self._moving = False  # True while the view itself moves: not the reader scrolling
        self._colours = view_colours("light")
        self._zoom = 0
        self._painted = False
        self._notes_framed = False
        self.caret_browsing = False
        self.highlights = Highlights(self)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- content ---------------------------------------------------------------------------

    @property
    def painted(self) -> bool:
        """Whether the view has painted once: the window is on screen."""
        return self._painted

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
        self._place = Place(0)
        self._load(stylesheet)
        self.highlights.clear()
        self._show_place()
        self._caret_to_place()

    def _load(self, stylesheet: str) -> None:
        assert self._document is not None
        self._stylesheet = stylesheet
        self._moving = True
        try:
            self.document().setDefaultStyleSheet(stylesheet + qt_rules(self.font(), self))
            self.setHtml(self._html)
            if self.isVisible():  # else the resize that comes with showing applies it, once
                self._apply_measure()
        finally:
            self._moving = False
        self._notes_framed = False
        if self._painted:
            self._frame_notes()
        # Before the first paint the notes are framed right after it: the first paint needs
        # none of the text-format classes framing imports.
        self._compute_marks()

    def _compute_marks(self) -> None:
        """Where each anchor and each section's run start in the document, for scroll-spy."""
        assert self._document is not None
        from ketreader.ui.note_frames import anchor_positions

        self._anchors = anchor_positions(self.document())
        marks = sorted(
            (0 if m.anchor is None else self._anchors.get(m.anchor, -1), m.section_id)
            for m in self._document.marks
        )
        marks = [(p, s) for p, s in marks if p >= 0]
        self._mark_positions = [p for p, _ in marks]
        self._spy = ScrollSpy([s for _, s in marks], self._mark_top)

    def _mark_top(self, index: int) -> float | None:
        return self._laid_out_top(self.document().findBlock(self._mark_positions[index]))

    def restyle(self, stylesheet: str, colours: ViewColours) -> None:
        """Re-apply the document stylesheet (for a theme change), keeping the place."""
        self._colours = colours
        self.highlights.set_colours(colours)
        if self._document is None:
            return
        self._load(stylesheet)
        self._show_place()
        self.highlights.again()

    @Slot()
    def _frame_notes_after_first_paint(self) -> None:
        if self._document is None or self._notes_framed:
            return
        self._frame_notes()
        if self._document.notes:  # frames moved the text after them: find it again
            self._compute_marks()
            self._show_place()

    def _frame_notes(self) -> None:
        assert self._document is not None
        from ketreader.ui.note_frames import frame_notes

        self._notes_framed = True
        if not self._document.notes:
            return
        self._moving = True
        try:
            frame_notes(
                self.document(),
                self._document.notes,
                self._colours.note_bg,
                self._colours.note_rule,
            )
        finally:
            self._moving = False

    # -- where reading is ------------------------------------------------------------------

    def _laid_out_top(self, block: QTextBlock) -> float | None:
        """The top of ``block`` in the document, or None if Qt has not laid it out yet.

        Qt clears a block's lines whenever its layout becomes stale (any edit, width, font
        or frame change) and lays blocks out from the top down, so a block with lines is
        laid out now, and so is everything above it.
        """
        layout = block.layout()
        if not block.isValid() or layout is None or layout.lineCount() == 0:
            return None
        return self.document().documentLayout().blockBoundingRect(block).top()

    def _place_at(self, y: float) -> Place:
        """The place at document height ``y``, from the blocks already laid out."""
        document = self.document()
        low, high = 0, document.blockCount()
        while low < high:  # the first block that starts below y, or is not laid out
            middle = (low + high) // 2
            top = self._laid_out_top(document.findBlockByNumber(middle))
            if top is not None and top <= y:
                low = middle + 1
            else:
                high = middle
        block = document.findBlockByNumber(max(low - 1, 0))
        top = self._laid_out_top(block)
        layout = block.layout()
        if top is None or layout is None:
            return Place(block.position())
        offset = y - top + layout.boundingRect().top()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if offset < line.y() + line.height() or i == layout.lineCount() - 1:
                height = max(line.height(), 1.0)
                return Place(block.position() + line.textStart(), (offset - line.y()) / height)
        return Place(block.position())

    def _place_top(self, place: Place) -> float:
        """Where ``place`` is now; lays the document out down to it, as showing it must."""
        document = self.document()
        block = document.findBlock(max(0, min(place.position, document.characterCount() - 1)))
        rect = document.documentLayout().blockBoundingRect(block)  # lays out down to here
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return rect.top()
        line = layout.lineForTextPosition(place.position - block.position())
        if not line.isValid():
            line = layout.lineAt(0)
        into = max(0.0, place.into_line)
        return rect.top() - layout.boundingRect().top() + line.y() + into * line.height()

    def _show_place(self) -> None:
        """Scroll so that the remembered place is at the top, and tell who is reading what."""
        if self._document is None:
            return
        target = round(self._place_top(self._place))
        bar = self.verticalScrollBar()
        self._moving = True
        try:
            if target > bar.maximum():
                # QTextEdit sizes its scroll range from an estimate while Qt lays out the
                # rest in the background; the end of the document (with its padding) needs
                # the exact size. Asking for it finishes the layout, and the size signal
                # makes the view take the new range (as QTextEdit.scrollToAnchor does).
                layout = self.document().documentLayout()
                layout.documentSizeChanged.emit(layout.documentSize())
            bar.setValue(target)
        finally:
            self._moving = False
        self._spy_section()

    def top_position(self) -> int:
        """The document position at the top of the view."""
        return self._place.position

    def scroll_to_anchor(self, anchor: str | None) -> None:
        if anchor is None:
            self._place = Place(0)
        elif anchor in self._anchors:
            self._place = Place(self._anchors[anchor])
        else:
            self.scrollToAnchor(anchor)  # not one of the pack's ids: Qt's own search
            self._place = self._place_at(self.verticalScrollBar().value())
        self._show_place()
        self._caret_to_place()

    def set_caret_browsing(self, on: bool) -> None:
        """Arrow keys move a text caret, line by line, instead of scrolling.

        A screen reader reads the line the caret moves to: without a caret it has nothing to
        follow in a read-only view. The caret starts at the top of what is shown, and every
        jump (sidebar, link, search) moves it to where the jump landed.
        """
        flags = qt().TextInteractionFlag
        browsing = flags.TextBrowserInteraction
        self.setTextInteractionFlags(browsing | flags.TextSelectableByKeyboard if on else browsing)
        self.caret_browsing = on
        self._caret_to_place()

    def _caret_to_place(self) -> None:
        if not self.caret_browsing or self._document is None:
            return
        cursor = self.textCursor()
        last = max(0, self.document().characterCount() - 1)
        cursor.setPosition(min(self._place.position, last))
        self._moving = True  # placing the caret is not the reader scrolling
        try:
            self.setTextCursor(cursor)
        finally:
            self._moving = False

    def section_at_top(self) -> str | None:
        """The section being read: the last run start at or above the top of the view."""
        if not len(self._spy):
            return None
        return self._spy.section_at(self.verticalScrollBar().value() + TOP_SLACK)

    @Slot()
    def _on_scrolled(self) -> None:
        if self._moving or self._document is None:
            return
        self._place = self._place_at(self.verticalScrollBar().value())
        self._spy_section()

    def _spy_section(self) -> None:
        section = self.section_at_top()
        if section is not None and section != self._current_section:
            self._current_section = section
            self.section_in_view.emit(section)

    def reveal(self, cursor: QTextCursor) -> None:
        """Select ``cursor`` and show it with a few lines of context above, not at an edge."""
        self.setTextCursor(cursor)
        rect = self.cursorRect(cursor)
        context = CONTEXT_LINES * rect.height() * 1.5
        if context <= rect.top() and rect.bottom() <= self.viewport().height() - context / 3:
            return  # already in view, away from the edges
        bar = self.verticalScrollBar()
        bar.setValue(round(bar.value() + rect.top() - context))

    def reading_fraction(self) -> float:
        """How far through the document the place is, 0 to 1."""
        return self._place.position / max(1, self.document().characterCount() - 1)

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
        https://doc.qt.io/qt-6/qtextdocument.html#loadResource). A refused or missing image
        is Qt's own broken-image icon, never None or empty data: given either, Qt reads the
        image's path or file: URL from the disk itself, and a forged compiled pack could show
        any image on it.
        """
        name = QUrl(name)
        if kind != _IMAGE_RESOURCE:
            return QByteArray()  # a linked stylesheet: pack HTML never holds one
        data = None
        if self._load_resource is not None and not name.scheme():
            data = self._load_resource(name.path())  # remote, file: and data: never load
        if data:
            from PySide6.QtGui import QImage

            image = QImage.fromData(QByteArray(data))
            if not image.isNull():
                return image
        return _broken_image()

    # -- measure and zoom ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_paint.emit()
            QTimer.singleShot(0, self._frame_notes_after_first_paint)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # QTextEdit's first show scrolls its text cursor (at the start) into view: a place
        # chosen before the window was shown (--section, the saved place) must win.
        self._moving = True
        try:
            super().showEvent(event)
        finally:
            self._moving = False
        self._show_place()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._moving = True
        try:
            super().resizeEvent(event)
            self._apply_measure()
        finally:
            self._moving = False
        self._show_place()

    def _apply_measure(self) -> None:
        """Centre a column of about MEASURE_CHARS characters, so lines stay readable.

        The bottom margin is one viewport high, so that every heading, the last one too,
        can be scrolled to the top like every other one.
        """
        width = self.viewport().width()
        side = max(MIN_SIDE_MARGIN, (width - measure_width(self.font(), self)) / 2)
        bottom = max(float(MIN_SIDE_MARGIN), float(self.viewport().height()))
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

    @property
    def zoom_percent(self) -> int:
        return round(100 * (BODY_POINT_SIZE + self._zoom) / BODY_POINT_SIZE)

    def set_zoom(self, steps: int) -> int:
        """Zoom to ``steps`` (clamped), keeping the place; the zoom now shown."""
        # One step is one point on the 12-point body: -6 to 12 is 50% to 200%.
        steps = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        if steps != self._zoom:
            self._zoom = steps
            self._moving = True
            try:
                # Qt relays the document out in the new size; headings scale with it, and
                # the line height, a proportion of the font's height, stays the same.
                self.setFont(body_font(self.font(), BODY_POINT_SIZE + steps))
                self._apply_measure()
            finally:
                self._moving = False
            self._show_place()
        return self._zoom

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == qt().Key.Key_Escape and (
            self.highlights.count or self.textCursor().hasSelection()
        ):
            self.escape_pressed.emit()  # the owner clears highlights and the selection
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
