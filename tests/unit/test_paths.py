"""Paths room tests: the user's folders follow each platform's rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ketreader import paths


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG rules are Linux's")
def test_xdg_folders_follow_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KETREADER_CACHE_DIR", raising=False)
    monkeypatch.delenv("KETREADER_LOG_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "k"))
    monkeypatch.setenv("XDG_STATE_HOME", "relative/is/ignored")
    assert paths.config_dir() == tmp_path / "c" / "ketreader"
    assert paths.cache_dir() == tmp_path / "k" / "ketreader"
    assert paths.log_dir() == tmp_path / ".local" / "state" / "ketreader"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert paths.config_dir() == tmp_path / ".config" / "ketreader"


def test_the_same_folders_as_platformdirs_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("KETREADER_CACHE_DIR", raising=False)
    assert paths.config_dir() == Path(platformdirs.user_config_dir("ketreader", appauthor=False))
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir("ketreader", appauthor=False))


def test_overrides_move_cache_and_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KETREADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KETREADER_LOG_DIR", str(tmp_path / "logs"))
    assert (paths.cache_dir(), paths.log_dir()) == (tmp_path / "cache", tmp_path / "logs")
