"""Crash room tests: an unexpected error is logged, shown briefly and survived."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ketreader.app import _install_crash_handler
from ketreader.log import log_file


def test_unexpected_exception_is_logged_and_shown(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    _install_crash_handler(qapp)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    log = log_file()
    assert log.is_relative_to(isolated_user_dirs)
    text = log.read_text("utf-8")
    assert "RuntimeError: boom in a slot" in text and "Traceback" in text
    assert len(shown) == 1 and str(log) in shown[0] and "still running" in shown[0]
    assert "Traceback" not in shown[0]
    assert QApplication.instance() is qapp  # nothing quit


def test_cli_unexpected_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ketreader import cli, commands

    def explode(*_: object) -> int:
        raise ValueError("surprise")

    monkeypatch.setattr(commands, "_sections", explode)
    assert cli.main(["sections"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ValueError: surprise" in err and "Traceback" not in err
    assert "Traceback" in log_file().read_text("utf-8")
