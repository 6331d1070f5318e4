"""UI room tests: page breaks, and long guides printed in parts without holding the window."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ketreader.library_loader import load_library
from ketreader.render.export import printable
from ketreader.ui.print_layout import printout_parts, split_html, write_pdf
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window

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


# -- a long guide: printed in parts, a few pages per turn of the event loop -----------------

CHAPTERS = 80
LONG_PARAGRAPHS = 60
# The longest the event loop may wait while a long guide prints: a click or a redraw
# answered within it feels immediate.
MAX_GAP_SECONDS = 0.1


def long_pack(root: Path) -> Path:
    """A guide of CHAPTERS documents, well past what the print preview is given."""
    documents = {
        f"ch{c:02d}.md": f"# Chapter {c}\n\n"
        + "".join(
            f"Paragraph {p} of chapter {c}, with words enough to fill most of a line.\n\n"
            for p in range(LONG_PARAGRAPHS)
        )
        for c in range(CHAPTERS)
    }
    return write_pack(root, documents, title="Long guide")


def gaps(ticks: list[float], start: float, end: float) -> list[float]:
    """The waits between turns of the event loop from ``start`` to ``end``."""
    times = [start, *(t for t in ticks if start <= t <= end), end]
    return [b - a for a, b in itertools.pairwise(times)]


class Ticker:
    """When each turn of the event loop ran a 10 ms timer."""

    def __init__(self, parent: QObject) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer(parent)
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()


def test_printout_parts_are_whole_elements_cut_between_documents() -> None:
    from ketreader.render.export import Printable

    documents = [f'<h1 id="d{d}">D{d}</h1>' + "<p>x</p>" * 50 for d in range(6)]
    starts = tuple(itertools.accumulate((len(d) for d in documents[:-1]), initial=0))
    html = "".join(documents)
    parts = printout_parts(Printable(html, "T", (), (), starts), budget=len(documents[0]) * 2)
    assert "".join(parts) == html
    assert parts == ["".join(documents[i : i + 2]) for i in (0, 2, 4)]
    # Short enough: one part, as it always was.
    assert printout_parts(Printable(html, "T", (), (), starts)) == [html]
    # One long document is cut between its elements, never inside one.
    pieces = split_html("<ul><li>a</li><li>b</li></ul><p>c<br>d</p><p>e</p>", 5)
    assert pieces == ["<ul><li>a</li><li>b</li></ul>", "<p>c<br>d</p>", "<p>e</p>"]


def test_printing_a_long_guide_offers_a_section_and_never_holds_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QMessageBox

    win = make_window(qtbot, pack=long_pack(tmp_path / "pack"))
    asked: list[str] = []

    def choose_whole(box: QMessageBox) -> int:
        asked.append(box.text())
        asked.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text().startswith("Print the whole")).click()
        return 0

    # The preview paints every page at once, on the window's thread: never for a long guide.
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda _d: pytest.fail("preview"))
    monkeypatch.setattr(QMessageBox, "exec", choose_whole)
    target = tmp_path / "printed.pdf"
    started: list[float] = []

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        started.append(time.monotonic())
        return QPrintDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    ticker = Ticker(win)
    win.build_actions()["print"].trigger()
    ended = time.monotonic()
    assert asked[0].startswith("The whole guide is long: about")
    assert any(a.startswith("Print “") for a in asked)  # the section being read
    assert started, "the print dialog was not shown"
    waits = gaps(ticker.ticks, started[0], ended)
    assert max(waits) < MAX_GAP_SECONDS, f"the window waited {max(waits):.3f} s"
    pages = PdfReader(target).pages
    assert win.statusBar().currentMessage() == f"Printed {len(pages):,} pages"
    last = "".join(pages[-1].extract_text().split())
    assert f"Paragraph{LONG_PARAGRAPHS - 1}ofchapter{CHAPTERS - 1}," in last
    assert f"Page{len(pages)}of{len(pages)}" in last


def test_printing_the_section_being_read_of_a_long_guide_previews_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QMessageBox

    win = make_window(qtbot, pack=long_pack(tmp_path / "pack"))
    assert win.open_section("chapter-3")
    previewed: list[str] = []

    def choose_section(box: QMessageBox) -> int:
        next(b for b in box.buttons() if b.text() == "Print “Chapter 3”").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_section)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda d: previewed.append(d.windowTitle()))
    win.build_actions()["print"].trigger()
    assert previewed == ["Print — Long guide — Chapter 3"]


def test_a_long_guide_prints_on_real_printers_only_where_files_are_not_allowed(
    qtbot: QtBot, tmp_path: Path, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinterInfo
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    policy = "[policy]\nkiosk = true\nallow_print = true\n"
    pack = long_pack(tmp_path / "pack")
    win = make_window(qtbot, policy=policy, home=isolated_user_dirs, pack=pack)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: pytest.fail("a file"))
    monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", lambda: ["Office"])

    def choose_whole(box: QMessageBox) -> int:
        next(b for b in box.buttons() if b.text().startswith("Print the whole")).click()
        return 0

    seen: list[bool] = []

    def reject(dialog: QPrintDialog) -> int:
        seen.append(dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile))
        return QPrintDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QMessageBox, "exec", choose_whole)
    monkeypatch.setattr(QPrintDialog, "exec", reject)
    win.build_actions()["print"].trigger()
    assert seen == [False]


def test_a_long_pdf_keeps_the_window_turning_and_can_be_cancelled(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    win = make_window(qtbot, pack=long_pack(tmp_path / "pack"))
    target = tmp_path / "out" / "long.pdf"
    target.parent.mkdir()
    ticker = Ticker(win)
    started = time.monotonic()
    assert win.exports.export_pdf(whole=True, target=target) == target
    waits = gaps(ticker.ticks, started, time.monotonic())
    assert max(waits) < MAX_GAP_SECONDS, f"the window waited {max(waits):.3f} s"
    reader = PdfReader(target)
    assert len(reader.outline) == CHAPTERS
    for entry in reader.outline:  # bookmarks lead to their chapter, in every part
        assert isinstance(entry, Destination) and entry.title is not None
        number = reader.get_destination_page_number(entry)
        assert number is not None
        words = "".join(reader.pages[number].extract_text().split())
        assert "".join(entry.title.split()) in words
    assert "Paragraph59ofchapter79," in "".join(reader.pages[-1].extract_text().split())
    # Cancelled part way: the file written before is left as it was, and nothing beside it.
    before = target.read_bytes()
    asked: list[int] = []

    def cancel_on_the_third_look(_dialog: QProgressDialog) -> bool:
        asked.append(1)
        return len(asked) >= 3

    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancel_on_the_third_look)
    assert win.exports.export_pdf(whole=True, target=target) is None
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["long.pdf"]
    assert "cancelled" in win.statusBar().currentMessage()


def test_a_long_print_cancelled_part_way_aborts_the_job(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    win = make_window(qtbot, pack=long_pack(tmp_path / "pack"))

    def choose_whole(box: QMessageBox) -> int:
        next(b for b in box.buttons() if b.text().startswith("Print the whole")).click()
        return 0

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(tmp_path / "printed.pdf"))
        return QPrintDialog.DialogCode.Accepted.value

    aborted: list[bool] = []

    def cancel_once_painting(dialog: QProgressDialog) -> bool:
        return "\nPage " in dialog.labelText() and dialog.value() > 0  # pages on paper

    def abort(_printer: QPrinter) -> bool:
        aborted.append(True)
        return True

    monkeypatch.setattr(QMessageBox, "exec", choose_whole)
    monkeypatch.setattr(QPrintDialog, "exec", accept)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancel_once_painting)
    monkeypatch.setattr(QPrinter, "abort", abort)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda _d: pytest.fail("preview"))
    win.build_actions()["print"].trigger()
    assert aborted == [True]
    assert win.statusBar().currentMessage() == "Printing cancelled"
