"""UI room: printing and PDF: the reader's type on A4 pages with a title, page numbers and notes."""

from __future__ import annotations

import itertools
import mmap
import re
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPainter,
    QPalette,
    QTextDocument,
)

from ketreader.render.export import Printable
from ketreader.render.stylesheet import document_css, palette
from ketreader.ui.note_frames import frame_notes
from ketreader.ui.typography import MIN_SIDE_MARGIN, body_font, measure_width, qt_rules

ResourceLoader = Callable[[str], bytes | None]

# Paper margins in millimetres (left, top, right, bottom): the title and the page number sit
# inside them, never nearer the edge than 15 mm, which every office printer can reach.
PAGE_MARGINS_MM = (20.0, 18.0, 20.0, 18.0)
_IMAGE_RESOURCE = QTextDocument.ResourceType.ImageResource.value


class PackDocument(QTextDocument):
    """A text document that loads images from the pack and nowhere else.

    A plain QTextDocument resolves a relative image name against the working directory;
    printing must see exactly the images the view shows.
    """

    def __init__(self, resources: ResourceLoader) -> None:
        super().__init__()
        self._resources = resources

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # noqa: N802
        url = QUrl(name)
        if kind != _IMAGE_RESOURCE or url.scheme():
            return None
        data = self._resources(url.path())
        return QByteArray(data) if data else None


def reader_font() -> QFont:
    """The reader's type at 100%: the interface's family at the body size."""
    return body_font(QGuiApplication.font())


def printable_document(
    printable: Printable, resources: ResourceLoader, device: QPagedPaintDevice
) -> QTextDocument:
    """``printable`` laid out for ``device`` in the reader's type, notes framed."""
    document = PackDocument(resources)
    document.documentLayout().setPaintDevice(device)
    font = reader_font()
    document.setDefaultFont(font)
    # Paper is white in every theme.
    document.setDefaultStyleSheet(document_css("light") + qt_rules(font, device))
    document.setHtml(printable.html)
    colours = palette("light")
    frame_notes(document, printable.notes, colours["note_bg"], colours["note_rule"])
    return document


def set_page(device: QPagedPaintDevice) -> None:
    """A4 portrait with PAGE_MARGINS_MM (or the printer's minimum, if that is larger)."""
    from PySide6.QtGui import QPageSize

    left, top, right, bottom = PAGE_MARGINS_MM
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )
    device.setPageLayout(layout)


def paper_palette() -> QPalette:
    """Dark text on white paper, whatever the screen's theme."""
    colours = palette("light")
    paper = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Text, colours["fg"]),
        (QPalette.ColorRole.WindowText, colours["fg"]),
        (QPalette.ColorRole.Base, colours["bg"]),
        (QPalette.ColorRole.Window, colours["bg"]),
        (QPalette.ColorRole.Link, colours["link"]),
    ):
        paper.setColor(role, QColor(colour))
    return paper


# Qt lays text out in 26.6 fixed point and stops at 8,388,607 device pixels (QFIXED_MAX in
# qfixed_p.h): 733 A4 pages at the PDF writer's 1200 dpi. Whatever lies beyond is silently
# dropped, so a long printout is laid out in parts, each far below it.
LAYOUT_LIMIT = 8_388_607
# The most HTML laid out in one part (about 70 pages of text): parsing it takes a few tens
# of milliseconds, so no step of printing holds the event loop for long.
PART_CHARS = 150_000
# How long one step of printing may run before it hands the event loop a turn.
STEP_SECONDS = 0.03

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class Progress(NamedTuple):
    """How far a printout has come: what it is doing, and ``done`` of ``total``."""

    label: str
    done: int
    total: int


def split_html(html: str, budget: int) -> list[str]:
    """``html`` cut between its top-level elements into pieces of about ``budget`` characters.

    A piece is longer only when one element is; every piece is whole elements, so each one
    parses and lays out on its own as it did within the whole.
    """
    pieces: list[str] = []
    depth = 0
    start = 0
    for tag in _TAG.finditer(html):
        closing, name, empty = tag.groups()
        if empty or name.lower() in _VOID:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth == 0 and tag.end() - start >= budget:
            pieces.append(html[start : tag.end()])
            start = tag.end()
    if start < len(html) or not pieces:
        pieces.append(html[start:])
    return pieces


def printout_parts(printable: Printable, budget: int = PART_CHARS) -> list[str]:
    """The HTML laid out as one document each: the whole, if it is short enough.

    Otherwise consecutive pack documents are gathered up to ``budget`` characters, and a
    document longer than that is cut between its elements. Each part begins a new page.
    """
    html = printable.html
    if len(html) <= budget:
        return [html]
    bounds = sorted({0, *printable.starts, len(html)})
    parts: list[str] = []
    gathered = ""
    for begin, end in itertools.pairwise(bounds):
        document = html[begin:end]
        for piece in split_html(document, budget) if len(document) > budget else [document]:
            if gathered and len(gathered) + len(piece) > budget:
                parts.append(gathered)
                gathered = ""
            gathered += piece
    if gathered:
        parts.append(gathered)
    return parts


class _Page(NamedTuple):
    """Where things go on every page, in device pixels."""

    width: float
    height: float
    band: float  # the title's and the page number's strip, above and below the text
    body: float  # the height of the text on a page
    side: float  # from the page's edge to the text's column
    line: float
    small: QFont


def _page(device: QPagedPaintDevice, font: QFont) -> _Page:
    resolution = device.logicalDpiX()
    page = device.pageLayout().paintRectPixels(resolution)
    small = QFont(font)
    small.setPointSizeF(9.0)
    line = QFontMetricsF(small, device).height()
    band = line * 2.5
    column = measure_width(font, device)
    side = max(0.0, (page.width() - column) / 2)
    return _Page(page.width(), page.height(), band, page.height() - 2 * band, side, line, small)


def _fit(document: QTextDocument, device: QPagedPaintDevice, page: _Page) -> None:
    """Give ``document`` the reader's measure, centred, and the pages' text height."""
    # Frame lengths are in pixels of a 96 dpi screen: Qt scales them to the device.
    frame_side = max(MIN_SIDE_MARGIN, page.side * 96 / device.logicalDpiX())
    frame = document.rootFrame()
    fmt = frame.frameFormat()
    fmt.setLeftMargin(frame_side)
    fmt.setRightMargin(frame_side)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    frame.setFrameFormat(fmt)
    document.setPageSize(QSizeF(page.width, page.body))


def _paint_page(
    painter: QPainter,
    document: QTextDocument,
    page: _Page,
    number: int,
    printed: tuple[int, int, str],
) -> None:
    """Page ``number`` of ``document``, headed with the title and numbered in the printout."""
    at, total, title = printed
    header = QRectF(page.side, 0, page.width - 2 * page.side, page.line)
    painter.drawText(header, Qt.AlignmentFlag.AlignLeft, title)
    footer = QRectF(page.side, page.height - page.line, page.width - 2 * page.side, page.line)
    painter.drawText(footer, Qt.AlignmentFlag.AlignRight, f"Page {at} of {total}")
    # Text without a colour of its own takes the palette's: the paper's, not the screen's
    # (drawContents would take the application's, white in the dark themes).
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = paper_palette()
    painter.save()
    painter.translate(0, page.band - number * page.body)
    visible = QRectF(0, number * page.body, page.width, page.body)
    painter.setClipRect(visible)
    # A line that a page break pushed on starts exactly where the next page does, and
    # the layout draws every line that starts at or before the clip's bottom edge: a
    # clip one device pixel shorter leaves it to its own page, instead of writing it
    # here too, clipped (a sliver of an image, a line read twice from the PDF).
    context.clip = visible.adjusted(0, 0, 0, -1)
    document.documentLayout().draw(painter, context)
    painter.restore()


def paint_pages(source: QTextDocument, device: QPagedPaintDevice, title: str) -> int:
    """Lay ``source`` out on ``device``'s pages with the title on top and "Page n of m" below.

    QTextDocument.print() only numbers pages; a header needs the pages painted by hand.
    The text keeps the reader's measure, centred on the page. Returns the pages painted.
    """
    page = _page(device, source.defaultFont())
    _fit(source, device, page)
    pages = source.pageCount()
    painter = QPainter(device)
    try:
        painter.setFont(page.small)
        for number in range(pages):
            if number:
                device.newPage()
            _paint_page(painter, source, page, number, (number + 1, pages, title))
    finally:
        painter.end()
    return pages


class PartTooLongError(Exception):
    """A part laid out longer than Qt can: it is cut in two and laid out again."""


def _laid_out(
    html: str, printable: Printable, resources: ResourceLoader, device: QPagedPaintDevice
) -> tuple[QTextDocument, _Page]:
    document = printable_document(printable._replace(html=html), resources, device)
    page = _page(device, document.defaultFont())
    _fit(document, device, page)
    return document, page


def _count_pages(
    html: str,
    printable: Printable,
    resources: ResourceLoader,
    device: QPagedPaintDevice,
    progress: Progress,
) -> Generator[Progress, None, int]:
    """Lay ``html`` out a little at a time, yielding between steps; its number of pages.

    Raises PartTooLongError if it reaches the length past which Qt drops text.
    """
    document, page = _laid_out(html, printable, resources, device)
    yield progress  # parsing the HTML was one step
    layout = document.documentLayout()
    # A page short of the limit: the layout stops short of it, not at it.
    limit = LAYOUT_LIMIT - 2 * page.body
    started = time.monotonic()
    block = document.begin()
    while block.isValid():
        # Qt lays the document out on demand, up to the block asked about: a bit at a time.
        if layout.blockBoundingRect(block).bottom() > limit:
            raise PartTooLongError
        if time.monotonic() - started > STEP_SECONDS:
            yield progress
            started = time.monotonic()
        block = block.next()
    pages = document.pageCount()
    if pages * page.body > limit:
        raise PartTooLongError
    return pages


def printout_steps(
    printable: Printable,
    resources: ResourceLoader,
    device: QPagedPaintDevice,
    pages_out: list[int] | None = None,
) -> Iterator[Progress]:
    """Paint ``printable`` on ``device`` in steps short enough to keep a window responsive.

    First every part is laid out, to count the pages ("Page n of m"), and let go; then each
    is laid out again and painted a page at a time, so only one part is held at once.
    Closing the iterator early stops it, the painter ended. ``pages_out`` gets the total.
    """
    queue = printout_parts(printable)
    counted: list[tuple[str, int]] = []
    while queue:
        html = queue.pop(0)
        progress = Progress("Counting pages…", len(counted), len(counted) + len(queue) + 1)
        try:
            pages = yield from _count_pages(html, printable, resources, device, progress)
        except PartTooLongError:
            halves = split_html(html, len(html) // 2)
            if len(halves) < 2:  # one element longer than Qt lays out: it keeps what it can
                counted.append((html, _laid_out(html, printable, resources, device)[0].pageCount()))
                continue
            queue[:0] = [halves[0], "".join(halves[1:])]
            continue
        counted.append((html, pages))
        yield progress
    total = sum(pages for _, pages in counted)
    if pages_out is not None:
        pages_out.append(total)
    painter = QPainter(device)
    try:
        at = 0
        started = time.monotonic()
        for html, pages in counted:
            document, page = _laid_out(html, printable, resources, device)
            yield Progress(f"Page {at + 1} of {total}", at, total)
            started = time.monotonic()
            painter.setFont(page.small)
            for number in range(pages):
                if at:
                    device.newPage()
                at += 1
                _paint_page(painter, document, page, number, (at, total, printable.title))
                if time.monotonic() - started > STEP_SECONDS:
                    yield Progress(f"Page {at} of {total}", at, total)
                    started = time.monotonic()
    except GeneratorExit:  # stopped part way: a printer's job is aborted, not sent half done
        abort = getattr(device, "abort", None)  # QPrinter has it; a PDF writer does not
        if abort is not None:
            abort()
        raise
    finally:
        painter.end()


def pdf_steps(
    printable: Printable, resources: ResourceLoader, target: Path, pages_out: list[int]
) -> Iterator[Progress]:
    """Write the PDF of ``printable`` to ``target`` in steps (see ``printout_steps``).

    An A4 PDF with the title on every page, page numbers and an outline. ``pages_out`` gets
    the number of pages. Closed early, it leaves an unfinished file, for the caller to drop.
    """
    from PySide6.QtGui import QPdfWriter

    from ketreader.render.pdf_outline import outline_update

    writer = QPdfWriter(str(target))
    writer.setTitle(printable.title)
    writer.setCreator("ketreader")
    set_page(writer)
    yield from printout_steps(printable, resources, writer, pages_out)
    # The file is complete when painting ends; the writer goes before the file is read
    # back, so that nothing holds it open.
    del writer
    yield Progress("Adding the bookmarks…", 1, 1)
    # Mapped, not read: of a long PDF (100 MB) only the end and the catalog are needed.
    with target.open("rb") as pdf, mmap.mmap(pdf.fileno(), 0, access=mmap.ACCESS_READ) as view:
        update = outline_update(view, printable.outline)
    with target.open("ab") as end:  # an incremental update: appended, the rest untouched
        end.write(update)


def write_pdf(printable: Printable, resources: ResourceLoader, target: Path) -> int:
    """An A4 PDF with the title on every page, page numbers and an outline; the page count."""
    pages: list[int] = []
    for _ in pdf_steps(printable, resources, target, pages):
        pass
    return pages[0]
