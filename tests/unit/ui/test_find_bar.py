"""UI room tests: the find bar leaves nothing selected that it no longer finds."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ketreader.ui.main_window import MainWindow


def test_a_match_lost_while_typing_is_no_longer_selected(window: MainWindow, qtbot: QtBot) -> None:
    bar = window.finder.bar
    window.finder.find_in_page()
    qtbot.keyClicks(bar.field, "Ketam")
    qtbot.waitUntil(lambda: bar.count.text().strip().startswith("1 of"))
    assert window.view.textCursor().selectedText().lower() == "ketam"
    qtbot.keyClicks(bar.field, "zz")  # "Ketamzz" is nowhere in the guide
    qtbot.waitUntil(lambda: bar.count.text() == "No matches")
    # "No matches", so no "Ketam" left selected as if it had been found.
    assert not window.view.textCursor().hasSelection()
    assert window.view.extraSelections() == []


def test_a_selection_of_the_readers_own_survives_a_search_that_finds_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(4, cursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    selected = window.view.textCursor().selectedText()
    window.finder.find_in_page()
    qtbot.keyClicks(window.finder.bar.field, "zzzz")
    qtbot.waitUntil(lambda: window.finder.bar.count.text() == "No matches")
    assert window.view.textCursor().selectedText() == selected
