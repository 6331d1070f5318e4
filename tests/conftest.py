"""Test room: headless Qt, and every user folder redirected into tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before any Qt import: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "resources" / "content" / "what-is-ketamine"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads or writes the real user's settings, cache, logs or the host's policy.

    The system policy file and the folder of the program (where a portable settings file or
    policy would sit) move into tmp_path: ``home / "policy.ini"`` and ``home / "program"``.
    """
    from ketreader import paths

    home = tmp_path / "home"
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("KETREADER_CACHE_DIR", "cache"),
        ("KETREADER_LOG_DIR", "logs"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    (home / "program").mkdir(parents=True)
    monkeypatch.setattr(paths, "system_policy_files", lambda: (home / "policy.ini",))
    monkeypatch.setattr(paths, "program_dir", lambda: home / "program")
    yield home


def system_policy(home: Path, text: str) -> Path:
    """Put ``text`` where the (redirected) system policy file is read from."""
    path = home / "policy.ini"
    path.write_text(text, "utf-8")
    return path


def write_pack(root: Path, documents: dict[str, str], title: str = "Test pack") -> Path:
    """A pack folder with a manifest listing ``documents`` in order."""
    root.mkdir(parents=True, exist_ok=True)
    names = ", ".join(f'"{name}"' for name in documents)
    (root / "pack.toml").write_text(f'title = "{title}"\ndocuments = [{names}]\n', "utf-8")
    for name, text in documents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    """Run this Python on ``args`` with the source tree importable and Qt offscreen."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
