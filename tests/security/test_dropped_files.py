"""Security tests: a file dragged onto the window opens nothing, in a kiosk or out of one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.unit.ui.conftest import make_window


def _drop(target: QWidget, data: QMimeData) -> bool:
    """Drag ``data`` over ``target`` and drop it there; whether any step was accepted."""
    at = QPoint(40, 40)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(at, action, data, buttons, keys)
    enter.setAccepted(False)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(at, action, data, buttons, keys)
    move.setAccepted(False)
    QApplication.sendEvent(target, move)
    drop = QDropEvent(QPointF(at), action, data, buttons, keys)
    drop.setAccepted(False)
    QApplication.sendEvent(target, drop)
    return enter.isAccepted() or drop.isAccepted()


@pytest.mark.parametrize("policy", ["", "[policy]\nkiosk = true\nallow_export = false\n"])
def test_a_dropped_file_is_not_opened(
    qtbot: QtBot, isolated_user_dirs: Path, tmp_path: Path, policy: str
) -> None:
    dropped = tmp_path / "other.md"
    dropped.write_text("# Dropped from outside\n\nNOT-THE-GUIDE\n", "utf-8")
    win = make_window(qtbot, policy=policy, home=isolated_user_dirs)
    shown = win.view.toHtml()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(dropped))])
    data.setText(str(dropped))
    for target in (win.view.viewport(), win.view, win.sidebar, win):
        assert not _drop(target, data), type(target).__name__
    qtbot.wait(50)
    assert "NOT-THE-GUIDE" not in win.view.toPlainText()
    assert win.view.toHtml() == shown
