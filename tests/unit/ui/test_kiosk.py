"""UI room tests: training-room mode in the window, kiosk, locks and reset."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ketreader import app as app_module
from ketreader.cli import build_parser
from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.settings import UserSettings
from ketreader.ui.main_window import MainWindow
from tests.conftest import GUIDE
from tests.unit.ui.conftest import make_window


def window_for(qtbot: QtBot, home: Path, policy: str) -> MainWindow:
    win = make_window(qtbot, policy=policy, home=home)
    win.build_actions()
    return win


def test_kiosk_offers_nothing_that_leaves_the_guide(
    qtbot: QtBot, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dialogs(*_: object, **__: object) -> None:
        raise AssertionError("no file dialog in kiosk mode")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", no_dialogs)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", no_dialogs)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", no_dialogs)
    win = window_for(
        qtbot,
        isolated_user_dirs,
        "[policy]\nkiosk = true\nallow_print = false\n"
        "allow_export = false\nallow_external_links = false\n",
    )
    for name in ("open-pack", "export-html", "export-pdf", "print", "full-screen", "quit"):
        assert name not in win.actions_by_name
    asked: list[object] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    win.view.external_link.emit(QUrl("https://example.org"))
    assert asked == [] and "disabled" in win.statusBar().currentMessage()


def test_kiosk_export_when_allowed_uses_no_dialog(
    qtbot: QtBot, tmp_path: Path, isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("dialog"))
    win = window_for(qtbot, isolated_user_dirs, "[policy]\nkiosk = true\nallow_export = true\n")
    target = win.exports._target("Export", "html")
    assert target is not None and target.name == "What-is-ketamine.html"


def test_locked_zoom_and_theme(qtbot: QtBot, isolated_user_dirs: Path) -> None:
    win = window_for(qtbot, isolated_user_dirs, "[policy]\ntheme = high-contrast\nzoom = 4\n")
    assert win.view.zoom == 4
    assert not win.actions_by_name["zoom-in"].isEnabled()
    assert not win.actions_by_name["theme-light"].isEnabled()


def test_reset_on_start_carries_nothing_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    previous = UserSettings(resolve().settings_file)
    previous.set_value("zoom", 5)
    previous.set_position(load_library(GUIDE).library.fingerprint, "key-takeaways")
    previous.save()
    policy = tmp_path / "policy.ini"
    policy.write_text("[policy]\nreset_on_start = true\n", "utf-8")
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    args = build_parser().parse_args(["--policy", str(policy)])
    assert app_module.run_app(args, resolve(policy_file=str(policy))) == 0
    win = shown[0]
    qtbot.addWidget(win)
    assert win.view.zoom == 0
    assert win.current_section_id() == "what-is-ketamine"


def test_a_menu_left_empty_by_the_policy_is_not_shown(
    qtbot: QtBot, isolated_user_dirs: Path
) -> None:
    """A File menu with nothing in it would look usable and open nothing."""
    win = window_for(
        qtbot,
        isolated_user_dirs,
        "[policy]\nkiosk = true\nallow_print = false\nallow_export = false\n",
    )
    shown = {a.text() for a in win.menuBar().actions() if a.isVisible()}
    assert "&File" not in shown
    assert {"&View", "&Go", "&Search", "&Help"} <= shown


def test_the_file_menu_is_shown_where_it_holds_something(
    qtbot: QtBot, isolated_user_dirs: Path
) -> None:
    win = window_for(qtbot, isolated_user_dirs, "[policy]\nkiosk = true\nallow_print = true\n")
    assert "&File" in {a.text() for a in win.menuBar().actions() if a.isVisible()}
