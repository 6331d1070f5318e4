"""Settings room tests: an unreadable settings file is kept aside once, not on every run."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ketreader.cli import main


def test_commands_that_only_read_do_not_pile_up_copies_of_an_unreadable_file(
    isolated_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    settings.parent.mkdir(parents=True)
    settings.write_bytes(b"[view]\nzoom = 1\x00\n")  # a NUL: the file cannot be read
    clock = itertools.count(1000)  # each run a second or more after the one before
    monkeypatch.setattr("ketreader.settings.time.time", lambda: float(next(clock)))

    # A deployment script asks each PC what it will do, again and again.
    for _ in range(3):
        assert main(["policy", "--show"]) == 0
        assert main(["sections"]) == 0
    capsys.readouterr()

    # What the file held is kept once; six runs must not leave six copies of it.
    copies = sorted(settings.parent.glob("ketreader.ini.unreadable-*"))
    assert len(copies) == 1, [c.name for c in copies]
    assert copies[0].read_bytes() == b"[view]\nzoom = 1\x00\n"
