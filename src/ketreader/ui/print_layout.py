"""UI room: printing and PDF: the reader's type on A4 pages with a title, page numbers and notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def paint_pages(source: QTextDocument, device: QPagedPaintDevice, title: str) -> int:
    """Lay ``source`` out on ``device``'s pages with the title on top and "Page n of m" below.

    QTextDocument.print() only numbers pages; a header needs the pages painted by hand.
    The text keeps the reader's measure, centred on the page. Returns the pages painted.
    """
    document = source
    resolution = device.logicalDpiX()
    page = device.pageLayout().paintRectPixels(resolution)
    small = QFont(document.defaultFont())
    small.setPointSizeF(9.0)
    line = QFontMetricsF(small, device).height()
    band = line * 2.5
    body_height = page.height() - 2 * band
    column = measure_width(document.defaultFont(), device)
    side = max(0.0, (page.width() - column) / 2)
    # Frame lengths are in pixels of a 96 dpi screen: Qt scales them to the device.
    frame_side = max(MIN_SIDE_MARGIN, side * 96 / resolution)
    frame = document.rootFrame()
    fmt = frame.frameFormat()
    fmt.setLeftMargin(frame_side)
    fmt.setRightMargin(frame_side)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    frame.setFrameFormat(fmt)
    document.setPageSize(QSizeF(page.width(), body_height))
    pages = document.pageCount()
    # Text without a colour of its own takes the palette's: the paper's, not the screen's
    # (drawContents would take the application's, white in the dark themes).
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = paper_palette()
    painter = QPainter(device)
    try:
        painter.setFont(small)
        for number in range(pages):
            if number:
                device.newPage()
            header = QRectF(side, 0, page.width() - 2 * side, line)
            painter.drawText(header, Qt.AlignmentFlag.AlignLeft, title)
            footer = QRectF(side, page.height() - line, page.width() - 2 * side, line)
            painter.drawText(footer, Qt.AlignmentFlag.AlignRight, f"Page {number + 1} of {pages}")
            painter.save()
            painter.translate(0, band - number * body_height)
            visible = QRectF(0, number * body_height, page.width(), body_height)
            painter.setClipRect(visible)
            # A line that a page break pushed on starts exactly where the next page does, and
            # the layout draws every line that starts at or before the clip's bottom edge: a
            # clip one device pixel shorter leaves it to its own page, instead of writing it
            # here too, clipped (a sliver of an image, a line read twice from the PDF).
            context.clip = visible.adjusted(0, 0, 0, -1)
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()
    return pages


def write_pdf(printable: Printable, resources: ResourceLoader, target: Path) -> int:
    """An A4 PDF with the title on every page, page numbers and an outline; the page count."""
    from PySide6.QtGui import QPdfWriter

    from ketreader.render.pdf_outline import add_outline

    writer = QPdfWriter(str(target))
    writer.setTitle(printable.title)
    writer.setCreator("ketreader")
    set_page(writer)
    document = printable_document(printable, resources, writer)
    pages = paint_pages(document, writer, printable.title)
    # The file is complete when painting ends; the writer (and the document laid out on
    # it, first) go before the file is read back, so that nothing holds it open.
    del document, writer
    target.write_bytes(add_outline(target.read_bytes(), printable.outline))
    return pages
