"""UI room test fixtures: a main window on a pack, under a policy, shown offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow
from tests.conftest import GUIDE


def make_window(
    qtbot: QtBot,
    *,
    policy: str = "",
    home: Path | None = None,
    pack: Path = GUIDE,
    theme: str | None = None,
) -> MainWindow:
    """A window as the app builds it; ``policy`` is written to the system policy file."""
    if policy:
        assert home is not None, "a policy needs the isolated home"
        (home / "policy.ini").write_text(policy, "utf-8")
    prefs = Preferences(resolve(theme=theme))
    win = MainWindow(load_library(pack, fallback=False).library, prefs)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    # Menus, shortcuts and the toolbar come one turn of the event loop after the first
    # paint, as a user's do: wait for them, as the end-to-end tests wait for "ready".
    qtbot.waitUntil(lambda: bool(win.actions_by_name), timeout=5000)
    return win


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    return make_window(qtbot)
