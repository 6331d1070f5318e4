"""UI room tests: the type Qt lays out, images in the view, and keeping the reading place."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QTextBlock
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ketreader.ui.main_window import MainWindow
from ketreader.ui.note_frames import anchor_positions
from ketreader.ui.typography import measure_width
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window

SIDEBAR = 320


def paragraphs(win: MainWindow, min_chars: int = 200) -> list[QTextBlock]:
    """The guide's long paragraphs, laid out as the view lays them out."""
    document = win.view.document()
    found = []
    block = document.begin()
    while block.isValid():
        if len(block.text()) >= min_chars and not block.blockFormat().headingLevel():
            document.documentLayout().blockBoundingRect(block)  # laid out, as when shown
            found.append(block)
        block = block.next()
    assert len(found) >= 8
    return found


def full_lines(blocks: list[QTextBlock]) -> list[int]:
    """Characters on every line but each paragraph's last (which ends where the text does)."""
    counts = []
    for block in blocks:
        layout = block.layout()
        counts += [layout.lineAt(i).textLength() for i in range(layout.lineCount() - 1)]
    return counts


def settle(win: MainWindow) -> None:
    for _ in range(3):
        QApplication.processEvents()


def body_pixels(win: MainWindow, block: QTextBlock) -> float:
    """The font size Qt uses for ``block``'s text, in the view's pixels."""
    font = block.begin().fragment().charFormat().font()
    return font.pointSizeF() * win.view.logicalDpiY() / 72


def test_body_text_is_twelve_points_with_a_line_height_of_one_and_a_half(
    window: MainWindow,
) -> None:
    for block in paragraphs(window):
        assert block.begin().fragment().charFormat().font().pointSizeF() == pytest.approx(12)
        layout = block.layout()
        pitches = [layout.lineAt(i + 1).y() - layout.lineAt(i).y() for i in range(2)]
        for pitch in pitches:
            assert 1.4 <= pitch / body_pixels(window, block) <= 1.6, pitch


def test_headings_are_larger_than_body_text_and_follow_the_zoom(window: MainWindow) -> None:
    def size_of(heading: str) -> float:
        block = window.view.document().begin()
        while block.text() != heading or not block.blockFormat().headingLevel():
            block = block.next()
        return block.begin().fragment().charFormat().font().pointSizeF()

    assert size_of("What is ketamine?") > size_of("Key takeaways") > size_of("Pain management")
    assert size_of("Pain management") > 12
    before = size_of("Key takeaways")
    window.appearance.set_zoom(6)
    assert size_of("Key takeaways") == pytest.approx(before * 1.5)


@pytest.mark.parametrize("zoom", [-3, 0, 3, 6, 12])
def test_lines_hold_sixty_to_seventy_five_characters_at_every_zoom(qtbot: QtBot, zoom: int) -> None:
    win = make_window(qtbot)
    win.appearance.set_zoom(zoom)
    # A window wide enough for the measure at this zoom, and much wider still.
    needed = measure_width(win.view.font(), win.view) + 2 * 16 + 40
    for width in (round(needed) + SIDEBAR, round(needed) + SIDEBAR + 900):
        win.resize(width, 800)
        settle(win)
        lines = full_lines(paragraphs(win))
        assert max(lines) <= 75, (width, lines)
        assert 62 <= statistics.mean(lines) <= 72, (width, lines)
        within = sum(60 <= n <= 75 for n in lines) / len(lines)
        assert within >= 0.9, (width, lines)


def test_a_narrow_window_fills_its_width(qtbot: QtBot) -> None:
    win = make_window(qtbot)
    win.resize(700, 700)
    settle(win)
    margins = win.view.document().rootFrame().frameFormat()
    assert margins.leftMargin() == pytest.approx(16) == margins.rightMargin()


def write_image_pack(root: Path) -> Path:
    """A pack whose one image is a real 120×80 PNG of pure magenta."""
    (root / "img").mkdir(parents=True)
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff00ff"))
    assert image.save(str(root / "img" / "chart.png"))
    return write_pack(root, {"a.md": "# Chart\n\nAbove the chart.\n\n![chart](img/chart.png)\n"})


def magenta_pixels(image: QImage) -> int:
    found = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 240 and colour.green() < 15 and colour.blue() > 240:
                found += 1
    return found


def test_pack_images_are_painted_in_the_view(qtbot: QtBot, tmp_path: Path) -> None:
    win = make_window(qtbot, pack=write_image_pack(tmp_path / "p"))
    settle(win)
    shot = win.view.viewport().grab().toImage()
    # 120×80 pixels sampled every other pixel each way: about 2,400 magenta samples.
    assert magenta_pixels(shot) >= 2000


def heading_top(win: MainWindow, anchor: str) -> float:
    """Where the heading ``anchor`` is, in the view's pixels from its top edge."""
    document = win.view.document()
    block = document.findBlock(anchor_positions(document)[anchor])
    top = document.documentLayout().blockBoundingRect(block).top()
    return top - win.view.verticalScrollBar().value()


@pytest.mark.parametrize("size", [(1000, 700), (1400, 1000), (800, 1200)])
def test_every_heading_can_reach_the_top_even_at_the_end(
    window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.appearance.set_zoom(4)
    # Straight after a relayout, before Qt has laid out the rest of the guide again.
    for section in ("key-takeaways", "the-future-of-ketamine-research", "what-is-ketamine"):
        window.open_section(section)
        assert abs(heading_top(window, section)) <= 1, section
        assert window.view.section_at_top() == section
        settle(window)
        assert abs(heading_top(window, section)) <= 1, section
        assert window.sidebar.current_section_id() == section


def test_a_last_heading_with_nothing_under_it_reaches_the_top(qtbot: QtBot, tmp_path: Path) -> None:
    # One viewport of padding below the text: a last heading with nothing under it
    # still scrolls to the top, and scroll-spy agrees.
    body = "\n\n".join(f"Paragraph {i} of the introduction, long enough." for i in range(60))
    pack = write_pack(tmp_path / "p", {"a.md": f"# Title\n\n{body}\n\n## Last\n"})
    win = make_window(qtbot, pack=pack)
    for size in ((1000, 700), (1000, 1100), (700, 400)):
        win.resize(*size)
        win.open_section("last")
        settle(win)
        assert abs(heading_top(win, "last")) <= 1, size
        assert win.sidebar.current_section_id() == "last"


def test_a_deep_link_on_the_command_line_opens_at_its_heading(qtbot: QtBot) -> None:
    # As app.py does it: the place is chosen before the window is shown and sized.
    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from tests.conftest import GUIDE

    win = MainWindow(load_library(GUIDE).library, Preferences(resolve()))
    qtbot.addWidget(win)
    win.restore_window_state()
    assert win.set_library(win.library, "ketreader://section/key-takeaways")
    win.show()
    qtbot.waitExposed(win)
    win.resize(1280, 900)  # a window manager places and sizes the window after it is shown
    settle(win)
    assert abs(heading_top(win, "key-takeaways")) <= 1
    assert win.sidebar.current_section_id() == "key-takeaways"


def test_full_screen_twice_keeps_the_place(window: MainWindow, qtbot: QtBot) -> None:
    window.open_section("key-takeaways")
    settle(window)
    action = window.build_actions()["full-screen"]
    for _ in range(2):
        action.trigger()
        settle(window)
        assert window.view.section_at_top() == "key-takeaways"
    # The offscreen platform may keep the size; resizing is what full screen does.
    for size in ((1600, 1000), (700, 500), (1000, 700)):
        window.resize(*size)
        settle(window)
        assert abs(heading_top(window, "key-takeaways")) <= 1, size
        assert window.sidebar.current_section_id() == "key-takeaways"


def test_zoom_keeps_the_place_in_the_middle_of_a_section(window: MainWindow) -> None:
    window.open_section("emerging-psychiatric-research")
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.value() + 90)  # a few lines into the section
    settle(window)
    place = window.view.top_position()
    for zoom in (4, -2, 0):
        window.appearance.set_zoom(zoom)
        settle(window)
        assert abs(window.view.top_position() - place) <= 80, zoom
        assert window.view.section_at_top() == "emerging-psychiatric-research"


def test_scroll_spy_never_hit_tests(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    # Hit-testing a point between two paragraphs lays out the rest of the document (Qt walks
    # every following block); scroll-spy reads the blocks already laid out instead.
    def refuse(*_args: object) -> None:
        raise AssertionError("cursorForPosition called while scrolling")

    monkeypatch.setattr(window.view, "cursorForPosition", refuse)
    bar = window.view.verticalScrollBar()
    for value in range(0, bar.maximum(), 97):
        bar.setValue(value)
    window.appearance.set_zoom(2)
    window.resize(1300, 900)
    settle(window)
    assert window.view.section_at_top() is not None
