"""Policy room tests: every policy place, locks that fail closed, and `ketreader policy`."""

from __future__ import annotations

import codecs
import json
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader import paths
from ketreader.cli import main
from ketreader.policy import PolicyEnvironment, PolicyFileError, resolve
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


def test_text_table_uses_the_ini_spellings_and_a_bare_policy_shows_it(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = system_policy(isolated_user_dirs, "[policy]\nallow_export = false\n")
    assert main(["policy"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"allow_export = false  [policy ({path})] (locked)" in lines
    assert "allow_print = true  [default]" in lines
    assert "content =   [default]" in lines
    assert "theme = system  [default]" in lines
    assert not any("True" in line or "''" in line for line in lines)
    assert main(["policy", "--show"]) == 0
    assert capsys.readouterr().out.splitlines() == lines


def test_policy_option_cannot_remove_the_systems_locks(
    isolated_user_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    system_policy(
        isolated_user_dirs,
        "[policy]\nkiosk = true\nallow_print = false\nallow_open_pack = false\nzoom = 2\n",
    )
    permissive = tmp_path / "permissive.ini"
    permissive.write_text(
        "[policy]\nkiosk = false\nallow_print = true\nallow_open_pack = true\nzoom = 5\n", "utf-8"
    )
    for extra in (["--policy", os.devnull], ["--policy", str(permissive)]):
        table = show(capsys, *extra)
        assert table["kiosk"]["value"] is True and table["kiosk"]["locked"] is True
        assert table["allow_print"]["value"] is False
        assert table["allow_open_pack"]["value"] is False
        assert table["zoom"]["value"] == 2


def test_policy_option_adds_restrictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stricter = tmp_path / "stricter.ini"
    stricter.write_text("[policy]\nallow_export = false\ntheme = dark\n", "utf-8")
    table = show(capsys, "--policy", str(stricter))
    assert table["allow_export"] == {
        "value": False,
        "source": f"policy (--policy {stricter})",
        "locked": True,
    }
    assert table["theme"]["value"] == "dark" and table["theme"]["locked"] is True


def test_environment_variables_cannot_move_the_system_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path))
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path))
    monkeypatch.setenv("ProgramData", str(tmp_path))
    assert paths.SYSTEM_POLICY_FILES["linux"] == (Path("/etc/xdg/ketreader/policy.ini"),)
    assert paths.SYSTEM_POLICY_FILES["win32"] == ()  # Windows: the registry only
    assert paths.SYSTEM_POLICY_FILES["darwin"] == (
        Path("/Library/Application Support/ketreader/policy.ini"),
    )


def test_a_policy_file_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent.ini"
    assert main(["--policy", str(missing), "policy"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nonexistent.ini" in err and "not found" in err
    with pytest.raises(PolicyFileError):
        resolve(policy_file=str(missing))


@pytest.mark.parametrize(
    "encoding",
    [
        ("utf-8-sig", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_bom_and_utf16_policy_files_are_read(
    isolated_user_dirs: Path, encoding: tuple[str, bytes]
) -> None:
    codec, bom = encoding
    text = "[policy]\r\nkiosk = true\r\nallow_export = false\r\n"
    (isolated_user_dirs / "policy.ini").write_bytes(bom + text.encode(codec))
    effective = resolve()
    assert effective.lockdown is None
    assert effective["kiosk"] is True and effective.locked("kiosk")
    assert effective["allow_export"] is False
    assert effective["allow_print"] is True  # not a lockdown: only what the file says


def test_bad_values_fail_closed_and_are_named(isolated_user_dirs: Path) -> None:
    system_policy(
        isolated_user_dirs,
        "[policy]\nallow_export = flase\nkiosk = maybe\nzoom = 99\ncolour = red\n",
    )
    effective = resolve()
    text = "\n".join(effective.warnings)
    assert "'allow_export'" in text and "'kiosk'" in text and "'zoom'" in text
    assert "'colour'" in text
    assert effective["allow_export"] is False and effective.locked("allow_export")
    assert effective["kiosk"] is True
    assert effective["zoom"] == 0 and effective.locked("zoom")
    assert effective["allow_print"] is True  # untouched keys keep their defaults


@pytest.mark.parametrize(
    "damage",
    [
        b"[policy\nkiosk = false\n",  # an unclosed section header
        b"kiosk false\n",  # no = sign
        b"\xff\xfe\x00\xd8 not text",  # a UTF-16 BOM before invalid UTF-16
        b"\x80\x81 not utf-8 [[[\n",
    ],
)
def test_unreadable_policy_locks_everything_down(
    isolated_user_dirs: Path, damage: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    (isolated_user_dirs / "policy.ini").write_bytes(damage)
    effective = resolve()
    assert effective.lockdown is not None and "policy.ini" in effective.lockdown
    for key in ("allow_print", "allow_export", "allow_open_pack", "allow_external_links"):
        assert effective[key] is False and effective.locked(key)
    assert effective["kiosk"] is True and effective["reset_on_start"] is True
    assert main(["policy"]) == 0
    assert "locked down:" in capsys.readouterr().out


def test_a_folder_in_place_of_the_policy_file_locks_down(isolated_user_dirs: Path) -> None:
    (isolated_user_dirs / "policy.ini").mkdir()
    assert resolve().lockdown is not None


def test_open_pack_off_refuses_content_from_the_command_line(
    isolated_user_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    system_policy(isolated_user_dirs, "[policy]\nallow_open_pack = false\n")
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n"})
    effective = resolve(content=str(other))
    assert effective["content"] == "" and effective.entries["content"].source == "default"
    assert any("--content" in w for w in effective.warnings)
    assert main(["sections", "--content", str(other)]) == 2
    assert "disabled by the policy" in capsys.readouterr().err


def test_a_user_policy_file_cannot_choose_content_when_open_pack_is_off(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    system_policy(isolated_user_dirs, "[policy]\nallow_open_pack = false\n")
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n"})
    beside = isolated_user_dirs / "program" / "policy.ini"
    beside.write_text(f"[policy]\ncontent = {other}\n", "utf-8")
    assert resolve()["content"] == ""


def test_kiosk_alone_turns_external_links_off(isolated_user_dirs: Path) -> None:
    system_policy(isolated_user_dirs, "[policy]\nkiosk = true\n")
    effective = resolve()
    assert effective["allow_external_links"] is False and effective.locked("allow_external_links")
    assert effective.entries["allow_external_links"].source == "policy (kiosk)"
    system_policy(isolated_user_dirs, "[policy]\nkiosk = true\nallow_external_links = true\n")
    assert resolve()["allow_external_links"] is True


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


UNSHARE = shutil.which("unshare")


@pytest.mark.skipif(
    sys.platform != "linux" or UNSHARE is None or os.geteuid() != 0,
    reason="needs Linux, unshare(1) and root for a private mount namespace",
)
def test_the_real_system_path_in_a_private_mount_namespace(tmp_path: Path) -> None:
    """The real /etc/xdg/ketreader/policy.ini, bind-mounted where only this process sees it."""
    xdg = tmp_path / "xdg"
    (xdg / "ketreader").mkdir(parents=True)
    (xdg / "ketreader" / "policy.ini").write_text("[policy]\nallow_export = false\n", "utf-8")
    script = (
        f"mount --bind {xdg} /etc/xdg && "
        f"{sys.executable} -m ketreader --policy {os.devnull} policy --json"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    result = subprocess.run(
        [UNSHARE or "unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert table["allow_export"] == {
        "value": False,
        "source": "policy (/etc/xdg/ketreader/policy.ini)",
        "locked": True,
    }
    assert not Path("/etc/xdg/ketreader/policy.ini").exists() or (
        "allow_export" not in Path("/etc/xdg/ketreader/policy.ini").read_text("utf-8")
    )
