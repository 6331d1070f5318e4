"""Policy room tests: every policy place, locks that fail closed, and `ketreader policy`."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from ketreader import paths
from ketreader.cli import main
from ketreader.policy import PolicyEnvironment, resolve
from ketreader.policy_registry import POLICY_KEY, RECOMMENDED_KEY, REG_DWORD, REG_SZ
from ketreader.settings import UserSettings
from tests.conftest import REPO, system_policy, write_pack


def show(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, object]]:
    assert main([*argv, "policy", "--json"]) == 0
    table: dict[str, dict[str, object]] = json.loads(capsys.readouterr().out)
    return table


def test_defaults_when_nothing_is_set() -> None:
    effective = resolve()
    assert effective["kiosk"] is False and effective["theme"] == "system"
    assert {e.source for e in effective.entries.values()} == {"default"}
    assert effective.lockdown is None


def test_system_policy_overrides_and_locks_naming_its_file(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = system_policy(
        isolated_user_dirs, "[policy]\nkiosk = true\ntheme = dark\nzoom = 3\nallow_print = false\n"
    )
    table = show(capsys)
    source = f"policy ({path})"
    for key, value in (("kiosk", True), ("theme", "dark"), ("zoom", 3), ("allow_print", False)):
        assert table[key] == {"value": value, "source": source, "locked": True}
    assert table["allow_export"] == {"value": True, "source": "default", "locked": False}


def test_reset_on_start_shows_what_the_next_trainee_gets(isolated_user_dirs: Path) -> None:
    user = UserSettings(resolve().settings_file)
    user.set_value("zoom", 5)
    user.set_value("theme", "dark")
    assert user.save()
    assert resolve()["zoom"] == 5
    system_policy(isolated_user_dirs, "[policy]\nreset_on_start = true\n")
    effective = resolve()
    assert (effective["zoom"], effective.entries["zoom"].source) == (0, "default")
    assert effective["theme"] == "system"


def test_recommended_values_are_defaults_the_user_may_change(isolated_user_dirs: Path) -> None:
    path = system_policy(isolated_user_dirs, "[recommended]\ntheme = dark\nzoom = 2\n")
    effective = resolve()
    assert effective["theme"] == "dark" and not effective.locked("theme")
    assert effective.entries["theme"].source == f"recommended ({path})"
    user = UserSettings(effective.settings_file)
    user.set_value("zoom", 4)
    user.save()
    assert resolve()["zoom"] == 4 and resolve().entries["zoom"].source == "user"


def test_policy_beats_command_line_and_user(isolated_user_dirs: Path) -> None:
    user = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    user.parent.mkdir(parents=True)
    user.write_text("[view]\ntheme=light\nzoom=2\n", "utf-8")
    effective = resolve(theme="high-contrast")
    assert effective.entries["theme"].source == "command line"
    assert (effective["zoom"], effective.entries["zoom"].source) == (2, "user")
    system_policy(isolated_user_dirs, "[policy]\ntheme = dark\n")
    locked = resolve(theme="high-contrast")
    assert locked["theme"] == "dark" and locked.locked("theme")


def fake_registry(
    values: dict[tuple[str, str], dict[str, tuple[object, int]]],
) -> PolicyEnvironment:
    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        return values.get((hive, key))

    return PolicyEnvironment((), paths.program_dir(), reader)


def test_registry_policy_locks_and_names_its_hive() -> None:
    env = fake_registry(
        {
            ("HKLM", POLICY_KEY): {"kiosk": (1, REG_DWORD), "theme": ("dark", REG_SZ)},
            ("HKLM", RECOMMENDED_KEY): {"zoom": (2, REG_DWORD)},
            ("HKCU", POLICY_KEY): {"allow_print": (0, REG_DWORD), "theme": ("light", REG_SZ)},
        }
    )
    effective = resolve(env=env)
    assert effective.entries["kiosk"] == (True, "policy (HKLM)", True)
    assert effective.entries["theme"] == ("dark", "policy (HKLM)", True)  # HKLM above HKCU
    assert effective.entries["zoom"] == (2, "recommended (HKLM)", False)
    assert effective.entries["allow_print"] == (False, "policy (HKCU)", True)


def test_registry_restriction_wins_whichever_hive_sets_it() -> None:
    env = fake_registry(
        {
            ("HKLM", POLICY_KEY): {"allow_export": (1, REG_DWORD)},
            ("HKCU", POLICY_KEY): {"allow_export": (0, REG_DWORD)},
        }
    )
    assert resolve(env=env)["allow_export"] is False


def test_registry_numbers_types_and_unknown_names() -> None:
    env = fake_registry(
        {
            ("HKLM", POLICY_KEY): {
                "zoom": (2**32 - 3, REG_DWORD),  # -3 as REG_DWORD stores it
                "allow_print": (b"\x01", 3),  # REG_BINARY: not a type the policy uses
                "colour": ("red", REG_SZ),
            }
        }
    )
    effective = resolve(env=env)
    assert effective["zoom"] == -3
    assert effective["allow_print"] is False  # unreadable: fails closed
    assert any("'colour'" in w for w in effective.warnings)


def test_macos_managed_preferences_lock_like_the_machine_policy(tmp_path: Path) -> None:
    root = tmp_path / "Managed Preferences"
    (root / "trainee").mkdir(parents=True)
    machine = {"kiosk": True, "zoom": 3}
    (root / f"{paths.BUNDLE_ID}.plist").write_bytes(plistlib.dumps(machine))
    (root / "trainee" / f"{paths.BUNDLE_ID}.plist").write_bytes(
        plistlib.dumps({"allow_print": False})
    )
    env = PolicyEnvironment((), paths.program_dir(), None, root, "trainee")
    effective = resolve(env=env)
    assert effective.entries["kiosk"].locked and effective["zoom"] == 3
    assert effective["allow_print"] is False
    (root / f"{paths.BUNDLE_ID}.plist").write_bytes(b"not a plist")
    assert resolve(env=env).lockdown is not None


def test_mobileconfig_sample_is_a_valid_profile_for_known_keys() -> None:
    profile = plistlib.loads((REPO / "packaging" / "macos" / "ketreader.mobileconfig").read_bytes())
    payload = profile["PayloadContent"][0]
    assert payload["PayloadType"] == paths.BUNDLE_ID
    from ketreader.config_schema import POLICY_KEYS

    assert set(payload) - {"PayloadType", "PayloadIdentifier", "PayloadUUID", "PayloadVersion",
                           "PayloadDisplayName"} <= set(POLICY_KEYS)  # fmt: skip


def test_portable_mode_keeps_settings_beside_the_program(isolated_user_dirs: Path) -> None:
    program = isolated_user_dirs / "program"
    assert resolve().portable is False
    assert resolve(portable=True).settings_file == program / "ketreader.ini"
    (program / "ketreader.ini").write_text("[view]\nzoom=4\n", "utf-8")
    effective = resolve()  # the file beside the program switches portable mode on
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
    monkeypatch.setattr(paths, "program_dir", lambda: read_only)
    effective = resolve(portable=True)
    assert not effective.portable
    assert effective.settings_file.is_relative_to(isolated_user_dirs)
    assert any("read-only" in w for w in effective.warnings)


def test_subcommands_follow_the_policy_content(
    isolated_user_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = write_pack(tmp_path / "room-pack", {"a.md": "# Room edition\n\n## Only here\n"})
    system_policy(isolated_user_dirs, f"[policy]\ncontent = {room}\n")
    assert main(["sections", "--json"]) == 0
    assert [e["title"] for e in json.loads(capsys.readouterr().out)] == [
        "Room edition",
        "Only here",
    ]
    assert main(["check"]) == 0
    assert str(room) in capsys.readouterr().out
