"""UI room: the reader's type: body size, line height and measure, as Qt lays them out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontMetricsF

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintDevice

BODY_POINT_SIZE = 12.0  # what document.css asks for; Qt ignores font-size on <body>
LINE_HEIGHT = 1.5  # line pitch over the font size, as CSS means line-height: 1.5
MEASURE_CHARS = 73  # a column this many average characters wide sets 60-75 per line
MIN_SIDE_MARGIN = 16.0  # pixels between the text and the view's edges when it is narrow

# What an average character is: running English prose, spaces and punctuation included.
_SAMPLE = (
    "Clinicians rely on ketamine for several established indications, and research "
    "continues to explore how it works in the brain, what it risks and who may benefit."
)


def body_font(base: QFont, point_size: float = BODY_POINT_SIZE) -> QFont:
    """``base``'s family at the reading size."""
    font = QFont(base)
    font.setPointSizeF(point_size)
    return font


def average_advance(font: QFont, device: QPaintDevice) -> float:
    """The width of an average character of prose in ``font``, in ``device`` pixels."""
    return QFontMetricsF(font, device).horizontalAdvance(_SAMPLE) / len(_SAMPLE)


def measure_width(font: QFont, device: QPaintDevice) -> float:
    """The width of the text column, in ``device`` pixels."""
    return MEASURE_CHARS * average_advance(font, device)


def line_height_percent(font: QFont, device: QPaintDevice) -> int:
    """The CSS ``line-height`` percentage that gives Qt a pitch of LINE_HEIGHT × font size.

    Qt's ``line-height: N%`` is a proportion of the font's natural line height (ascent plus
    descent), not of its size as in a browser: 150% would space lines about 1.8 apart.
    """
    size_px = font.pointSizeF() * device.logicalDpiY() / 72.0
    return round(100 * LINE_HEIGHT * size_px / QFontMetricsF(font, device).height())


def qt_rules(font: QFont, device: QPaintDevice) -> str:
    """Rules appended to the document stylesheet for Qt: the line height, as Qt reads it."""
    percent = line_height_percent(font, device)
    return f"\np, li, dd, dt, blockquote, td, th {{ line-height: {percent}%; }}\n"
