"""Security tests: only https: and mailto: links ever leave the reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ketreader.library_loader import load_library
from ketreader.lint import check_pack
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window

HOSTILE = (
    "# Links\n\n"
    "[handbook](evil.desktop) [tool](/usr/bin/xterm) [up](../../etc/passwd) "
    "[plain](http://example.org/) [file](file:///etc/passwd) [smb](smb://server/share) "
    "[ok](https://example.org/) [mail](mailto:a@example.org)\n"
)


def test_local_paths_and_other_schemes_render_as_text(tmp_path: Path) -> None:
    library = load_library(write_pack(tmp_path / "p", {"a.md": HOSTILE})).library
    html = library.document_html(0)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://example.org/", "mailto:a@example.org"]
    # The words stay as plain text: no <a> without an address that looks like a link.
    assert "<p>handbook tool up plain file smb <a " in html
    assert html.count("<a") == html.count("</a>") == 2


def test_check_reports_each_refused_link_as_an_error(tmp_path: Path) -> None:
    found = [d for d in check_pack(write_pack(tmp_path / "p", {"a.md": HOSTILE}))]
    refused = [d for d in found if d.message.startswith("link refused: ")]
    assert {d.message.split()[2] for d in refused} == {
        "evil.desktop",
        "/usr/bin/xterm",
        "../../etc/passwd",
        "http://example.org/",
        "file:///etc/passwd",
        "smb://server/share",
    }
    assert all(d.severity == "error" for d in refused)
    assert not any("not found" in d.message for d in found)


@pytest.mark.parametrize(
    "url", ["evil.desktop", "/usr/bin/xterm", "file:///etc/passwd", "http://example.org"]
)
def test_the_window_never_hands_a_local_link_to_the_desktop(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    opened: list[QUrl] = []
    asked: list[object] = []
    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", opened.append)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    window = make_window(qtbot)
    window.view.external_link.emit(QUrl(url))
    assert opened == [] and asked == []
    assert "cannot be opened" in window.statusBar().currentMessage()
