"""Policy room rules: precedence between places, what user places may add, warnings' wording."""

from __future__ import annotations

import getpass
import logging
import sys
from pathlib import Path

import pytest

from ketreader import paths, policy
from ketreader.config_schema import SETTINGS, Value
from ketreader.policy import Entry, PolicyEnvironment, gather_sources, resolve
from ketreader.policy_registry import POLICY_KEY, REG_DWORD, REG_SZ
from ketreader.policy_sources import parse_policy_ini, read_policy_file


def two_places(home: Path, high: str, low: str) -> tuple[PolicyEnvironment, Path, Path]:
    """Two admin policy files, ``high`` read before (above) ``low``."""
    first, second = home / "high.ini", home / "low.ini"
    first.write_text(high, "utf-8")
    second.write_text(low, "utf-8")
    return PolicyEnvironment((first, second), home / "program"), first, second


def policy_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mine.ini"
    path.write_text(text, "utf-8")
    return str(path)


def test_a_bad_value_is_named_and_falls_back_to_the_restrictive_one(
    isolated_user_dirs: Path,
) -> None:
    path = isolated_user_dirs / "policy.ini"
    path.write_text("[policy]\nzoom = 99\nallow_print = maybe\nkiosk = perhaps\n", "utf-8")
    effective = resolve()
    assert effective.warnings == [
        f"{path}: bad value for policy key 'zoom' (expected -6 to 12); using 0",
        f"{path}: bad value for policy key 'allow_print' (expected true or false); using false",
        f"{path}: bad value for policy key 'kiosk' (expected true or false); using true",
    ]
    source = f"policy ({path})"
    assert effective.entries["zoom"] == Entry(0, source, True)
    assert effective.entries["allow_print"] == Entry(False, source, True)
    assert effective.entries["kiosk"] == Entry(True, source, True)


def test_a_bad_text_value_falls_back_to_empty_and_says_so() -> None:
    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        return {"content": (5, REG_DWORD)} if (hive, key) == ("HKLM", POLICY_KEY) else None

    effective = resolve(env=PolicyEnvironment((), paths.program_dir(), reader))
    assert effective.warnings == [
        "HKLM: bad value for policy key 'content' (expected text); using empty"
    ]
    assert effective.entries["content"] == Entry("", "policy (HKLM)", True)


def test_unknown_and_unlockable_keys_are_ignored_by_name(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "policy.ini"
    path.write_text("[policy]\ncolour = red\nsidebar_visible = false\n", "utf-8")
    effective = resolve()
    assert effective.warnings == [
        f"{path}: unknown policy key 'colour' ignored",
        f"{path}: unknown policy key 'sidebar_visible' ignored",
    ]
    assert effective.entries["sidebar_visible"] == Entry(True, "default", False)


def test_only_user_settings_can_be_recommended(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "policy.ini"
    path.write_text("[recommended]\nkiosk = true\ncolour = red\nzoom = 40\n", "utf-8")
    effective = resolve()
    assert effective.warnings == [
        f"{path}: 'kiosk' ignored: only user settings can be recommended",
        f"{path}: unknown policy key 'colour' ignored",
        f"{path}: bad value for policy key 'zoom' (expected -6 to 12); using 0",
    ]
    assert effective.entries["kiosk"] == Entry(False, "default", False)
    assert effective.entries["zoom"] == Entry(0, f"recommended ({path})", False)


def test_the_higher_place_recommends_and_locks_first(isolated_user_dirs: Path) -> None:
    env, high, low = two_places(
        isolated_user_dirs,
        "[recommended]\ntheme = dark\n[policy]\nzoom = 2\n",
        "[recommended]\ntheme = light\nzoom = 1\n[policy]\nzoom = 3\n",
    )
    effective = resolve(env=env)
    assert effective.entries["theme"] == Entry("dark", f"recommended ({high})", False)
    assert effective.entries["zoom"] == Entry(2, f"policy ({high})", True)
    assert effective.warnings == []
    assert [s.name for s in gather_sources(env, None)] == [str(high), str(low)]


@pytest.mark.parametrize(
    ("high", "low", "value", "where"),
    [
        ("allow_print = true", "allow_print = false", False, "low"),
        ("allow_print = false", "allow_print = true", False, "high"),
        ("allow_print = false", "allow_print = false", False, "high"),
        ("allow_print = true", "allow_print = true", True, "high"),
        ("kiosk = false", "kiosk = true", True, "low"),
    ],
)
def test_a_restriction_in_any_admin_place_wins(
    isolated_user_dirs: Path, high: str, low: str, value: bool, where: str
) -> None:
    env, first, second = two_places(isolated_user_dirs, high, low)
    key = high.split(" ")[0]
    path = first if where == "high" else second
    assert resolve(env=env).entries[key] == Entry(value, f"policy ({path})", True)


def test_a_kiosk_closes_the_ways_out_the_policy_leaves_open(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "policy.ini"
    path.write_text("[policy]\nkiosk = true\n", "utf-8")
    entries = resolve().entries
    assert entries["allow_external_links"] == Entry(False, "policy (kiosk)", True)
    assert entries["allow_open_pack"] == Entry(False, "policy (kiosk)", True)
    assert entries["allow_print"] == Entry(True, "default", False)
    path.write_text("[policy]\nkiosk = true\nallow_external_links = true\n", "utf-8")
    entries = resolve().entries
    assert entries["allow_external_links"] == Entry(True, f"policy ({path})", True)
    assert entries["allow_open_pack"] == Entry(False, "policy (kiosk)", True)
    path.write_text("[policy]\nkiosk = false\n", "utf-8")
    assert resolve().entries["allow_open_pack"] == Entry(True, "default", False)


def test_a_user_place_may_add_restrictions_only(tmp_path: Path) -> None:
    mine = policy_file(
        tmp_path, "[policy]\nallow_print = false\nallow_export = true\ntheme = dark\n"
    )
    effective = resolve(policy_file=mine)
    source = f"policy (--policy {mine})"
    assert effective.entries["allow_print"] == Entry(False, source, True)
    assert effective.entries["allow_export"] == Entry(True, "default", False)
    assert effective.entries["theme"] == Entry("dark", source, True)
    assert effective.warnings == [
        f"--policy {mine}: 'allow_export' ignored: it can only add restrictions"
    ]


def test_a_user_place_does_not_replace_what_an_admin_locked(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    admin = isolated_user_dirs / "policy.ini"
    admin.write_text("[policy]\ntheme = light\nallow_print = false\n", "utf-8")
    mine = policy_file(
        tmp_path, "[policy]\ntheme = dark\nallow_print = false\nkiosk = true\nzoom = 3\n"
    )
    effective = resolve(policy_file=mine)
    assert effective.entries["theme"] == Entry("light", f"policy ({admin})", True)
    assert effective.entries["zoom"] == Entry(3, f"policy (--policy {mine})", True)
    assert effective.entries["allow_print"] == Entry(False, f"policy ({admin})", True)
    assert effective.entries["kiosk"] == Entry(True, f"policy (--policy {mine})", True)
    assert effective.warnings == []


def test_a_user_place_reads_its_restrictions_before_it_names_a_pack(tmp_path: Path) -> None:
    mine = policy_file(tmp_path, "[policy]\ncontent = /packs/other\nallow_open_pack = false\n")
    effective = resolve(policy_file=mine)
    assert effective.entries["content"] == Entry("", "default", False)
    assert effective.entries["allow_open_pack"] == Entry(False, f"policy (--policy {mine})", True)
    assert effective.warnings == [
        f"--policy {mine}: 'content' ignored: opening other packs is disabled"
    ]


def test_a_kiosk_a_user_place_adds_closes_open_pack_before_its_pack(tmp_path: Path) -> None:
    mine = policy_file(tmp_path, "[policy]\ncontent = /packs/other\nkiosk = true\n")
    effective = resolve(policy_file=mine)
    assert effective.entries["content"] == Entry("", "default", False)
    assert effective.entries["allow_open_pack"] == Entry(False, "policy (kiosk)", True)
    assert effective.warnings == [
        f"--policy {mine}: 'content' ignored: opening other packs is disabled"
    ]


def test_a_user_place_may_name_a_pack_when_opening_is_allowed(tmp_path: Path) -> None:
    mine = policy_file(tmp_path, "[policy]\ncontent = /packs/other\n")
    effective = resolve(policy_file=mine)
    assert effective.entries["content"] == Entry("/packs/other", f"policy (--policy {mine})", True)
    assert effective.entries["allow_open_pack"] == Entry(True, "default", False)
    assert effective.warnings == []


def test_a_user_places_warnings_come_in_reading_order(tmp_path: Path) -> None:
    # Restrictions (booleans) are read first, then values and unknown keys in file order.
    mine = policy_file(
        tmp_path, "[policy]\ncolour = red\nzoom = 99\nallow_export = true\nkiosk = maybe\n"
    )
    effective = resolve(policy_file=mine)
    where = f"--policy {mine}"
    assert effective.warnings == [
        f"{where}: 'allow_export' ignored: it can only add restrictions",
        f"{where}: bad value for policy key 'kiosk' (expected true or false); using true",
        f"{where}: unknown policy key 'colour' ignored",
        f"{where}: bad value for policy key 'zoom' (expected -6 to 12); using 0",
    ]
    assert effective.entries["kiosk"] == Entry(True, f"policy ({where})", True)
    assert effective.entries["zoom"] == Entry(0, f"policy ({where})", True)


def test_a_policy_beside_the_program_is_a_user_place(isolated_user_dirs: Path) -> None:
    beside = isolated_user_dirs / "program" / "policy.ini"
    beside.write_text("[policy]\nallow_print = true\nallow_export = false\n", "utf-8")
    effective = resolve()
    assert effective.entries["allow_export"] == Entry(False, f"policy ({beside})", True)
    assert effective.entries["allow_print"] == Entry(True, "default", False)
    assert effective.warnings == [f"{beside}: 'allow_print' ignored: it can only add restrictions"]


def test_an_unreadable_place_locks_everything_down_naming_the_first(
    isolated_user_dirs: Path,
) -> None:
    env, high, _ = two_places(isolated_user_dirs, "[policy\n", "kiosk = tr\x00ue\n")
    effective = resolve(env=env)
    assert effective.lockdown == f"{high}: line 1: unclosed section header"
    assert effective.warnings == [
        f"{high}: line 1: unclosed section header; every setting is locked to its most"
        " restrictive value"
    ]
    source = f"lockdown ({high})"
    expected: dict[str, Value] = {
        "kiosk": True,
        "reset_on_start": True,
        "allow_print": False,
        "allow_export": False,
        "allow_open_pack": False,
        "allow_external_links": False,
        "allow_read_aloud": False,
        "content": "",
        "theme": "system",
        "zoom": 0,
    }
    assert {k: e for k, e in effective.entries.items() if e.locked} == {
        k: Entry(v, source, True) for k, v in expected.items()
    }
    assert effective.entries["sidebar_visible"] == Entry(True, "default", False)
    assert {s.key for s in SETTINGS if s.lockable} == set(expected)


def test_the_user_file_counts_unless_reset_on_start(isolated_user_dirs: Path) -> None:
    user = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    user.parent.mkdir(parents=True)
    user.write_text("[view]\nzoom = 3\n", "utf-8")
    system = isolated_user_dirs / "policy.ini"
    system.write_text("[policy]\nreset_on_start = false\n", "utf-8")
    assert resolve().entries["zoom"] == Entry(3, "user", False)
    system.write_text("[policy]\nreset_on_start = true\n", "utf-8")
    assert resolve().entries["zoom"] == Entry(0, "default", False)


def test_the_command_line_sets_theme_and_pack_below_the_policy(
    isolated_user_dirs: Path,
) -> None:
    effective = resolve(theme="dark", content="/packs/other")
    assert effective.entries["theme"] == Entry("dark", "command line", False)
    assert effective.entries["content"] == Entry("/packs/other", "command line", False)
    assert effective.warnings == []
    system = isolated_user_dirs / "policy.ini"
    system.write_text("[policy]\ntheme = light\nallow_open_pack = false\n", "utf-8")
    effective = resolve(theme="dark", content="/packs/other")
    assert effective.entries["theme"] == Entry("light", f"policy ({system})", True)
    assert effective.entries["content"] == Entry("", "default", False)
    assert effective.warnings == [
        "--content ignored: opening other packs is disabled by the policy",
        "command line: 'theme' ignored: the policy sets it",
    ]


def test_a_policy_that_allows_opening_keeps_the_command_line_pack(
    isolated_user_dirs: Path,
) -> None:
    (isolated_user_dirs / "policy.ini").write_text("[policy]\nallow_open_pack = true\n", "utf-8")
    effective = resolve(content="/packs/other")
    assert effective.entries["content"] == Entry("/packs/other", "command line", False)
    assert effective.warnings == []


def test_the_user_files_warnings_come_last(isolated_user_dirs: Path) -> None:
    user = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    user.parent.mkdir(parents=True)
    user.write_text("[view]\nzoom = 99\n", "utf-8")
    (isolated_user_dirs / "policy.ini").write_text("[policy]\ncolour = red\n", "utf-8")
    effective = resolve()
    assert len(effective.user_settings.warnings) == 1
    assert effective.warnings == [
        f"{isolated_user_dirs / 'policy.ini'}: unknown policy key 'colour' ignored",
        *effective.user_settings.warnings,
    ]


def test_the_table_spelled_for_people_and_for_json(isolated_user_dirs: Path) -> None:
    path = isolated_user_dirs / "policy.ini"
    path.write_text("[policy]\nallow_print = false\n[recommended]\nzoom = 2\n", "utf-8")
    effective = resolve()
    lines = effective.lines()
    assert f"allow_print = false  [policy ({path})] (locked)" in lines
    assert f"zoom = 2  [recommended ({path})]" in lines
    assert "content =   [default]" in lines
    assert len(lines) == len(SETTINGS)
    table = effective.as_json()
    assert table["allow_print"] == {"value": False, "source": f"policy ({path})", "locked": True}
    assert table["zoom"] == {"value": 2, "source": f"recommended ({path})", "locked": False}
    assert list(table) == [s.key for s in SETTINGS]
    assert effective.flag("allow_export") is True and effective.flag("allow_print") is False
    assert effective.locked("allow_print") and not effective.locked("zoom")
    assert effective["zoom"] == 2


def test_every_place_is_gathered_highest_first(isolated_user_dirs: Path, tmp_path: Path) -> None:
    import plistlib

    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        return {"zoom": (1, REG_DWORD)} if key == POLICY_KEY else None

    managed = tmp_path / "managed"
    (managed / "ann").mkdir(parents=True)
    for folder in (managed, managed / "ann"):
        (folder / f"{paths.BUNDLE_ID}.plist").write_bytes(plistlib.dumps({"zoom": 2}))
    system = isolated_user_dirs / "policy.ini"
    system.write_text("zoom = 3\n", "utf-8")
    beside = isolated_user_dirs / "program" / "policy.ini"
    beside.write_text("kiosk = true\n", "utf-8")
    mine = policy_file(tmp_path, "allow_print = false\n")
    env = PolicyEnvironment((system,), isolated_user_dirs / "program", reader, managed, "ann")
    sources = gather_sources(env, mine)
    assert [(s.name, s.admin) for s in sources] == [
        ("HKLM", True),
        ("HKCU", True),
        (str(managed / f"{paths.BUNDLE_ID}.plist"), True),
        (str(managed / "ann" / f"{paths.BUNDLE_ID}.plist"), True),
        (str(system), True),
        (str(beside), False),
        (f"--policy {mine}", False),
    ]
    assert gather_sources(env._replace(managed_root=None), None)[2:] == sources[4:6]


def test_the_real_places_for_linux_and_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    env = policy.environment()
    assert env == PolicyEnvironment(paths.system_policy_files(), paths.program_dir())
    monkeypatch.setattr(getpass, "getuser", lambda: "trainee")
    monkeypatch.setattr(sys, "platform", "darwin")
    env = policy.environment()
    assert env == PolicyEnvironment(
        paths.system_policy_files(),
        paths.program_dir(),
        None,
        paths.MANAGED_PREFERENCES,
        "trainee",
    )


@pytest.mark.parametrize("error", [KeyError, OSError])
def test_no_user_name_reads_no_user_profile(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def fail() -> str:
        raise error("no such user")

    monkeypatch.setattr(getpass, "getuser", fail)
    assert policy._user_name(Path("/managed")) == ""
    assert policy._user_name(None) == ""


def test_a_read_only_portable_folder_names_the_fallback(
    monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path
) -> None:
    monkeypatch.setattr(policy, "_can_write", lambda folder: False)
    program = isolated_user_dirs / "program"
    warnings: list[str] = []
    found = policy.settings_location(True, program, warnings)
    user_path = isolated_user_dirs / "config" / "ketreader" / "ketreader.ini"
    assert found == (user_path, False)
    assert warnings == [f"{program}: portable folder is read-only; using {user_path}"]
    assert policy.settings_location(False, program, []) == (user_path, False)


def test_a_writable_folder_is_found_writable(tmp_path: Path) -> None:
    assert policy._can_write(tmp_path)
    assert not policy._can_write(tmp_path / "missing")


def test_a_trailing_comment_ends_at_its_first_marker() -> None:
    locked, _, _ = parse_policy_ini("theme = dark\t; one\t; two\ncontent = a ; b ; c\n")
    assert locked == {"theme": "dark", "content": "a"}


def test_an_unknown_sections_complaint_is_logged_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "policy.ini"
    path.write_text("[extra]\nkiosk = true\n", "utf-8")
    with caplog.at_level(logging.WARNING):
        source = read_policy_file(path, admin=True)
    assert source is not None and source.locked == {"kiosk": "true"}
    assert f"{path}: line 1: unknown section [extra] read as [policy]" in caplog.messages


def test_every_warning_is_logged_as_written(
    isolated_user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (isolated_user_dirs / "policy.ini").write_text("[policy]\n100% = true\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="ketreader.policy"):
        effective = resolve()
    assert effective.warnings == [
        f"{isolated_user_dirs / 'policy.ini'}: unknown policy key '100%' ignored"
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "ketreader.policy"] == (
        effective.warnings
    )


def test_a_table_made_without_the_users_file_reads_it_from_its_path(tmp_path: Path) -> None:
    path = tmp_path / "ketreader.ini"
    path.write_text("[view]\nzoom = 2\n", "utf-8")
    effective = policy.Effective({}, path, False, [])
    assert effective.user_settings.path == path
    assert effective.user_settings.values()["zoom"] == 2
    assert effective.lockdown is None and not effective.portable


# -- the Windows registry --------------------------------------------------------------------


def test_registry_values_must_have_their_settings_type() -> None:
    from ketreader.policy_registry import REG_EXPAND_SZ, _typed

    typed = _typed(
        {
            "kiosk": (1, REG_DWORD),
            "zoom": (3, REG_DWORD),
            "theme": ("dark", REG_SZ),
            "content": ("%USERPROFILE%\\pack", REG_EXPAND_SZ),
            "allow_print": ("0", REG_SZ),  # text for a boolean: a mistake
            "allow_export": (0, 11),  # REG_QWORD
            "allow_open_pack": ("1", REG_DWORD),  # data that does not fit the type
            "theme2": ("x", REG_SZ),  # unknown names pass, to be reported by name
            "colour": (5, REG_DWORD),
        }
    )
    assert {k: v for k, v in typed.items() if isinstance(v, (int, str))} == {
        "kiosk": 1,
        "zoom": 3,
        "theme": "dark",
        "content": "%USERPROFILE%\\pack",
        "theme2": "x",
        "colour": 5,
    }
    assert [str(typed[k]) for k in ("allow_print", "allow_export", "allow_open_pack")] == [
        "<registry type 1>",
        "<registry type 11>",
        "<registry type 4>",
    ]
    text = _typed({"theme": (1, REG_DWORD)})["theme"]
    assert str(text) == "<registry type 4>"


def test_a_registry_value_of_the_wrong_type_fails_closed_by_name() -> None:
    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        if (hive, key) == ("HKCU", POLICY_KEY):
            return {"allow_print": ("0", REG_SZ), "theme": (2, REG_DWORD)}
        return None

    effective = resolve(env=PolicyEnvironment((), paths.program_dir(), reader))
    assert effective.warnings == [
        "HKCU: bad value for policy key 'allow_print' (expected true or false); using false",
        "HKCU: bad value for policy key 'theme' (expected text); using system",
    ]
    assert effective.entries["allow_print"] == Entry(False, "policy (HKCU)", True)


def test_registry_places_machine_then_user_and_unreadable_keys() -> None:
    from ketreader.policy_registry import RECOMMENDED_KEY, RegistryError, registry_sources
    from ketreader.policy_sources import PolicySource

    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        if hive == "HKLM":
            raise RegistryError("Access is denied")
        return {"zoom": (2, REG_DWORD)} if key == RECOMMENDED_KEY else None

    assert registry_sources(reader) == [
        PolicySource("HKLM", {}, {}, "cannot be read (Access is denied)"),
        PolicySource("HKCU", {}, {"zoom": 2}),
    ]
    assert registry_sources(lambda hive, key: None) == []
    assert registry_sources() == []  # no registry off Windows
    effective = resolve(env=PolicyEnvironment((), paths.program_dir(), reader))
    assert effective.lockdown == "HKLM: cannot be read (Access is denied)"


def test_the_registry_is_read_only_on_windows() -> None:
    from ketreader.policy_registry import RegistryError, read_registry

    with pytest.raises(RegistryError, match=r"^the registry exists only on Windows$"):
        read_registry("HKLM", POLICY_KEY)


# -- policy files ----------------------------------------------------------------------------


def test_ini_headers_keys_and_values_are_read_loosely() -> None:
    text = (
        "[ Recommended ]\n"
        "  Theme  :  dark  \n"
        "[\tPOLICY\t]\n"
        "content = a=b:c\n"
        "zoom=1\n"
        "zoom=2\n"
        "#kiosk = true\n"
        " ; allow_print = false\n"
        "allow_export = false;not a comment\n"
        "sep: x = y\n"
    )
    locked, recommended, complaints = parse_policy_ini(text)
    assert recommended == {"theme": "dark"}
    assert locked == {
        "content": "a=b:c",
        "zoom": "2",
        "allow_export": "false;not a comment",
        "sep: x": "y",
    }
    assert complaints == []


def test_an_unclosed_header_is_an_error_even_for_a_known_section() -> None:
    with pytest.raises(ValueError, match=r"^line 2: unclosed section header$"):
        parse_policy_ini("\n[recommended\n")
    with pytest.raises(ValueError, match=r"^line 1: expected key = value$"):
        parse_policy_ini("kiosk\n")


def test_every_unknown_section_is_named(tmp_path: Path) -> None:
    locked, recommended, complaints = parse_policy_ini(
        "[a]\nzoom = 1\n[recommended]\ntheme = dark\n[B]\nkiosk = true\n"
    )
    assert locked == {"zoom": "1", "kiosk": "true"} and recommended == {"theme": "dark"}
    assert complaints == [
        "line 1: unknown section [a] read as [policy]",
        "line 5: unknown section [b] read as [policy]",
    ]


def test_a_policy_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    from ketreader.policy_sources import MAX_POLICY_BYTES

    path = tmp_path / "policy.ini"
    line = b"kiosk = true\n"
    path.write_bytes(line + b";" * (MAX_POLICY_BYTES - len(line)))
    source = read_policy_file(path, admin=True)
    assert source is not None and source.error is None and source.locked == {"kiosk": "true"}


def test_a_nul_in_a_key_or_a_recommended_value_locks_down(tmp_path: Path) -> None:
    path = tmp_path / "policy.ini"
    for text in ("[recommended]\ntheme = da\x00rk\n", "ki\x00osk = true\n"):
        path.write_text(text, "utf-8")
        source = read_policy_file(path, admin=False)
        assert source is not None and source.error == "contains NUL characters"
        assert source.admin is False


def test_an_unreadable_file_without_a_reason_names_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader import bounded_read

    def fail(path: Path, count: int, *, regular_only: bool = True) -> bytes:
        raise OSError("device went away")

    monkeypatch.setattr(bounded_read, "read_at_most", fail)
    source = read_policy_file(tmp_path / "policy.ini", admin=True)
    assert source is not None and source.error == "cannot be read (device went away)"


def test_a_fifo_in_place_of_a_policy_file_locks_down(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs are a POSIX feature")
    path = tmp_path / "policy.ini"
    os.mkfifo(path)
    source = read_policy_file(path, admin=True)
    assert source is not None and source.error is not None
    assert source.locked == {} and source.recommended == {}


def test_managed_preferences_keys_are_lower_case_and_errors_name_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plistlib

    from ketreader.policy_sources import PolicySource, read_managed_preferences

    machine = tmp_path / "org.example.plist"
    machine.write_bytes(plistlib.dumps({"Kiosk": True, "ZOOM": 2}))
    assert read_managed_preferences(tmp_path, "org.example", "nobody") == [
        PolicySource(str(machine), {"kiosk": True, "zoom": 2}, {})
    ]
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == machine:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read_managed_preferences(tmp_path, "org.example", "nobody") == [
        PolicySource(str(machine), {}, {}, "cannot be read (Permission denied)")
    ]


def test_an_unknown_sections_complaint_goes_to_the_policy_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "policy.ini"
    path.write_text("[extra]\nkiosk = true\n", "utf-8")
    with caplog.at_level(logging.WARNING):
        read_policy_file(path, admin=True)
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("ketreader.policy", f"{path}: line 1: unknown section [extra] read as [policy]")
    ]


def test_on_windows_the_registry_itself_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketreader import policy_registry
    from ketreader.policy_sources import PolicySource

    def reader(hive: str, key: str) -> dict[str, tuple[object, int]] | None:
        return {"zoom": (1, REG_DWORD)} if (hive, key) == ("HKLM", POLICY_KEY) else None

    monkeypatch.setattr(policy_registry, "read_registry", reader)
    assert policy_registry.registry_sources() == []  # not on Windows
    monkeypatch.setattr(sys, "platform", "win32")
    assert policy_registry.registry_sources() == [PolicySource("HKLM", {"zoom": 1}, {})]


def test_the_registry_reader_lists_a_keys_values_by_lower_case_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import types

    from ketreader import policy_registry

    keys: dict[tuple[int, str], list[tuple[str, object, int]] | OSError] = {
        (1, POLICY_KEY): [("Kiosk", 1, REG_DWORD), ("THEME", "dark", REG_SZ)],
        (2, POLICY_KEY): PermissionError(5, "Access is denied"),
    }
    opened: list[tuple[int, str, int, int]] = []

    class Handle:
        def __init__(self, values: list[tuple[str, object, int]]) -> None:
            self.values = values

        def __enter__(self) -> Handle:
            return self

        def __exit__(self, *_: object) -> None:
            pass

    def open_key(root: int, key: str, reserved: int, access: int) -> Handle:
        opened.append((root, key, reserved, access))
        found = keys.get((root, key))
        if found is None:
            raise FileNotFoundError(2, "not found")
        if isinstance(found, OSError):
            raise found
        return Handle(found)

    def enum_value(handle: Handle, index: int) -> tuple[str, object, int]:
        if index >= len(handle.values):
            raise OSError(259, "No more data is available")
        return handle.values[index]

    fake = types.SimpleNamespace(
        HKEY_LOCAL_MACHINE=1, HKEY_CURRENT_USER=2, KEY_READ=0x20019,
        OpenKey=open_key, EnumValue=enum_value,
    )  # fmt: skip
    monkeypatch.setitem(sys.modules, "winreg", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    assert policy_registry.read_registry("HKLM", POLICY_KEY) == {
        "kiosk": (1, REG_DWORD),
        "theme": ("dark", REG_SZ),
    }
    assert opened == [(1, POLICY_KEY, 0, 0x20019)]
    assert policy_registry.read_registry("HKLM", "Software\\Other") is None
    with pytest.raises(policy_registry.RegistryError, match="Access is denied"):
        policy_registry.read_registry("HKCU", POLICY_KEY)
