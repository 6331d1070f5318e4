"""UI room tests: caret browsing for screen readers, and status-bar values they can read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ketreader.ui.main_window import MainWindow
from ketreader.ui.shortcuts_dialog import ShortcutsDialog


def anchor_position(window: MainWindow, section: str) -> int:
    window.open_section(section)
    return window.view.top_position()


def test_caret_browsing_puts_the_caret_where_each_jump_lands(
    window: MainWindow, qtbot: QtBot
) -> None:
    top = anchor_position(window, "pain-management")
    window.set_caret_browsing(True)
    assert window.view.textCursor().position() == top
    window.open_section("key-takeaways")
    assert window.view.textCursor().position() == window.view.top_position()
    assert window.view.textCursor().position() != top


def test_with_caret_browsing_down_moves_the_caret_a_line(window: MainWindow, qtbot: QtBot) -> None:
    window.set_caret_browsing(True)
    window.open_section("pain-management")
    window.view.setFocus()
    before = window.view.textCursor().position()
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    after = window.view.textCursor()
    assert after.position() > before
    assert after.block().text().strip()  # a line of the guide, for the screen reader


def test_without_caret_browsing_down_scrolls_and_the_caret_stays(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.open_section("introduction-a-clear-overview")
    window.view.setFocus()
    before = window.view.textCursor().position()
    scroll = window.view.verticalScrollBar().value()
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    assert window.view.textCursor().position() == before
    assert window.view.verticalScrollBar().value() > scroll


def test_f7_toggles_caret_browsing_from_the_menu(window: MainWindow) -> None:
    action = window.build_actions()["caret-browsing"]
    assert "F7" in [k.toString() for k in action.shortcuts()]
    action.trigger()
    assert window.view.caret_browsing and action.isChecked()
    action.trigger()
    assert not window.view.caret_browsing and not action.isChecked()


def test_status_bar_values_reach_a_screen_reader(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.status_line is not None)
    assert window.status_line is not None
    window.appearance.set_zoom(2)
    for label in (window.status_line.position, window.status_line.zoom):
        assert label.text()
        access = QAccessible.queryAccessibleInterface(label)
        assert access is not None
        spoken = access.text(QAccessible.Text.Name) or access.text(QAccessible.Text.Value)
        assert spoken == label.text()


def test_tab_leaves_the_shortcuts_table_for_close(window: MainWindow, qtbot: QtBot) -> None:
    dialog = ShortcutsDialog(list(window.build_actions().values()), window)
    qtbot.addWidget(dialog)
    dialog.show()
    # Qt's item views make Tab move between cells unless told otherwise: every row would
    # be two stops before Close.
    assert not dialog.table.tabKeyNavigation()
    dialog.table.setFocus()
    dialog.table.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.table
