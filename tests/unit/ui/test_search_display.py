"""UI room tests: the search display: rows that fit, corrections said, answers shown, F3."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from ketreader.ui.main_window import MainWindow
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window


def type_query(window: MainWindow, qtbot: QtBot, text: str) -> None:
    window.search.focus()
    window.search.bar.clear()
    qtbot.keyClicks(window.search.bar, text)
    window.search.bar.flush()


def row_texts(window: MainWindow) -> list[str]:
    results = window.search.results
    return [
        str(results.item(r).data(Qt.ItemDataRole.AccessibleTextRole))
        for r in range(results.count())
    ]


def test_each_result_row_is_as_tall_as_its_text(window: MainWindow, qtbot: QtBot) -> None:
    """A row laid out narrower than it is painted spills over the next row's title."""
    type_query(window, qtbot, "anaesthesia")
    results = window.search.results
    qtbot.waitUntil(lambda: results.isVisible())
    for width in (320, 220, 480):
        # The list narrows or widens after its rows were laid out (the pane is dragged, or
        # the list was sized before it was first shown).
        window.left.setFixedWidth(width)
        qtbot.waitUntil(lambda w=width: abs(results.width() - w) <= 4)  # type: ignore[misc]
        qtbot.wait(10)
        previous_bottom = -1
        for row in range(results.count()):
            rect = results.visualItemRect(results.item(row))
            text = QTextDocument()
            text.setDocumentMargin(2)
            text.setDefaultFont(results.font())
            text.setHtml(str(results.item(row).data(Qt.ItemDataRole.UserRole + 1)))
            text.setTextWidth(results.viewport().width() - 8)  # as painted
            assert rect.height() >= text.size().height(), (width, row)
            assert previous_bottom < rect.top()
            previous_bottom = rect.bottom()
    # And the rows are painted: text in the first row, not an empty list.
    image = results.viewport().grab().toImage()
    first = results.visualItemRect(results.item(0))
    colours = {
        image.pixelColor(x, y).name()
        for x in range(first.left(), first.right(), 3)
        for y in range(first.top(), first.bottom(), 3)
    }
    assert len(colours) > 3


def test_a_correction_is_said_and_the_typed_query_can_be_searched(
    window: MainWindow, qtbot: QtBot
) -> None:
    type_query(window, qtbot, "depresion")
    rows = row_texts(window)
    assert rows[:2] == ["Showing results for depression", "Search instead for depresion"]
    assert window.search.results.current_id() == "does-ketamine-cure-depression"
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Up)  # to "Search instead for depresion"
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    assert row_texts(window) == ["No results."]
    assert window.search.bar.text() == "depresion"


def test_a_question_shows_its_answer_and_enter_highlights_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    type_query(window, qtbot, "does ketamine cure depression")
    assert row_texts(window)[0] == (
        "Does ketamine cure depression?. No single medication offers a cure."
    )
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    highlights = window.view.highlights
    assert highlights.answer is not None
    start, end = highlights.answer
    text = window.view.document().toRawText()
    assert text[start:end] == "No single medication offers a cure."
    assert any(s.cursor.selectionStart() == start for s in window.view.extraSelections())
    # The answer is in view, and the current match is inside it ("cure").
    match = window.view.textCursor()
    assert start <= match.selectionStart() < end
    rect = window.view.cursorRect(match)
    assert rect.top() >= 0 and rect.bottom() <= window.view.viewport().height()


def test_a_new_query_drops_the_old_selected_match(window: MainWindow, qtbot: QtBot) -> None:
    type_query(window, qtbot, "bladder")
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    assert window.view.textCursor().hasSelection()
    type_query(window, qtbot, "nausea")
    assert not window.view.textCursor().hasSelection()
    assert window.view.highlights.count == 0


def test_a_first_letter_shows_no_empty_results(window: MainWindow, qtbot: QtBot) -> None:
    type_query(window, qtbot, "b")
    assert window.left.currentWidget() is window.sidebar
    type_query(window, qtbot, "bl")
    assert window.left.currentWidget() is window.search.results
    assert window.search.results.current_id() is not None


def test_only_common_words_say_so(window: MainWindow, qtbot: QtBot) -> None:
    type_query(window, qtbot, "what is it")
    (row,) = row_texts(window)
    assert "only common words" in row


@pytest.fixture
def crowded(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """A document with 47,000 matches of one word, as a large pack's long chapter has."""
    paragraphs = "\n\n".join(
        f"Paragraph {i}: " + " ".join(["dose and more text"] * 47) for i in range(1000)
    )
    pack = write_pack(tmp_path / "crowded", {"a.md": f"# Crowded\n\n{paragraphs}\n"})
    return make_window(qtbot, pack=pack)


def test_f3_stays_within_a_frame_on_47000_matches(crowded: MainWindow, qtbot: QtBot) -> None:
    highlights = crowded.view.highlights
    assert highlights.show(("dose",)) == 47_000
    # Selections exist for the part near the view only, not for every match.
    assert len(crowded.view.extraSelections()) <= 1000
    timings = []
    for step in [1] * 15 + [40] * 5 + [-3] * 5:
        started = time.perf_counter()
        highlights.step(step)
        timings.append(time.perf_counter() - started)
    timings.sort()
    assert timings[len(timings) // 2] <= 0.016, timings
    assert highlights.index == 15 + 200 - 15
    assert len(crowded.view.extraSelections()) <= 1000


def test_f3_keeps_context_above_the_match(crowded: MainWindow, qtbot: QtBot) -> None:
    view = crowded.view
    highlights = view.highlights
    highlights.show(("paragraph",))
    highlights.step(0)
    for _ in range(30):  # far below the first screen
        highlights.step(1)
    line = view.fontMetrics().lineSpacing()
    rect = view.cursorRect(view.textCursor())
    assert rect.top() >= 2 * line  # lines of context above it, not the top edge
    assert rect.bottom() <= view.viewport().height()
    current = [
        s
        for s in view.extraSelections()
        if s.cursor.selectionStart() == rect.x() * 0 + view.textCursor().selectionStart()
    ]
    assert current and current[0].format.background().color().name() != "#000000"
