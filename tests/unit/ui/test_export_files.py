"""UI room tests: an exported file can be opened as any other file the user saves."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from ketreader.ui.main_window import MainWindow


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_an_exported_pdf_has_the_permissions_of_any_new_file(
    window: MainWindow, tmp_path: Path
) -> None:
    # A trainee exports to a shared folder or a USB stick for someone else to read: the
    # file is readable as the user's umask says, not private as a temporary file is.
    previous = os.umask(0o022)
    try:
        target = window.exports.export_pdf(whole=False, target=tmp_path / "section.pdf")
    finally:
        os.umask(previous)
    assert target is not None
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
