"""UI room tests: the window's life as debug events, which the real-X tests wait on."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow
from ketreader.ui.window_events import report_window_events
from tests.conftest import GUIDE


def events(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ketreader.ui"]


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(load_library(GUIDE, fallback=False).library, Preferences(resolve()))
    qtbot.addWidget(win)
    report_window_events(win)
    return win


def test_shown_once_with_its_window_id_then_its_state(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "ketreader.ui")
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    said = events(caplog)
    assert said.count(f"window {int(window.winId()):#x}") == 1
    assert "window state normal 900x600" in said
    window.showFullScreen()
    qtbot.waitUntil(lambda: any(m.startswith("window state full screen") for m in events(caplog)))
    window.hide()
    window.show()
    assert sum(m.startswith("window 0x") for m in events(caplog)) == 1


def test_activation_and_the_focused_window_are_reported(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "ketreader.ui")
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: "active" in events(caplog))
    assert f"focus window {window.windowTitle()}" in events(caplog)

    box = QMessageBox(QMessageBox.Icon.Question, "Open external link?", "?", parent=window)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(lambda: "focus window Open external link?" in events(caplog))
    qtbot.waitUntil(lambda: "inactive" in events(caplog))
