"""UI room tests: what a page break pushes to the next page is drawn there only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from ketreader.library_loader import load_library
from ketreader.render.export import printable
from ketreader.ui.print_layout import write_pdf
from tests.conftest import write_pack

IMAGES = 12


def image_draws(page: Any) -> int:
    """How many times the page's content draws an image (the PDF ``Do`` operator)."""
    return len(re.findall(rb"/\w+\s+Do\b", page.get_contents().get_data()))


def test_an_image_pushed_to_the_next_page_is_not_also_drawn_at_the_foot_of_the_last(
    qapp: Any, tmp_path: Path
) -> None:
    root = tmp_path / "pack"
    (root / "img").mkdir(parents=True)
    image = QImage(200, 500, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff00ff"))
    assert image.save(str(root / "img" / "tall.png"))
    figures = "".join(f"Figure {n}:\n\n![figure {n}](img/tall.png)\n\n" for n in range(IMAGES))
    library = load_library(write_pack(root, {"a.md": f"# Figures\n\n{figures}"})).library
    target = tmp_path / "figures.pdf"
    pages = write_pdf(printable(library.rendered), library.resource, target)
    assert pages > 2  # page breaks fall between the figures and push some of them on
    # Each figure once: one pushed on was also drawn, clipped to a sliver, on the page before.
    assert [image_draws(page) for page in PdfReader(target).pages].count(0) == 0
    assert sum(image_draws(page) for page in PdfReader(target).pages) == IMAGES


def test_a_pdf_longer_than_qt_lays_out_in_one_document_keeps_its_end(
    qapp: Any, tmp_path: Path
) -> None:
    # Qt's text layout stops at 8,388,607 device pixels (QFIXED_MAX): at the PDF writer's
    # 1200 dpi that is 733 A4 pages, and everything after was left out without a word. A
    # 1,000-section pack printed or exported to PDF ended at its 56th document of 200.
    from ketreader.render.export import Printable

    paragraphs = "".join(f"<p>Paragraph {n}.</p>" for n in range(30_000))
    html = f'<h1 id="start">Start</h1>{paragraphs}<p id="end">The last line.</p>'
    target = tmp_path / "long.pdf"
    pages = write_pdf(Printable(html, "Long", (), ()), lambda name: None, target)
    reader = PdfReader(target)
    assert pages == len(reader.pages) > 733
    # The text extractor splits words where Qt positions a glyph on its own ("T he").
    last = "".join(reader.pages[-1].extract_text().split())
    assert "Thelastline." in last
    assert f"Page{pages}of{pages}" in last
