"""UI room tests: the About and Keyboard shortcuts dialogs show all their text, readably."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from ketreader.licences import ALL
from ketreader.ui.about_dialog import AboutDialog, about_app_html, about_guide_html
from ketreader.ui.main_window import MainWindow
from ketreader.ui.shortcuts_dialog import ShortcutsDialog


def test_about_this_guide_shows_the_whole_note(window: MainWindow, qtbot: QtBot) -> None:
    dialog = AboutDialog("About this guide", about_guide_html(window.library), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = dialog.browser.toPlainText()
    assert text.rstrip().endswith("never shipped, shown, linked or indexed.")
    assert dialog.browser.verticalScrollBar().maximum() == 0  # nothing hidden below


def test_about_ketreader_lists_every_component_and_scrolls(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = AboutDialog("About ketreader", about_app_html(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = " ".join(dialog.browser.toPlainText().split())
    for component in ALL:
        assert component.name in text and component.licence in text, component.name
    for name in ("Qt 6", "PySide6", "nh3", "ammonia", "html5ever", "Python-Markdown", "ICU"):
        assert name in text
    bar = dialog.browser.verticalScrollBar()
    assert bar.maximum() > 0  # longer than the screen allows: it scrolls, it is not cut
    bar.setValue(bar.maximum())
    assert dialog.height() <= 2 / 3 * dialog.screen().availableGeometry().height() + 120


def test_shortcuts_dialog_shows_typed_keys_once_each(window: MainWindow, qtbot: QtBot) -> None:
    dialog = ShortcutsDialog(list(window.build_actions().values()), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    rows = dialog.rows()
    keys = [k for _, k in rows]
    # X11's media keys (XF86Back, XF86ZoomIn...) are not shortcuts anyone types.
    typed = {key for k in keys for key in k.split("  /  ")}
    assert not typed & {"Zoom In", "Zoom Out", "Back", "Forward", "Help", "Open", "Print"}
    assert sum("F6" in k.split("  /  ") for k in keys) == 1
    zoom = dict(rows)["Zoom In"]
    native = QKeySequence("Ctrl++").toString(QKeySequence.SequenceFormat.NativeText)
    assert native in zoom.split("  /  ")
    table = dialog.table
    assert not table.showGrid()
    assert table.verticalHeader().defaultSectionSize() <= table.fontMetrics().height() + 10
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        for column in range(2):
            item = table.item(row, column)
            assert item is not None
            text = item.text()
            assert metrics.horizontalAdvance(text) < table.columnWidth(column), text
    shown = table.viewport().width()
    assert table.columnWidth(0) + table.columnWidth(1) <= shown + 2  # nothing clipped


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_disabled_actions_look_disabled(theme: str) -> None:
    from PySide6.QtGui import QPalette

    from ketreader.ui.theme import application_palette

    palette = application_palette(theme)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        enabled = palette.color(QPalette.ColorGroup.Active, role)
        disabled = palette.color(QPalette.ColorGroup.Disabled, role)
        assert disabled != enabled, (theme, role)
