"""Settings room: the user's INI file read, typed, kept aside when broken and written whole."""

from __future__ import annotations

import logging
import os
import zlib
from pathlib import Path

import pytest

from ketreader import settings as settings_module
from ketreader.config_schema import ZOOM_MAX, ZOOM_MIN
from ketreader.policy import Effective, Entry
from ketreader.preferences import LOCKED_TIP, Preferences
from ketreader.settings import KEPT_POSITIONS, MAX_SETTINGS_BYTES, UserSettings


def settings_at(tmp_path: Path, text: str | bytes) -> UserSettings:
    path = tmp_path / "cfg" / "ketreader.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return UserSettings(path)


def test_the_limits_are_the_documented_figures() -> None:
    assert (MAX_SETTINGS_BYTES, KEPT_POSITIONS) == (256 * 1024, 16)
    assert LOCKED_TIP == "Set by your administrator"


# -- reading ----------------------------------------------------------------------------------


def test_a_missing_file_means_defaults_without_a_warning(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "none.ini")
    assert (user.values(), user.warnings) == ({}, [])
    assert user.save()  # nothing changed: nothing written
    assert not (tmp_path / "none.ini").exists()


def test_the_file_is_read_by_section_with_comments_and_spaces_ignored(tmp_path: Path) -> None:
    user = settings_at(
        tmp_path,
        "\ufeff; comment\n# another\n  [ view ]  \n theme =  dark \nzoom=3\nno separator\n"
        "\n[window]\ngeometry = AAEC\n[]\nloose = x=y\n",
    )
    assert user.values() == {"theme": "dark", "zoom": 3}
    assert user.state("window", "geometry") == b"\x00\x01\x02"
    assert user._raw("", "loose") == "x=y"
    assert user._raw("view", "no separator") is None
    assert user.warnings == []


def test_keys_before_any_section_belong_to_none(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "zoom = 2\n[view]\n")
    assert user.values() == {}


def test_bad_values_are_ignored_with_a_warning_naming_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ketreader.settings"):
        user = settings_at(tmp_path, "[view]\nzoom = 99\ntheme = dark\nsidebar_visible = maybe\n")
        assert user.values() == {"theme": "dark"}
    assert user.warnings == [
        f"{user.path}: ignoring bad value for zoom (expected {ZOOM_MIN} to {ZOOM_MAX})",
        f"{user.path}: ignoring bad value for sidebar_visible (expected true or false)",
    ]
    assert user.warnings[0] in caplog.text


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    head = "[view]\nzoom = 2\n;"
    user = settings_at(tmp_path, head + "x" * (MAX_SETTINGS_BYTES - len(head)))
    assert user.values() == {"zoom": 2}
    assert list(tmp_path.glob("cfg/*unreadable*")) == []


def test_a_file_past_the_size_limit_is_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ketreader.settings.time.time", lambda: 1234.9)
    head = "[view]\nzoom = 2\n;"
    user = settings_at(tmp_path, head + "x" * (MAX_SETTINGS_BYTES + 1 - len(head)))
    assert user.values() == {}
    backup = user.path.with_name("ketreader.ini.unreadable-1234")
    assert user.warnings == [f"{user.path}: unreadable; moved aside as {backup.name}"]
    assert not user.path.exists() and backup.stat().st_size == MAX_SETTINGS_BYTES + 1


def test_a_file_that_is_not_utf8_is_copied_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = settings_at(tmp_path, b"[view]\nzoom = \xff\n")
    # Named for what it holds (CRC-32), so the same bytes are kept once, not once per run.
    crc = zlib.crc32(b"[view]\nzoom = \xff\n")
    backup = user.path.with_name(f"ketreader.ini.unreadable-{crc:08x}")
    assert user.warnings == [f"{user.path}: unreadable; kept a copy as {backup.name}"]
    assert backup.read_bytes() == user.path.read_bytes() == b"[view]\nzoom = \xff\n"
    assert user.values() == {}


def test_a_file_that_cannot_be_copied_aside_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(settings_module, "write_atomically", refuse)
    user = settings_at(tmp_path, b"\x00")
    assert user.warnings == [f"{user.path}: unreadable and could not be copied aside"]


def test_a_file_that_cannot_be_opened_means_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "cfg" / "ketreader.ini"
    folder.mkdir(parents=True)  # a folder where the file should be
    user = UserSettings(folder)
    assert user.values() == {}
    assert len(user.warnings) == 1
    assert user.warnings[0].startswith(f"{folder}: cannot be read (")
    assert user.warnings[0].endswith("); starting with defaults")


# -- values and state -------------------------------------------------------------------------


def test_a_value_is_stored_spelled_as_the_file_spells_it(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user.set_value("sidebar_visible", False)
    user.set_value("zoom", -2)
    user.set_value("theme", "dark")
    assert user.values() == {"sidebar_visible": False, "zoom": -2, "theme": "dark"}
    assert user.save()
    assert (tmp_path / "s.ini").read_text("utf-8") == (
        "[view]\nsidebar_visible=false\nzoom=-2\ntheme=dark\n"
    )


def test_a_value_that_is_not_a_users_or_not_valid_is_refused(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    with pytest.raises(KeyError, match="kiosk is not a user setting"):
        user.set_value("kiosk", True)
    with pytest.raises(ValueError, match=f"expected {ZOOM_MIN} to {ZOOM_MAX}"):
        user.set_value("zoom", ZOOM_MAX + 1)
    assert user.save() and not (tmp_path / "s.ini").exists()


def test_setting_the_same_value_writes_nothing(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[view]\nzoom = 2\n")
    before = user.path.stat().st_mtime_ns
    user.set_value("zoom", 2)
    os.utime(user.path, ns=(1, 1))
    assert user.save()
    assert user.path.stat().st_mtime_ns == 1 != before


def test_state_round_trips_and_multiline_values_are_refused(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    assert user.state("window", "geometry") is None
    user.set_state("window", "geometry", b"\xff\x00geometry")
    assert user.save()
    again = UserSettings(tmp_path / "s.ini")
    assert again.state("window", "geometry") == b"\xff\x00geometry"
    assert "[window]\ngeometry=/wBnZW9tZXRyeQ==\n" in (tmp_path / "s.ini").read_text("utf-8")
    for bad in ("a\nb", "a\rb"):
        with pytest.raises(ValueError, match="settings values are single lines"):
            again._set_raw("window", "x", bad)
        with pytest.raises(ValueError, match="settings values are single lines"):
            again.set_position("f" * 16, bad)


def test_empty_state_is_none_and_bad_state_warns(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[window]\ngeometry =\nsplitter = abc\n")
    assert user.state("window", "geometry") is None
    assert user.warnings == []
    assert user.state("window", "splitter") is None
    assert user.warnings == [f"{user.path}: ignoring bad value for window/splitter"]


# -- reading places ---------------------------------------------------------------------------


def test_a_place_is_kept_under_the_first_sixteen_digits(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user.set_position("0123456789abcdef" + "f" * 48, "dose")
    assert user.position("0123456789abcdef" + "0" * 48) == "dose"
    assert user.position("0123456789abcde0") is None
    assert user.save()
    assert (tmp_path / "s.ini").read_text("utf-8") == "[reading]\n0123456789abcdef=dose\n"


def test_the_same_place_again_writes_nothing(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[reading]\naaaaaaaaaaaaaaaa = dose\n")
    user.set_position("a" * 64, "dose")
    assert not user._dirty
    user.set_position("a" * 64, "other")
    assert user._dirty and user.position("a" * 64) == "other"


def test_the_newest_place_is_written_last(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user.set_position("a" * 16, "one")
    user.set_position("b" * 16, "two")
    user.set_position("a" * 16, "three")
    assert list(user._data["reading"].items()) == [("b" * 16, "two"), ("a" * 16, "three")]
    user.set_position("b" * 16, "two")  # not the last: moves to the end
    assert list(user._data["reading"]) == ["a" * 16, "b" * 16]


def test_exactly_the_last_sixteen_places_are_kept(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    for n in range(KEPT_POSITIONS):
        user.set_position(f"{n:016x}", f"s{n}")
    assert user.position(f"{0:016x}") == "s0"
    user.set_position(f"{99:016x}", "new")
    assert user.position(f"{0:016x}") is None
    assert len(user._data["reading"]) == KEPT_POSITIONS


def test_an_earlier_versions_place_joins_the_others_oldest_first(tmp_path: Path) -> None:
    user = settings_at(tmp_path, f"[reading]\npack = {'a' * 16}\nsection = dose\n")
    assert user.position("a" * 64) == "dose"
    user.set_position("b" * 64, "two")
    assert list(user._data["reading"].items()) == [("a" * 16, "dose"), ("b" * 16, "two")]
    # Read again as the same pack, the old form is replaced by the new one.
    user = settings_at(tmp_path / "x", f"[reading]\npack = {'a' * 16}\nsection = dose\n")
    user.set_position("a" * 64, "new")
    assert list(user._data["reading"].items()) == [("a" * 16, "new")]


def test_an_earlier_versions_place_without_a_section_is_none(tmp_path: Path) -> None:
    user = settings_at(tmp_path, f"[reading]\npack = {'a' * 16}\nsection =\n")
    assert user.position("a" * 64) is None
    user.set_position("b" * 64, "two")
    assert list(user._data["reading"].items()) == [("b" * 16, "two")]
    empty = settings_at(tmp_path / "x", f"[reading]\n{'c' * 16} =\n")
    assert empty.position("c" * 64) is None


# -- reset and saving -------------------------------------------------------------------------


def test_reset_of_nothing_changes_nothing(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user.reset()
    assert user.save() and not (tmp_path / "s.ini").exists()


def test_empty_sections_are_not_written(tmp_path: Path) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user._data["empty"] = {}
    user.set_value("zoom", 1)
    user.set_state("window", "splitter", b"x")
    assert user.save()
    assert (tmp_path / "s.ini").read_text("utf-8") == "[view]\nzoom=1\n\n[window]\nsplitter=eA==\n"


def test_saving_creates_the_folder_and_then_writes_only_changes(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "s.ini"
    user = UserSettings(path)
    user.set_value("zoom", 1)
    assert user.save() and path.exists()
    path.unlink()
    assert user.save() and not path.exists()  # nothing changed since


def test_a_folder_that_cannot_be_made_fails_the_save(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "file").write_text("", "utf-8")
    user = UserSettings(tmp_path / "file" / "sub" / "s.ini")
    user.set_value("zoom", 1)
    with caplog.at_level(logging.WARNING, logger="ketreader.settings"):
        assert not user.save()
    assert user.warnings[1:] == [
        f"{tmp_path / 'file' / 'sub'}: cannot create settings folder (Not a directory)"
    ]
    assert user.warnings[1] in caplog.text
    assert user._dirty


def test_a_file_that_cannot_be_written_fails_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    user = UserSettings(tmp_path / "s.ini")
    user.set_value("zoom", 1)
    monkeypatch.setattr(settings_module, "write_atomically", refuse)
    assert not user.save()
    assert user.warnings == [
        f"{user.path}: settings could not be written (No space left on device)"
    ]
    monkeypatch.undo()
    assert user.save() and (tmp_path / "s.ini").exists()


def test_a_save_logs_at_debug(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    user = UserSettings(tmp_path / "s.ini")
    user.set_value("zoom", 1)
    with caplog.at_level(logging.DEBUG, logger="ketreader.settings"):
        assert user.save()
    assert "settings saved" in caplog.messages


# -- preferences ------------------------------------------------------------------------------


def effective(tmp_path: Path, *, locked: bool = False, kiosk: bool = False, portable: bool = False,
              reset: bool = False) -> Effective:  # fmt: skip
    entries = {
        "zoom": Entry(0, "default", locked),
        "kiosk": Entry(kiosk, "policy" if kiosk else "default", kiosk),
        "reset_on_start": Entry(reset, "default"),
    }
    return Effective(entries, tmp_path / "s.ini", portable, [])


def test_preferences_read_the_effective_table(tmp_path: Path) -> None:
    prefs = Preferences(effective(tmp_path, locked=True, kiosk=True))
    assert prefs.value("zoom") == 0 and prefs.locked("zoom") and prefs.kiosk
    assert prefs.flag("kiosk") and not prefs.flag("reset_on_start")
    assert prefs.user is prefs.effective.user_settings
    plain = Preferences(effective(tmp_path))
    assert not plain.kiosk and not plain.locked("zoom")


def test_a_change_is_stored_for_the_user_and_a_locked_one_is_not(tmp_path: Path) -> None:
    prefs = Preferences(effective(tmp_path))
    assert prefs.change("zoom", 3)
    assert prefs.effective.entries["zoom"] == Entry(3, "user")
    assert prefs.user.values() == {"zoom": 3}
    portable = Preferences(effective(tmp_path / "p", portable=True))
    assert portable.change("zoom", 2)
    assert portable.effective.entries["zoom"] == Entry(2, "portable")
    locked = Preferences(effective(tmp_path / "l", locked=True))
    assert not locked.change("zoom", 3)
    assert locked.effective.entries["zoom"] == Entry(0, "default", True)
    assert locked.user.values() == {}


def test_window_state_is_kept_outside_kiosk_mode(tmp_path: Path) -> None:
    prefs = Preferences(effective(tmp_path))
    prefs.remember_window_state("geometry", b"g")
    assert prefs.window_state("geometry") == b"g"
    assert prefs.user.state("window", "geometry") == b"g"
    kiosk = Preferences(effective(tmp_path / "k", kiosk=True))
    kiosk.remember_window_state("geometry", b"g")
    assert kiosk.user.state("window", "geometry") is None


def test_a_reading_place_is_forgotten_when_each_start_resets(tmp_path: Path) -> None:
    prefs = Preferences(effective(tmp_path))
    prefs.remember_position("a" * 64, "dose")
    assert prefs.position("a" * 64) == "dose"
    assert prefs.save() and (tmp_path / "s.ini").exists()
    reset = Preferences(effective(tmp_path, reset=True))
    assert reset.user.position("a" * 64) == "dose"
    assert reset.position("a" * 64) is None


def test_one_character_comments_are_comments(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[view]\n;\n#\nzoom = 1\n")
    assert user.values() == {"zoom": 1}


def test_the_file_is_read_one_byte_past_the_limit_and_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.bounded_read import read_at_most

    asked: list[tuple[int, bool]] = []

    def spy(path: Path, count: int, *, regular_only: bool = True) -> bytes:
        asked.append((count, regular_only))
        return read_at_most(path, count, regular_only=regular_only)

    monkeypatch.setattr(settings_module, "read_at_most", spy)
    settings_at(tmp_path, "[view]\nzoom = 1\n")
    # Not only regular files: a device is refused by kind, after it is opened (see _rescue).
    assert asked == [(MAX_SETTINGS_BYTES + 1, False)]


def test_a_value_in_brackets_is_not_a_section(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[view]\nlist = [a]\nzoom = 2\n[window\ngeometry = AA==\n")
    assert user.values() == {"zoom": 2}
    assert user.state("view", "geometry") == b"\x00"


def test_an_unreadable_file_at_the_size_limit_is_copied_not_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = settings_at(tmp_path, b"\x00" * MAX_SETTINGS_BYTES)
    crc = zlib.crc32(b"\x00" * MAX_SETTINGS_BYTES)
    name = f"ketreader.ini.unreadable-{crc:08x}"
    assert user.warnings == [f"{user.path}: unreadable; kept a copy as {name}"]
    assert user.path.exists()


def test_the_newest_place_again_writes_nothing(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[reading]\naaaaaaaaaaaaaaaa = one\nbbbbbbbbbbbbbbbb = two\n")
    user.set_position("b" * 64, "two")
    assert not user._dirty


def test_an_endless_device_in_place_of_the_file_is_not_kept(tmp_path: Path) -> None:
    (tmp_path / "cfg").mkdir()
    path = tmp_path / "cfg" / "ketreader.ini"
    path.symlink_to("/dev/zero")
    user = UserSettings(path)
    assert user.warnings == [f"{path}: not a regular file; starting with defaults"]
    assert user.values() == {} and list(path.parent.iterdir()) == [path]  # no copy aside


def test_no_place_is_known_before_any_is_kept(tmp_path: Path) -> None:
    user = settings_at(tmp_path, "[view]\nzoom = 1\n")
    assert user.position("a" * 64) is None
