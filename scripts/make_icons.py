"""Tools room: render resources/icons/ketreader.svg to the PNG, ICO and ICNS files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "ketreader.svg"))
    for size in PNG_SIZES:
        render(renderer, size).save(str(ICONS / f"ketreader-{size}.png"))
    render(renderer, 256).save(str(ICONS / "ketreader.ico"))  # Windows picks the size it needs
    render(renderer, 512).save(str(ICONS / "ketreader.icns"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
