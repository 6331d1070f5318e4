"""Console room tests: the CLI writes UTF-8 and LF whatever the stream's own encoding."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader.console import use_utf8
from tests.conftest import REPO, write_pack


def run_cli(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m ketreader`` with stdout and stderr in ``encoding``, as a Windows pipe is."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONIOENCODING=encoding)
    return subprocess.run(
        [sys.executable, "-m", "ketreader", *args], capture_output=True, env=env, check=False
    )


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "cp437"])
def test_sections_with_non_ascii_titles_are_utf8(tmp_path: Path, encoding: str) -> None:
    pack = write_pack(
        tmp_path / "pack", {"a.md": "# Doses ≥ 1 mg — overview\n\n## Over ≥ 2 — more\n\nText.\n"}
    )
    done = run_cli("sections", "--content", str(pack), encoding=encoding)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == (
            "Doses ≥ 1 mg — overview  [doses-1-mg-overview]\n  Over ≥ 2 — more  [over-2-more]\n"
        ).encode()
    )


def test_errors_are_utf8_too(tmp_path: Path) -> None:
    missing = tmp_path / "≥ missing"
    done = run_cli("sections", "--content", str(missing), encoding="cp1252")
    assert done.returncode == 1
    assert done.stderr == f"ketreader: error: {missing}: pack folder not found\n".encode()


def test_streams_become_utf8_with_lf(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", None)  # a windowed build has no streams
    use_utf8()
    print("≥ — ok")
    stream.flush()
    assert raw.getvalue() == "≥ — ok\n".encode()
