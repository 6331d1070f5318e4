"""Settings room: the one place that says yes or no to a change, and what it writes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ketreader.cli import main
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.settings import KEPT_POSITIONS, UserSettings
from tests.conftest import system_policy


def test_a_change_is_the_users_or_the_portable_copys(isolated_user_dirs: Path) -> None:
    prefs = Preferences(resolve())
    assert prefs.change("zoom", 2)
    assert prefs.effective.entries["zoom"].source == "user"
    portable = Preferences(resolve(portable=True))
    assert portable.change("zoom", 3)
    assert portable.effective.entries["zoom"].source == "portable"


def test_a_locked_change_is_refused_and_logged(
    isolated_user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    system_policy(isolated_user_dirs, "[policy]\nzoom = 1\n")
    prefs = Preferences(resolve())
    with caplog.at_level(logging.DEBUG, logger="ketreader.settings"):
        assert not prefs.change("zoom", 4)
    assert "refused change of locked zoom" in caplog.text
    assert prefs.value("zoom") == 1


def test_a_kiosk_neither_reads_nor_writes_window_state(isolated_user_dirs: Path) -> None:
    user = UserSettings(resolve().settings_file)
    user.set_state("window", "geometry", b"saved")
    assert user.save()
    assert Preferences(resolve()).window_state("geometry") == b"saved"
    system_policy(isolated_user_dirs, "[policy]\nkiosk = true\n")
    kiosk = Preferences(resolve())
    assert kiosk.window_state("geometry") is None
    kiosk.remember_window_state("geometry", b"kiosk")
    assert kiosk.user.save()
    assert UserSettings(resolve().settings_file).state("window", "geometry") == b"saved"


def test_state_that_is_not_base64_is_ignored_with_a_warning(isolated_user_dirs: Path) -> None:
    path = resolve().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[window]\ngeometry = AAAA$$$$\n", "utf-8")
    settings = UserSettings(path)
    assert settings.state("window", "geometry") is None
    assert any("geometry" in w for w in settings.warnings)


def test_reset_forgets_the_last_trainee_on_disk(isolated_user_dirs: Path) -> None:
    path = resolve().settings_file
    user = UserSettings(path)
    user.set_value("zoom", 4)
    assert user.save()
    again = UserSettings(path)
    again.reset()
    assert again.save()
    assert "zoom" not in path.read_text("utf-8")


def test_a_lockdown_locks_every_key_in_the_listing(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (isolated_user_dirs / "policy.ini").write_bytes(b"\x80 not text\n")
    assert main(["policy", "--show", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["theme"]["value"] == "system"  # no restrictive value: the default, locked
    for key, entry in table.items():
        if key in ("kiosk", "theme", "zoom", "allow_print", "content"):
            assert entry["locked"] is True, key
            assert "policy.ini" in entry["source"], key


@pytest.mark.parametrize(
    ("line", "expected"),
    [("allow_print = maybe", "using false"), ("theme = purple", "using system")],
)
def test_a_bad_policy_value_names_what_is_used_instead_in_the_log(
    isolated_user_dirs: Path, caplog: pytest.LogCaptureFixture, line: str, expected: str
) -> None:
    system_policy(isolated_user_dirs, f"[policy]\n{line}\n")
    with caplog.at_level(logging.WARNING, logger="ketreader.policy"):
        effective = resolve()
    warning = next(w for w in effective.warnings if "bad value" in w)
    assert warning.endswith(expected)
    assert warning in caplog.text


def test_each_pack_keeps_its_own_reading_place(isolated_user_dirs: Path) -> None:
    path = resolve().settings_file
    user = UserSettings(path)
    user.set_position("a" * 64, "dosage")
    user.set_position("b" * 64, "history")
    assert user.save()
    again = UserSettings(path)
    assert again.position("a" * 64) == "dosage" and again.position("b" * 64) == "history"
    assert again.position("c" * 64) is None


def fp(n: int) -> str:
    return f"{n:016x}" + "0" * 48


def test_the_most_recent_packs_keep_their_places(isolated_user_dirs: Path) -> None:
    user = UserSettings(resolve().settings_file)
    for n in range(KEPT_POSITIONS + 2):
        user.set_position(fp(n), f"s{n}")
    user.set_position(fp(2), "again")  # reading an old pack again makes it recent
    user.set_position(fp(99), "new")  # so a new one pushes out the next oldest instead
    kept = [n for n in [*range(KEPT_POSITIONS + 2), 99] if user.position(fp(n)) is not None]
    assert len(kept) == KEPT_POSITIONS and 0 not in kept and 1 not in kept
    assert 3 not in kept and user.position(fp(2)) == "again"


def test_a_place_saved_by_an_earlier_version_is_kept(isolated_user_dirs: Path) -> None:
    path = resolve().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[reading]\npack = {'a' * 16}\nsection = dosage\n", "utf-8")
    user = UserSettings(path)
    assert user.position("a" * 64) == "dosage"
    user.set_position("b" * 64, "history")
    assert user.position("a" * 64) == "dosage" and user.position("b" * 64) == "history"
