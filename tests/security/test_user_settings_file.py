"""Security tests: the trainee's own settings file cannot hang the reader or fill the disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

READ = (
    "import sys, pathlib; from ketreader.settings import UserSettings; "
    "s = UserSettings(pathlib.Path(sys.argv[1])); print(s.values()); print(s.warnings)"
)


def _settings_path(tmp_path: Path) -> Path:
    folder = tmp_path / "settings"
    folder.mkdir()
    return folder / "ketreader.ini"


def _small_files() -> None:
    """A reader that copies an endless file dies at 16 MiB instead of filling the disk."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))


def _read_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    """Read the file in a child process: a blocking open cannot be interrupted in-process."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run(
        [sys.executable, "-c", READ, str(path)],
        preexec_fn=_small_files,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_settings_file_does_not_hang(tmp_path: Path) -> None:
    ini = _settings_path(tmp_path)
    os.mkfifo(ini)
    result = _read_in_child(ini)  # raises TimeoutExpired on a reader that blocks
    assert result.returncode == 0, result.stderr
    assert "{}" in result.stdout
    assert "not a regular file" in result.stdout
    assert sorted(p.name for p in ini.parent.iterdir()) == ["ketreader.ini"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_an_endless_device_is_not_copied_aside(tmp_path: Path) -> None:
    """A copy of an endless file would fill the disk: only regular files are kept aside."""
    ini = _settings_path(tmp_path)
    ini.symlink_to("/dev/zero")
    result = _read_in_child(ini)
    assert result.returncode == 0, result.stderr
    assert "not a regular file" in result.stdout
    assert sorted(p.name for p in ini.parent.iterdir()) == ["ketreader.ini"]


def test_an_unreadable_regular_file_is_still_kept_aside(tmp_path: Path) -> None:
    ini = _settings_path(tmp_path)
    ini.write_bytes(b"[view]\nzoom=\xff\xfe\n")
    result = _read_in_child(ini)
    assert result.returncode == 0, result.stderr
    backups = [p for p in ini.parent.iterdir() if p.name.startswith("ketreader.ini.unreadable-")]
    assert [b.read_bytes() for b in backups] == [b"[view]\nzoom=\xff\xfe\n"]


def test_a_file_with_a_nul_byte_is_kept_aside_and_not_read(tmp_path: Path) -> None:
    """NUL is no text (QSettings and editors cut lines there): the whole file is suspect."""
    from ketreader.settings import UserSettings

    ini = _settings_path(tmp_path)
    damaged = b"[view]\ntheme=dark\nzoom=3\x00\n"  # valid UTF-8 apart from the NUL
    ini.write_bytes(damaged)
    settings = UserSettings(ini)
    assert settings.values() == {}
    backups = [p for p in ini.parent.iterdir() if p.name.startswith("ketreader.ini.unreadable-")]
    assert [b.read_bytes() for b in backups] == [damaged]
    assert any("kept a copy" in w for w in settings.warnings)


def test_a_huge_sparse_settings_file_is_moved_aside_not_copied(tmp_path: Path) -> None:
    """Copying 64 GiB of holes would fill the disk on every start: the file is renamed."""
    ini = _settings_path(tmp_path)
    with ini.open("wb") as handle:
        handle.write(b"[view]\nzoom=2\n")
        handle.truncate(64 << 30)
    result = _read_in_child(ini)  # the child may not write more than 16 MiB
    assert result.returncode == 0, result.stderr
    assert not ini.exists()
    backups = [p for p in ini.parent.iterdir() if p.name.startswith("ketreader.ini.unreadable-")]
    assert len(backups) == 1 and backups[0].stat().st_size == 64 << 30
    backups[0].unlink()
