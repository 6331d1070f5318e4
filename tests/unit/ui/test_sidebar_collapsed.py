"""UI room tests: a sidebar dragged shut can be brought back from the View menu."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ketreader.ui.main_window import MainWindow


def test_show_sidebar_brings_back_a_sidebar_dragged_to_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    # The user drags the splitter handle to the window's left edge: the sidebar collapses,
    # and that state is what the window saves and restores on the next start.
    window.splitter.setSizes([0, window.splitter.width()])
    qtbot.waitUntil(lambda: window.left.width() == 0, timeout=2000)
    toggle = window.actions_by_name["toggle-sidebar"]
    assert toggle.isChecked()  # the menu says the sidebar is shown, yet none can be seen

    # View > Show Sidebar, off and on again (Ctrl+Shift+B twice): the way the menu offers.
    toggle.trigger()
    toggle.trigger()

    assert toggle.isChecked()
    qtbot.waitUntil(lambda: window.left.width() > 0, timeout=2000)
