"""Policy room: reading one policy place, an INI file or a macOS managed-preferences plist."""

from __future__ import annotations

import codecs
import os
import plistlib
from pathlib import Path

import pytest

from ketreader.policy_sources import (
    MAX_POLICY_BYTES,
    PolicyFileError,
    PolicySource,
    decode_policy,
    parse_policy_ini,
    read_managed_preferences,
    read_policy_file,
)

BUNDLE = "org.example.reader"


@pytest.mark.parametrize(
    "raw",
    [
        b"kiosk = true",
        codecs.BOM_UTF8 + b"kiosk = true",
        codecs.BOM_UTF16_LE + "kiosk = true".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "kiosk = true".encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be"],
)
def test_every_encoding_an_admins_editor_writes_decodes_to_the_same_text(raw: bytes) -> None:
    assert decode_policy(raw) == "kiosk = true"


def test_ini_lines_comments_and_tiers() -> None:
    text = (
        "; a comment\n# another\n\n"
        "Kiosk = true ; trailing comment\n"
        "[Recommended]\n"
        "theme: dark\t; tab comment\n"
        "[policy]\n"
        "content = C:\\packs\\a=b.ketpack\n"
        "zoom = 2 ; one ; two\n"
    )
    locked, recommended, complaints = parse_policy_ini(text)
    assert locked == {"kiosk": "true", "content": "C:\\packs\\a=b.ketpack", "zoom": "2"}
    assert recommended == {"theme": "dark"}
    assert complaints == []


def test_lines_before_any_section_and_unknown_sections_lock() -> None:
    locked, recommended, complaints = parse_policy_ini("zoom = 1\n[Extra]\nkiosk = true\n")
    assert locked == {"zoom": "1", "kiosk": "true"} and recommended == {}
    assert complaints == ["line 2: unknown section [extra] read as [policy]"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[policy\nkiosk = true\n", "line 1: unclosed section header"),
        ("[policy]\n\nkiosk true\n", "line 3: expected key = value"),
    ],
)
def test_a_damaged_ini_is_an_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_policy_ini(text)


def test_a_policy_file_is_read_with_its_name_and_tier(tmp_path: Path) -> None:
    path = tmp_path / "policy.ini"
    path.write_text("[policy]\nkiosk = true\n[recommended]\nzoom = 1\n", "utf-8")
    assert read_policy_file(path, admin=False) == PolicySource(
        str(path), {"kiosk": "true"}, {"zoom": "1"}, None, False
    )


def test_a_missing_file_is_nothing_unless_it_was_named(tmp_path: Path) -> None:
    missing = tmp_path / "none.ini"
    assert read_policy_file(missing, admin=True) is None
    with pytest.raises(PolicyFileError, match=r"none\.ini: policy file not found"):
        read_policy_file(missing, admin=True, required=True)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"x" * (MAX_POLICY_BYTES + 1), f"larger than {MAX_POLICY_BYTES} bytes"),
        (b"kiosk = \xff\n", "not UTF-8 or UTF-16 (byte 8)"),
        (b"[policy\n", "line 1: unclosed section header"),
        (b"kiosk = tr\x00ue\n", "contains NUL characters"),
    ],
    ids=["too-large", "bad-bytes", "damaged", "nul"],
)
def test_an_unreadable_file_is_an_error_not_a_silence(
    tmp_path: Path, content: bytes, error: str
) -> None:
    path = tmp_path / "policy.ini"
    path.write_bytes(content)
    source = read_policy_file(path, admin=True)
    assert source == PolicySource(str(path), {}, {}, error, True)


def test_a_folder_or_a_file_without_permission_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "policy.ini"
    folder.mkdir()
    assert read_policy_file(folder, admin=True) == PolicySource(
        str(folder), {}, {}, "is a folder, not a file", True
    )
    if os.geteuid() == 0:
        return  # root reads any file; the folder case above is the one that applies
    path = tmp_path / "locked.ini"
    path.write_text("kiosk = true", "utf-8")
    path.chmod(0)
    source = read_policy_file(path, admin=True)
    assert source is not None and source.error == "cannot be read (Permission denied)"


def _plist(path: Path, data: dict[str, object] | list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(plistlib.dumps(data))


def test_managed_preferences_machine_then_user(tmp_path: Path) -> None:
    _plist(tmp_path / f"{BUNDLE}.plist", {"Kiosk": True})
    _plist(tmp_path / "ann" / f"{BUNDLE}.plist", {"zoom": 2})
    assert read_managed_preferences(tmp_path, BUNDLE, "ann") == [
        PolicySource(str(tmp_path / f"{BUNDLE}.plist"), {"kiosk": True}, {}),
        PolicySource(str(tmp_path / "ann" / f"{BUNDLE}.plist"), {"zoom": 2}, {}),
    ]


def test_a_user_profile_counts_without_a_machine_one(tmp_path: Path) -> None:
    _plist(tmp_path / "ann" / f"{BUNDLE}.plist", {"zoom": 2})
    found = read_managed_preferences(tmp_path, BUNDLE, "ann")
    assert found == [PolicySource(str(tmp_path / "ann" / f"{BUNDLE}.plist"), {"zoom": 2}, {})]


def test_damaged_profiles_are_errors_naming_them(tmp_path: Path) -> None:
    machine = tmp_path / f"{BUNDLE}.plist"
    machine.write_bytes(b"not a plist")
    _plist(tmp_path / "ann" / f"{BUNDLE}.plist", ["a", "list"])
    first, second = read_managed_preferences(tmp_path, BUNDLE, "ann")
    assert (first.name, first.locked, first.recommended) == (str(machine), {}, {})
    assert first.error is not None and first.error.startswith("not a property list (")
    assert second == PolicySource(
        str(tmp_path / "ann" / f"{BUNDLE}.plist"), {}, {}, "not a dictionary of settings"
    )


def test_an_unreadable_profile_is_an_error_and_the_next_is_still_read(tmp_path: Path) -> None:
    (tmp_path / f"{BUNDLE}.plist").mkdir(parents=True)  # reading a folder fails
    _plist(tmp_path / "ann" / f"{BUNDLE}.plist", {"zoom": 1})
    first, second = read_managed_preferences(tmp_path, BUNDLE, "ann")
    assert first == PolicySource(
        str(tmp_path / f"{BUNDLE}.plist"), {}, {}, "cannot be read (Is a directory)"
    )
    assert second.locked == {"zoom": 1}
