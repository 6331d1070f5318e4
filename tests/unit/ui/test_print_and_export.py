"""UI room tests: PDF and print (type, margins, outline, links, images, the safety note), and
the standalone HTML export."""

from __future__ import annotations

import base64
import itertools
import os
import re
import statistics
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ketreader.library_loader import load_library
from ketreader.render.export import export_html, printable
from ketreader.ui.main_window import MainWindow
from ketreader.ui.print_layout import write_pdf
from tests.conftest import GUIDE, write_pack
from tests.unit.ui.conftest import make_window

MM = 72 / 25.4  # PDF points per millimetre
A4_HEIGHT = 842.0


class Run(NamedTuple):
    """A run of text on a PDF page: where it starts (points from the top left) and its size."""

    text: str
    x: float
    y: float
    size: float


def runs(page: Any) -> list[Run]:
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            x = cm[4] + tm[4] * cm[0]
            y = cm[5] + tm[5] * cm[3]
            found.append(Run(text.replace("\t", " "), x, A4_HEIGHT - y, size * cm[0] * tm[0]))

    page.extract_text(visitor_text=visit)
    return found


def lines(page: Any) -> list[tuple[float, str, float]]:
    """(y, text, size) of each line of the page's body text, top to bottom."""
    by_y: dict[float, list[Run]] = {}
    for run in runs(page):
        by_y.setdefault(round(run.y, 1), []).append(run)
    return [
        (y, "".join(r.text for r in sorted(group, key=lambda r: r.x)), group[-1].size)
        for y, group in sorted(by_y.items())
    ]


@pytest.fixture(scope="module")
def guide_pdf(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> PdfReader:
    library = load_library(GUIDE).library
    target = tmp_path_factory.mktemp("pdf") / "guide.pdf"
    assert write_pdf(printable(library.rendered), library.resource, target) >= 3
    return PdfReader(target)


def test_pdf_body_is_twelve_points_with_a_pitch_of_one_and_a_half(guide_pdf: PdfReader) -> None:
    body = [line for page in guide_pdf.pages for line in lines(page) if len(line[1]) > 45]
    sizes = [size for _, _, size in body]
    assert statistics.mode(round(s, 1) for s in sizes) == 12.0
    pitches = [b[0] - a[0] for a, b in itertools.pairwise(body) if 0 < b[0] - a[0] < 24]
    assert 1.4 <= statistics.median(pitches) / 12 <= 1.6


def test_pdf_lines_keep_the_readers_measure(guide_pdf: PdfReader) -> None:
    body = [text for page in guide_pdf.pages for _, text, _ in lines(page) if len(text) > 45]
    assert max(len(t) for t in body) <= 75
    assert 60 <= statistics.mean(len(t) for t in body) <= 75


def test_pdf_margins_are_at_least_15_mm(guide_pdf: PdfReader) -> None:
    for page in guide_pdf.pages:
        found = runs(page)
        assert min(r.x for r in found) >= 15 * MM
        assert min(r.y - r.size for r in found) >= 15 * MM  # the header's top
        assert max(r.y for r in found) <= A4_HEIGHT - 15 * MM  # the footer's baseline
        texts = [r.text for r in found]
        assert texts[0] == "What is ketamine?" and re.fullmatch(r"Page \d of \d", texts[1])


def outline_titles(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    """(depth, title, page) of every outline item, in order."""
    found: list[tuple[int, str, int | None]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


def plain(text: str) -> str:
    """PDF text without its ligatures (ﬁ) and spacing, for comparing words."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def page_of(reader: PdfReader, heading: str) -> int:
    return next(
        i for i, page in enumerate(reader.pages) if plain(heading) in plain(page.extract_text())
    )


def test_pdf_outline_follows_the_sections(guide_pdf: PdfReader) -> None:
    library = load_library(GUIDE).library
    outline = outline_titles(guide_pdf)
    assert [title for _, title, _ in outline] == [s.title for s in library.sections]
    assert [depth for depth, _, _ in outline] == [s.level for s in library.sections]
    for _, title, page in outline:
        assert page == page_of(guide_pdf, title), title
    root: Any = guide_pdf.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"


def test_pdf_is_well_formed_for_qpdf(guide_pdf: PdfReader, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("qpdf") is None:
        if os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
            raise AssertionError("qpdf is required (apt-get install qpdf)")
        pytest.skip("needs qpdf (apt-get install qpdf)")
    target = tmp_path / "g.pdf"
    guide_pdf.stream.seek(0)
    target.write_bytes(guide_pdf.stream.read())
    check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_pdf_internal_links_go_to_their_heading(qapp: Any, tmp_path: Path) -> None:
    filler = "\n\n".join(f"Paragraph {i}. " * 30 for i in range(30))
    pack = write_pack(
        tmp_path / "p",
        {"a.md": f"# Start\n\nRead [the last part](#last-part).\n\n{filler}\n\n## Last part\n"},
    )
    library = load_library(pack).library
    target = tmp_path / "links.pdf"
    write_pdf(printable(library.rendered), library.resource, target)
    reader = PdfReader(target)
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) == 1
    destination = reader.named_destinations[str(internal[0]["/Dest"])]
    target_page = reader.get_destination_page_number(destination)
    assert target_page == page_of(reader, "Last part") > 0


def write_image_pack(root: Path, colour: str = "#ff00ff") -> Path:
    (root / "img").mkdir(parents=True)
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(root / "img" / "chart.png"))
    return write_pack(root, {"a.md": "# Chart\n\n![chart](img/chart.png)\n\n## After\n\nText.\n"})


def pdf_image_colours(reader: PdfReader) -> list[str]:
    """The colour of the middle pixel of every image in the PDF."""
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        xobjects = resources.get("/XObject", {})
        for name in xobjects:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") != "/Image":
                continue
            width, height = int(xobject["/Width"]), int(xobject["/Height"])
            data = xobject.get_data()
            if xobject.get("/Filter") == "/DCTDecode":
                image = QImage.fromData(data)
                found.append(image.pixelColor(width // 2, height // 2).name())
            else:
                raw = data if len(data) == width * height * 3 else zlib.decompress(data)
                at = (height // 2 * width + width // 2) * 3
                found.append("#" + raw[at : at + 3].hex())
    return found


@pytest.fixture
def decoy_cwd(tmp_path: Path) -> Iterator[Path]:
    """A working directory holding a green img/chart.png, as an attacker's might."""
    decoy = tmp_path / "cwd"
    (decoy / "img").mkdir(parents=True)
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#00ff00"))
    image.save(str(decoy / "img" / "chart.png"))
    before = Path.cwd()
    os.chdir(decoy)
    try:
        yield decoy
    finally:
        os.chdir(before)


def close_to(colour: str, expected: str) -> bool:
    a, b = QColor(colour), QColor(expected)
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 24


def test_pdf_images_come_from_the_pack_only(qapp: Any, tmp_path: Path, decoy_cwd: Path) -> None:
    library = load_library(write_image_pack(tmp_path / "pack")).library
    target = tmp_path / "image.pdf"
    write_pdf(printable(library.rendered), library.resource, target)
    colours = pdf_image_colours(PdfReader(target))
    assert len(colours) == 1 and close_to(colours[0], "#ff00ff"), colours


def test_printing_reads_images_from_the_pack_only(
    qtbot: QtBot, tmp_path: Path, decoy_cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    win = make_window(qtbot, pack=write_image_pack(tmp_path / "pack"))
    target = tmp_path / "printed.pdf"

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    win.build_actions()["print"].trigger()
    colours = pdf_image_colours(PdfReader(target))
    assert len(colours) == 1 and close_to(colours[0], "#ff00ff"), colours


def test_the_safety_note_closes_every_export_that_reaches_the_end(
    qapp: Any, tmp_path: Path
) -> None:
    library = load_library(GUIDE).library
    note = "Always consult qualified healthcare professionals"
    for section, has_note in (
        ("key-takeaways", True),
        (None, True),
        ("what-is-ketamine", True),
        ("the-future-of-ketamine-research", False),
        ("approved-medical-uses", False),
    ):
        target = tmp_path / f"{section}.pdf"
        write_pdf(printable(library.rendered, section), library.resource, target)
        text = "".join(p.extract_text() for p in PdfReader(target).pages)
        assert (plain(note) in plain(text)) is has_note, section


def test_section_pdf_keeps_its_parts_in_reading_order(qapp: Any) -> None:
    library = load_library(GUIDE).library
    body = printable(library.rendered, "approved-medical-uses").html
    order = [body.index(t) for t in ("Clinicians rely", "Pain management", "These uses reflect")]
    assert order == sorted(order)
    assert "Key takeaways" not in body
    outline = printable(library.rendered, "approved-medical-uses").outline
    assert [(e.level, e.title) for e in outline][:2] == [
        (1, "Approved medical uses"),
        (2, "Anesthesia and sedation"),
    ]


def test_printed_safety_note_is_framed(qapp: Any) -> None:
    from PySide6.QtGui import QPdfWriter

    from ketreader.ui.print_layout import printable_document, set_page

    library = load_library(GUIDE).library
    writer = QPdfWriter(os.devnull)
    set_page(writer)
    document = printable_document(printable(library.rendered), library.resource, writer)
    frames = [f for f in document.rootFrame().childFrames() if f.frameFormat().border() > 0]
    assert len(frames) == 1
    assert frames[0].firstCursorPosition().block().text().startswith("Always consult")
    pitch = frames[0].firstCursorPosition().block().blockFormat().lineHeight()
    assert pitch > 100  # the note keeps the body's line height inside its frame


def test_print_without_export_offers_real_printers_only(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import (
        QAbstractPrintDialog,
        QPrintDialog,
        QPrinterInfo,
        QPrintPreviewDialog,
    )
    from PySide6.QtWidgets import QFileDialog

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a file could be chosen")

    for policy in (
        "[policy]\nallow_print = true\nallow_export = false\n",
        "[policy]\nkiosk = true\nallow_print = true\n",
    ):
        win = make_window(qtbot, policy=policy, home=isolated_user_dirs)
        monkeypatch.setattr(QPrintPreviewDialog, "exec", forbidden)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", forbidden)
        monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", lambda: ["Office"])
        seen: list[bool] = []

        def fake_exec(dialog: QPrintDialog, seen: list[bool] = seen) -> int:
            seen.append(dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile))
            return QPrintDialog.DialogCode.Rejected.value

        monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
        win.build_actions()["print"].trigger()
        assert seen == [False], policy


def test_print_without_export_and_without_printers_says_so(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinterInfo

    policy = "[policy]\nallow_print = true\nallow_export = false\n"
    win = make_window(qtbot, policy=policy, home=isolated_user_dirs)
    monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", lambda: [])
    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: pytest.fail("no dialog without printers"))
    win.build_actions()["print"].trigger()
    assert "No printer" in win.statusBar().currentMessage()


def test_html_export_has_contents_the_readers_type_and_no_comment(
    window: MainWindow,
) -> None:
    page = export_html(window.library.rendered, window.library.resource)
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "/*" not in style and "*/" not in style
    assert "font-size: 12pt" in style and "line-height: 1.5" in style
    assert re.search(r"font-family:[^;]*sans-serif", style)
    assert "max-width: 34em" in style
    nav = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    for section in window.library.sections:
        assert f'href="#{section.id}"' in nav
        assert f' id="{section.id}"' in page  # each link lands on its heading
    assert nav.count("<ul>") == 1 + sum(
        1 for s in window.library.sections if any(c.parent == s.id for c in window.library.sections)
    )


def test_html_export_embeds_pack_images(qapp: Any, tmp_path: Path) -> None:
    root = write_image_pack(tmp_path / "pack")
    library = load_library(root).library
    page = export_html(library.rendered, library.resource)
    found = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert found is not None
    assert base64.b64decode(found.group(1)) == (root / "img" / "chart.png").read_bytes()
    assert 'src="img/' not in page
    assert "img-src data:" in page  # the page's policy lets only embedded images load


def require_tool(name: str, package: str) -> None:
    import shutil

    if shutil.which(name) is None:
        if os.environ.get("KETREADER_REQUIRE_TOOLS") == "1":
            raise AssertionError(f"{name} is required (apt-get install {package})")
        pytest.skip(f"needs {name} (apt-get install {package})")


def test_pdf_text_is_dark_on_white_in_every_theme(qtbot: QtBot, tmp_path: Path) -> None:
    import subprocess

    require_tool("pdftoppm", "poppler-utils")
    win = make_window(qtbot, theme="high-contrast")  # white text on black, on screen
    target = win.exports.export_pdf(whole=True, target=tmp_path / "hc.pdf")
    assert target is not None
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(target),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    page = QImage(str(tmp_path / "page.png"))

    def grey_ink(x: int, y: int) -> bool:  # body text: neutral and dark (headings are blue)
        c = page.pixelColor(x, y)
        spread = max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue())
        return c.lightness() < 180 and spread < 24

    ink = sum(grey_ink(x, y) for y in range(page.height()) for x in range(page.width()))
    assert page.pixelColor(2, page.height() // 2).lightness() > 240  # white paper
    assert ink > 1000  # paragraphs of dark text, not white on white
