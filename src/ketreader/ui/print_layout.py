"""UI room: printing and PDF: pages with the title on top and page numbers below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QTextDocument

from ketreader.render.stylesheet import document_css


def paint_pages(source: QTextDocument, device: QPagedPaintDevice, title: str) -> int:
    """Lay ``source`` out on ``device``'s pages with the title on top and "Page n of m" below.

    QTextDocument.print() only numbers pages; a header needs the pages painted by hand.
    Returns the number of pages painted.
    """
    document = source.clone()
    document.documentLayout().setPaintDevice(device)
    resolution = device.logicalDpiX()
    page = device.pageLayout().paintRectPixels(resolution)
    small = QFont(document.defaultFont())
    small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
    line = QFontMetricsF(small, device).height()
    band = line * 2
    body_height = page.height() - 2 * band
    document.setPageSize(QSizeF(page.width(), body_height))
    pages = document.pageCount()
    painter = QPainter(device)
    try:
        painter.setFont(small)
        for number in range(pages):
            if number:
                device.newPage()
            painter.drawText(QRectF(0, 0, page.width(), line), Qt.AlignmentFlag.AlignLeft, title)
            footer = QRectF(0, page.height() - line, page.width(), line)
            painter.drawText(footer, Qt.AlignmentFlag.AlignRight, f"Page {number + 1} of {pages}")
            painter.save()
            painter.translate(0, band - number * body_height)
            visible = QRectF(0, number * body_height, page.width(), body_height)
            document.drawContents(painter, visible)
            painter.restore()
    finally:
        painter.end()
    return pages


def printable_document(body_html: str) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultStyleSheet(document_css("light"))  # paper is white in every theme
    document.setHtml(body_html)
    return document


def write_pdf(body_html: str, title: str, target: Path) -> int:
    """An A4 PDF with the title on every page and page numbers; returns the page count."""
    from PySide6.QtGui import QPageSize, QPdfWriter

    writer = QPdfWriter(str(target))
    writer.setTitle(title)
    writer.setCreator("ketreader")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return paint_pages(printable_document(body_html), writer, title)
