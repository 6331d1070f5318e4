"""UI room tests: the zoom keys, refused by a lock, do nothing else either."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import make_window


def test_ctrl_minus_under_a_zoom_lock_leaves_the_outline_open(
    qtbot: QtBot, isolated_user_dirs: Path
) -> None:
    win = make_window(qtbot, policy="[policy]\nzoom = 3\n", home=isolated_user_dirs)
    tree = win.sidebar
    top = tree.model().index(0, 0)
    tree.setFocus()
    tree.setCurrentIndex(top)
    qtbot.waitUntil(tree.hasFocus, timeout=2000)
    assert tree.isExpanded(top)

    # A trainee presses Zoom Out's key while the sidebar has the focus; the zoom is locked.
    qtbot.keyClick(tree, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)

    # The key is refused as a zoom; it must not collapse the whole outline instead.
    assert tree.isExpanded(top)
