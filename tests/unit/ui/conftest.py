"""UI room test fixtures: a main window on the bundled guide, shown offscreen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ketreader.pipeline import open_library
from ketreader.settings import Settings
from ketreader.ui.main_window import MainWindow, WindowOptions
from tests.conftest import GUIDE


def make_window(qtbot: QtBot, options: WindowOptions | None = None) -> MainWindow:
    win = MainWindow(open_library(GUIDE), Settings(), options)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    win.open_section("what-is-ketamine")
    return win


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    return make_window(qtbot)
