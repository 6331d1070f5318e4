"""UI room tests: a policy that cannot be read is said in the window, visibly and accessibly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ketreader import app as app_module
from ketreader.cli import build_parser
from ketreader.policy import resolve
from ketreader.ui import lockdown_banner
from ketreader.ui.lockdown_banner import MESSAGE, LockdownBanner
from ketreader.ui.main_window import MainWindow
from tests.conftest import system_policy


def start(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    """The window exactly as ``ketreader`` builds and shows it (offscreen)."""
    made: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    monkeypatch.setattr(app_module, "MainWindow", Recorded)
    assert app_module.run_app(build_parser().parse_args([]), resolve()) == 0
    window = made[0]
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window


def banner_of(window: MainWindow) -> LockdownBanner | None:
    return window.findChild(LockdownBanner, "lockdown-banner")


def test_an_unparsable_policy_puts_the_banner_on_top(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = system_policy(isolated_user_dirs, "[policy\nkiosk = false\n")
    window = start(qtbot, monkeypatch)
    banner = banner_of(window)
    assert banner is not None and banner.isVisible()
    texts = [label.text() for label in banner.findChildren(QLabel) if label.text()]
    assert texts[0] == "Locked down." and MESSAGE in texts
    assert any(str(path) in text and "line 1" in text for text in texts)
    # Across the top of the window's content, above the sidebar and the text.
    top_left = banner.mapTo(window, QPoint(0, 0))
    assert top_left.x() == 0 and banner.width() == window.width()
    assert (
        banner.mapTo(window, QPoint(0, banner.height())).y()
        <= window.view.mapTo(window, QPoint(0, 0)).y()
    )
    # What a screen reader is given.
    assert banner.accessibleName() == "Locked down"
    assert MESSAGE in banner.accessibleDescription()
    assert str(path) in banner.accessibleDescription()


def test_the_banner_paints_dark_text_on_its_own_colour(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_policy(isolated_user_dirs, "\x00\x01 not an INI file")
    banner = banner_of(start(qtbot, monkeypatch))
    assert banner is not None
    image = banner.grab().toImage()
    background = image.pixelColor(image.width() - 4, 4)
    assert background == QColor("#fff4d6")
    darkest = min(
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )
    assert darkest < 80  # text, in #3b2a00


def test_a_readable_policy_shows_no_banner(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_policy(isolated_user_dirs, "[policy]\nallow_print = false\n")
    window = start(qtbot, monkeypatch)
    assert banner_of(window) is None
    assert window.centralWidget() is window.splitter


def test_the_reason_cannot_forge_text_or_direction(qtbot: QtBot) -> None:
    banner = LockdownBanner("/etc/x/policy.ini: line 3: \x1b[2J\u202efdp.exe\nsecond line")
    qtbot.addWidget(banner)
    shown = banner.findChild(QLabel, "lockdown-reason")
    assert shown is not None
    assert "\x1b" not in shown.text() and "\\x1b" in shown.text()
    assert "\u202e" not in shown.text() and "\n" not in shown.text()


def test_a_running_screen_reader_hears_it_when_it_appears(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[tuple[QAccessible.Event, str]] = []

    def record(event: QAccessibleEvent) -> None:
        said.append((event.type(), getattr(event, "message", lambda: "")()))

    monkeypatch.setattr(QAccessible, "isActive", lambda: True)
    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    banner = LockdownBanner("policy.ini: line 1: unclosed section header")
    qtbot.addWidget(banner)
    assert said == []
    banner.show()
    qtbot.waitExposed(banner)
    assert said == [(QAccessible.Event.Announcement, f"Locked down. {MESSAGE}")]
    banner.hide()
    banner.show()
    assert len(said) == 1  # once, not at every show


def test_show_lockdown_keeps_the_window_content(qtbot: QtBot, window: MainWindow) -> None:
    banner = lockdown_banner.show_lockdown(window, "policy.ini: cannot be read")
    holder = window.centralWidget()
    assert holder is not None and holder.isAncestorOf(window.splitter)
    assert holder.isAncestorOf(banner)
