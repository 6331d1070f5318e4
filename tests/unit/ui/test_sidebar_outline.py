"""UI room tests: a big outline unfolds without holding up the first paint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from ketreader.render.model import Section
from ketreader.ui.sidebar import FIRST_UNFOLD, Sidebar


def outline(documents: int) -> tuple[Section, ...]:
    sections: list[Section] = []
    for doc in range(documents):
        sections.append(Section(f"d{doc}", f"Document {doc}", 1, None, doc))
        sections += [Section(f"d{doc}-{n}", f"Part {n}", 2, f"d{doc}", doc) for n in range(3)]
    return tuple(sections)


def states(sidebar: Sidebar) -> tuple[int, int, int]:
    """(parents unfolded, parents folded, leaves marked unfolded)."""
    model = sidebar.model()
    unfolded = folded = leaves = 0
    for row in range(model.rowCount(QModelIndex())):
        index = model.index(row, 0, QModelIndex())
        if sidebar.isExpanded(index):
            unfolded += 1
        else:
            folded += 1
        for child in range(model.rowCount(index)):
            leaves += sidebar.isExpanded(model.index(child, 0, index))
    return unfolded, folded, leaves


def test_a_big_outline_unfolds_its_first_entries_at_once_and_the_rest_soon(
    qtbot: QtBot,
) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_sections(outline(2000))
    unfolded, folded, _ = states(sidebar)
    assert unfolded == FIRST_UNFOLD and folded == 2000 - FIRST_UNFOLD
    qtbot.waitUntil(lambda: states(sidebar) == (2000, 0, 0), timeout=10_000)


def test_a_new_outline_stops_the_old_ones_unfolding(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_sections(outline(2000))
    sidebar.set_sections(outline(3))
    qtbot.waitUntil(lambda: states(sidebar) == (3, 0, 0), timeout=5_000)
    qtbot.wait(50)
    assert sidebar.model().rowCount(QModelIndex()) == 3


def test_a_big_packs_text_paints_before_its_outline_is_built(qtbot: QtBot, tmp_path: Path) -> None:
    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.main_window import OUTLINE_BEFORE_PAINT, MainWindow
    from tests.conftest import write_pack

    body = "\n\n".join(f"## Part {n}\n\nText {n}." for n in range(900))
    pack = write_pack(tmp_path / "big", {f"d{d}.md": f"# D{d}\n\n{body}\n" for d in range(3)})
    library = load_library(pack, fallback=False).library
    assert len(library.sections) > OUTLINE_BEFORE_PAINT
    window = MainWindow(library, Preferences(resolve()), library.sections[1000].id)
    qtbot.addWidget(window)
    assert window.sidebar.model() is None  # nothing built before the first paint
    window.show()
    qtbot.waitUntil(lambda: window.sidebar.model() is not None, timeout=10_000)
    assert window.sidebar.model().rowCount(QModelIndex()) == 3
    assert window.sidebar.current_section_id() == window.current_section_id()


def test_a_deep_current_entry_stays_in_sight_while_the_entries_above_it_unfold(
    qtbot: QtBot,
) -> None:
    # A pack opened at a saved place deep in it: the entry was scrolled to before the
    # entries above it were unfolded, and each later unfolding pushed it out of sight.
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(300, 400)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    sidebar.set_sections(outline(2000))
    sidebar.show_section("d1500-1")
    qtbot.waitUntil(lambda: states(sidebar) == (2000, 0, 0), timeout=10_000)
    qtbot.wait(50)
    rect = sidebar.visualRect(sidebar.currentIndex())
    assert sidebar.current_section_id() == "d1500-1"
    assert rect.height() > 0 and rect.top() >= 0 and rect.bottom() <= sidebar.viewport().height()


def test_a_window_opened_deep_in_a_big_pack_shows_the_current_entry(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # As a reader sees it: the outline is filled after the first paint, the status bar
    # comes next and takes the sidebar's bottom rows, and the entries above the current
    # one unfold over the next turns of the event loop.
    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.main_window import MainWindow
    from tests.conftest import write_pack

    docs = {
        f"d{d:04}.md": f"# Chapter {d}\n\n"
        + "\n\n".join(f"## Part {n}\n\nText {n}." for n in range(3))
        for d in range(700)
    }
    library = load_library(write_pack(tmp_path / "big", docs), fallback=False).library
    window = MainWindow(library, Preferences(resolve()), "chapter-584")
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitUntil(lambda: window.status_line is not None, timeout=10_000)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: states(sidebar)[:2] == (700, 0), timeout=10_000)
    qtbot.wait(50)
    assert sidebar.current_section_id() == "chapter-584"
    rect = sidebar.visualRect(sidebar.currentIndex())
    assert rect.height() > 0 and rect.top() >= 0
    assert rect.bottom() <= sidebar.viewport().height()
