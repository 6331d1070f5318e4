"""UI room tests: the toolbar, the status bar, find in page and high contrast."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QScrollBar, QToolButton
from pytestqt.qtbot import QtBot

from ketreader.policy import resolve
from ketreader.render.stylesheet import PALETTES
from ketreader.settings import UserSettings
from ketreader.ui.actions import ACTIONS
from ketreader.ui.main_window import MainWindow
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window


def toolbar_names(win: MainWindow) -> list[str]:
    win.build_actions()
    assert win.toolbar is not None
    return [a.objectName() for a in win.toolbar.actions() if not a.isSeparator()]


def test_toolbar_has_back_forward_home_zoom_and_print(window: MainWindow) -> None:
    assert toolbar_names(window) == ["back", "forward", "home", "zoom-out", "zoom-in", "print"]
    assert window.toolbar is not None and window.toolbar.isVisible()
    # Declared in the one action table, not in a second list.
    assert {s.name for s in ACTIONS if s.toolbar} == set(toolbar_names(window))
    for action in window.toolbar.actions():
        if not action.isSeparator():
            assert not action.icon().isNull(), action.objectName()
            assert window.toolbar.widgetForAction(action).accessibleName()


def test_toolbar_buttons_act(window: MainWindow, qtbot: QtBot) -> None:
    names = toolbar_names(window)
    assert window.toolbar is not None
    actions = {a.objectName(): a for a in window.toolbar.actions()}
    assert not actions["back"].isEnabled() and not actions["forward"].isEnabled()
    window.open_section("pain-management")
    assert actions["back"].isEnabled()
    button = window.toolbar.widgetForAction(actions["back"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.view.section_at_top() == "what-is-ketamine"
    assert actions["forward"].isEnabled()
    window.open_section("key-takeaways")
    cast(QToolButton, window.toolbar.widgetForAction(actions["home"])).click()
    assert window.view.section_at_top() == "what-is-ketamine"
    cast(QToolButton, window.toolbar.widgetForAction(actions["zoom-in"])).click()
    assert window.view.zoom == 1
    assert "print" in names


def test_toolbar_can_be_hidden_and_stays_hidden(qtbot: QtBot) -> None:
    win = make_window(qtbot)
    win.build_actions()["toggle-toolbar"].trigger()
    assert win.toolbar is not None and not win.toolbar.isVisible()
    win.close()
    assert UserSettings(resolve().settings_file).values()["toolbar_visible"] is False
    again = make_window(qtbot)
    again.build_actions()
    assert again.toolbar is not None and not again.toolbar.isVisible()
    assert not again.actions_by_name["toggle-toolbar"].isChecked()


def test_kiosk_shows_a_reduced_toolbar(qtbot: QtBot, isolated_user_dirs: Path) -> None:
    policy = "[policy]\nkiosk = true\nallow_print = true\nzoom = 2\n"
    win = make_window(qtbot, policy=policy, home=isolated_user_dirs)
    assert toolbar_names(win) == ["back", "forward", "home", "zoom-out", "zoom-in"]
    assert win.toolbar is not None and win.toolbar.isVisible()
    assert "toggle-toolbar" not in win.actions_by_name  # nothing to hide it with
    zoom = win.actions_by_name["zoom-in"]
    assert not zoom.isEnabled() and zoom.toolTip() == "Set by your administrator"


def test_status_bar_shows_the_place_and_a_zoom_other_than_100(
    window: MainWindow, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: window.status_line is not None)
    status = window.status_line
    assert status is not None
    assert status.position.text() == "Section 1 of 20"
    assert not status.zoom.isVisibleTo(window)
    window.open_section("key-takeaways")
    assert status.position.text() == "Section 20 of 20"
    window.appearance.zoom_in()
    window.appearance.zoom_in()
    window.appearance.zoom_in()
    assert status.zoom.isVisibleTo(window) and status.zoom.text() == "Zoom 125%"
    window.appearance.zoom_reset()
    assert not status.zoom.isVisibleTo(window)


def test_status_bar_forgets_a_link_after_cancel_and_a_new_pack(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot.waitUntil(lambda: window.status_line is not None)
    url = QUrl("https://example.org/more")
    window.show_link_target(url)
    assert "example.org" in window.statusBar().currentMessage()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.confirm_external_link(url)
    assert window.statusBar().currentMessage() == ""
    window.show_link_target(url)
    assert window.open_pack(write_pack(tmp_path / "o", {"a.md": "# Other\n\n## Two\n"}))
    assert window.statusBar().currentMessage() == ""
    assert window.status_line is not None
    assert window.status_line.position.text() == "Section 1 of 2"


def test_ctrl_f_finds_in_the_page(window: MainWindow, qtbot: QtBot) -> None:
    window.build_actions()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.finder.bar
    assert bar.isVisible() and QApplication.focusWidget() is bar.field
    assert window.left.currentWidget() is window.sidebar  # not the guide-wide search
    qtbot.keyClicks(bar.field, "Ketamine")
    qtbot.waitUntil(lambda: bar.count.text().strip().startswith("1 of"))
    total = int(bar.count.text().split()[-1])
    assert total > 20  # the default is not case sensitive: "ketamine" too
    selections = window.view.extraSelections()
    assert len(selections) == total
    assert window.view.textCursor().selectedText().lower() == "ketamine"
    bar.match_case.setChecked(True)
    exact = int(bar.count.text().split()[-1])
    assert 0 < exact < total
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text().strip().startswith("2 of")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text().strip().startswith("1 of")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text().strip() == f"{exact} of {exact}"
    assert window.statusBar().currentMessage() == "Find wrapped to the bottom"
    window.finder.find_next()  # F3 follows the find bar while it is open
    assert bar.count.text().strip().startswith("1 of")
    assert window.statusBar().currentMessage() == "Find wrapped to the top"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and window.view.extraSelections() == []


def test_find_in_page_keeps_context_above_the_match(window: MainWindow, qtbot: QtBot) -> None:
    window.finder.find_in_page()
    qtbot.keyClicks(window.finder.bar.field, "no single medication")
    qtbot.waitUntil(lambda: window.finder.bar.count.text().strip() == "1 of 1")
    rect = window.view.cursorRect(window.view.textCursor())
    assert rect.top() >= 2 * rect.height()  # not at the very top edge
    assert rect.bottom() <= window.view.viewport().height()


def test_find_says_when_nothing_matches(window: MainWindow, qtbot: QtBot) -> None:
    window.finder.find_in_page()
    qtbot.keyClicks(window.finder.bar.field, "zzzz")
    qtbot.waitUntil(lambda: window.finder.bar.count.text() == "No matches")


def test_search_and_find_do_not_mix_highlights(window: MainWindow, qtbot: QtBot) -> None:
    window.finder.find_in_page()
    qtbot.keyClicks(window.finder.bar.field, "bladder")
    qtbot.waitUntil(lambda: bool(window.view.extraSelections()))
    window.search.run("risk")
    window.search.open_selected()
    words = {s.cursor.selectedText().lower()[:4] for s in window.view.extraSelections()}
    assert words == {"risk"}
    assert window.finder.bar.count.text() == ""


def test_shortcuts_are_distinct(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for name, action in window.build_actions().items():
        for shortcut in action.shortcuts():
            key = shortcut.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, (key, name, seen.get(key))
            seen[key] = name


def test_high_contrast_draws_fields_and_scroll_bars_in_the_text_colour(
    qtbot: QtBot,
) -> None:
    win = make_window(qtbot, theme="high-contrast")
    colours = PALETTES["high-contrast"]
    bar: QScrollBar = win.view.verticalScrollBar()
    assert bar.value() < 10 and bar.maximum() > 3 * bar.pageStep()  # a short handle on top
    shot = bar.grab().toImage()
    middle = shot.width() // 2
    # Below where Fusion draws its arrow button: the top of the handle, white on black.
    bright = [shot.pixelColor(middle, y).lightness() > 200 for y in range(20, 60)]
    assert all(bright)  # before: #1E1E1E on black
    field: QLineEdit = win.search.bar
    edge = field.grab().toImage().pixelColor(0, field.height() // 2)
    assert edge.lightness() > 200  # the field has a visible border
    placeholder = QApplication.palette().placeholderText().color().name()
    assert placeholder != colours["fg"]
    win.appearance.choose_theme("light")
    assert QApplication.instance().styleSheet() == ""  # type: ignore[union-attr]


def test_find_matches_survive_a_theme_change(window: MainWindow, qtbot: QtBot) -> None:
    window.finder.find_in_page()
    qtbot.keyClicks(window.finder.bar.field, "bladder")
    qtbot.waitUntil(lambda: window.finder.bar.count.text().strip().startswith("1 of"))
    count = window.finder.bar.count.text()
    window.appearance.choose_theme("dark")
    assert window.finder.bar.count.text() == count
    texts = {s.cursor.selectedText().lower() for s in window.view.extraSelections()}
    assert texts == {"bladder"}
    colours = {s.format.background().color().name() for s in window.view.extraSelections()}
    assert colours <= {PALETTES["dark"]["highlight_bg"], PALETTES["dark"]["current_bg"]}


def test_an_unknown_section_is_said_in_the_status_bar(window: MainWindow) -> None:
    assert not window.set_library(window.library, "nosuch-section")
    assert window.statusBar().currentMessage() == "Section not found: nosuch-section"
    assert window.view.section_at_top() == "what-is-ketamine"


def icon_ink(win: MainWindow, name: str) -> str:
    """The colour of the opaque pixels of a toolbar icon."""
    assert win.toolbar is not None
    action = next(a for a in win.toolbar.actions() if a.objectName() == name)
    image = action.icon().pixmap(24, 24).toImage()
    inks = {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }
    assert len(inks) == 1, inks
    return inks.pop()


@pytest.mark.parametrize("sequence", [("dark",), ("dark", "light"), ("high-contrast", "dark")])
def test_toolbar_icons_take_each_new_themes_text_colour(
    window: MainWindow, sequence: tuple[str, ...]
) -> None:
    window.build_actions()
    for theme in sequence:
        window.appearance.choose_theme(theme)
    expected = QApplication.palette().buttonText().color().name()
    assert icon_ink(window, "back") == expected
    if sequence[-1] == "dark":
        assert expected == PALETTES["dark"]["fg"]


def test_access_keys_are_distinct_within_each_menu() -> None:
    entries: dict[str, list[str]] = {}
    for spec in ACTIONS:
        if spec.menu is None:
            continue
        entries.setdefault(spec.menu, []).append(spec.text)
        parent, _, submenu = spec.menu.rpartition("/")
        if parent and submenu not in entries.setdefault(parent, []):
            entries[parent].append(submenu)
    for menu, texts in entries.items():
        keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(keys) == len(texts), (menu, texts)  # every entry has one
        assert len(set(keys)) == len(keys), (menu, texts)
