"""UI room: the toolbar's icons, drawn in the theme's text colour so every theme shows them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from ketreader.ui.qt_namespace import qt

GRID = 24.0  # icons are drawn on a 24-unit grid, then scaled to each size
SIZES = (16, 20, 24, 32, 48)


def _line(painter: QPainter, *points: tuple[float, float]) -> None:
    painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in points]))


def _back(p: QPainter) -> None:
    _line(p, (19, 12), (5, 12))
    _line(p, (11, 6), (5, 12), (11, 18))


def _forward(p: QPainter) -> None:
    _line(p, (5, 12), (19, 12))
    _line(p, (13, 6), (19, 12), (13, 18))


def _home(p: QPainter) -> None:
    _line(p, (3, 12), (12, 4), (21, 12))
    _line(p, (6, 10), (6, 20), (18, 20), (18, 10))
    _line(p, (10, 20), (10, 14), (14, 14), (14, 20))


def _magnifier(p: QPainter) -> None:
    p.drawEllipse(QPointF(10, 10), 6, 6)
    _line(p, (14.5, 14.5), (20, 20))
    _line(p, (7, 10), (13, 10))


def _zoom_in(p: QPainter) -> None:
    _magnifier(p)
    _line(p, (10, 7), (10, 13))


def _print(p: QPainter) -> None:
    _line(p, (7, 8), (7, 3), (17, 3), (17, 8))
    p.drawRoundedRect(QRectF(3, 8, 18, 9), 2, 2)
    p.drawRect(QRectF(7, 14, 10, 7))


DRAWINGS: dict[str, Callable[[QPainter], None]] = {
    "back": _back,
    "forward": _forward,
    "home": _home,
    "zoom-out": _magnifier,
    "zoom-in": _zoom_in,
    "print": _print,
}


def toolbar_icon(name: str, colour: QColor) -> QIcon:
    """The icon ``name`` (a key of DRAWINGS) in ``colour``, crisp at every toolbar size."""
    draw = DRAWINGS[name]
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour)
        pen.setWidthF(2.0 if size < 32 else 1.75)
        pen.setCapStyle(qt().PenCapStyle.RoundCap)
        pen.setJoinStyle(qt().PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.scale(size / GRID, size / GRID)
        draw(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
