"""Policy room tests: admin policy, portable mode and `policy --show`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from ketreader import platform_dirs
from ketreader.cli import build_parser, main
from ketreader.policy import resolve
from tests.conftest import run_python


def args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def policy_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "policy.ini"
    path.write_text(body, "utf-8")
    return path


def test_defaults_when_nothing_is_set() -> None:
    effective = resolve(args())
    assert effective["kiosk"] is False and effective["theme"] == "system"
    assert {e.source for e in effective.entries.values()} == {"default"}


def test_policy_values_override_and_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = policy_file(
        tmp_path, "[policy]\nkiosk = true\ntheme = dark\nzoom = 3\nallow_print = false\n"
    )
    assert main(["--policy", str(path), "policy", "--show", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    for key, value in (("kiosk", True), ("theme", "dark"), ("zoom", 3), ("allow_print", False)):
        assert table[key] == {"value": value, "source": "policy", "locked": True}
    assert table["allow_export"] == {"value": True, "source": "default", "locked": False}


def test_policy_beats_command_line_and_user(tmp_path: Path, isolated_user_dirs: Path) -> None:
    user = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    user.parent.mkdir(parents=True)
    user.write_text("[view]\ntheme=light\nzoom=2\n", "utf-8")
    effective = resolve(args("--theme", "high-contrast"))
    assert effective.entries["theme"].source == "command line"
    assert (effective["zoom"], effective.entries["zoom"].source) == (2, "user")
    path = policy_file(tmp_path, "[policy]\ntheme = dark\n")
    locked = resolve(args("--theme", "high-contrast", "--policy", str(path)))
    assert (locked["theme"], locked.entries["theme"].source) == ("dark", "policy")


def test_unknown_keys_and_bad_values_warn_by_name(tmp_path: Path) -> None:
    path = policy_file(tmp_path, "[policy]\nkiosk = maybe\nzoom = 99\ncolour = red\n")
    effective = resolve(args("--policy", str(path)))
    text = "\n".join(effective.warnings)
    assert "'kiosk'" in text and "'zoom'" in text and "'colour'" in text
    assert effective["kiosk"] is False and effective["zoom"] == 0


def test_broken_policy_file_uses_safe_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.ini"
    path.write_bytes(b"\xff\xfe not ini at all [[[\n")
    effective = resolve(args("--policy", str(path)))
    assert effective["kiosk"] is False
    assert any("policy.ini" in w for w in effective.warnings)


def test_portable_mode_keeps_settings_beside_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform_dirs, "program_dir", lambda: tmp_path)
    assert resolve(args()).portable is False
    assert resolve(args("--portable")).settings_file == tmp_path / "ketreader.ini"
    (tmp_path / "ketreader.ini").write_text("[view]\nzoom=4\n", "utf-8")
    effective = resolve(args())  # the file beside the program switches portable mode on
    assert effective.portable and effective.entries["zoom"].source == "portable"


def test_read_only_portable_folder_falls_back_with_warning(
    monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path, tmp_path: Path
) -> None:
    if Path("/proc/self").is_dir():
        read_only = Path("/proc")  # refuses new files even for root, unlike a chmod-ed folder
    else:
        read_only = tmp_path / "stick"
        read_only.mkdir()
        read_only.chmod(0o555)
    monkeypatch.setattr(platform_dirs, "program_dir", lambda: read_only)
    effective = resolve(args("--portable"))
    assert not effective.portable
    assert effective.settings_file.is_relative_to(isolated_user_dirs)
    assert any("read-only" in w for w in effective.warnings)


def test_window_paints_under_kiosk_policy(tmp_path: Path) -> None:
    path = policy_file(tmp_path, "[policy]\nkiosk = true\nreset_on_start = true\n")
    result = run_python("-m", "ketreader", "--policy", str(path), "--quit-after-paint")
    assert result.returncode == 0, result.stderr


def test_subcommands_follow_the_policy_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import write_pack

    room = write_pack(tmp_path / "room-pack", {"a.md": "# Room edition\n\n## Only here\n"})
    path = policy_file(tmp_path, f"[policy]\ncontent = {room}\n")
    assert main(["--policy", str(path), "sections", "--json"]) == 0
    assert [e["title"] for e in json.loads(capsys.readouterr().out)] == [
        "Room edition",
        "Only here",
    ]
    assert main(["--policy", str(path), "check"]) == 0
    assert str(room) in capsys.readouterr().out
    assert main(["--policy", str(path), "sections", "--content", str(room.parent / "none")]) == 1
