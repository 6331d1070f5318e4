"""Security tests: the admin's policy holds against a trainee, and fails closed."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader import paths
from ketreader.cli import main
from ketreader.policy import PolicyFileError, resolve
from tests.conftest import REPO, system_policy, write_pack


def show(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, object]]:
    assert main([*argv, "policy", "--json"]) == 0
    table: dict[str, dict[str, object]] = json.loads(capsys.readouterr().out)
    return table


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


@pytest.mark.parametrize(
    ("system", "user"),
    [
        ("[policy]\nkiosk = true\n", "[policy]\ncontent = {pack}\n"),
        ("", "[policy]\ncontent = {pack}\nkiosk = true\n"),  # a kiosk the file itself adds
    ],
    ids=["system-kiosk", "own-kiosk"],
)
def test_a_user_policy_file_cannot_choose_content_in_a_kiosk(
    isolated_user_dirs: Path, tmp_path: Path, system: str, user: str
) -> None:
    if system:
        system_policy(isolated_user_dirs, system)
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n"})
    own = tmp_path / "user.ini"
    own.write_text(user.format(pack=other), "utf-8")
    for effective in (resolve(policy_file=str(own)), resolve()):
        assert effective["content"] == "", effective.entries["content"]
    beside = isolated_user_dirs / "program" / "policy.ini"
    beside.write_text(user.format(pack=other), "utf-8")
    effective = resolve()
    assert effective["content"] == "" and effective["kiosk"] is True
    assert any("'content' ignored" in w for w in effective.warnings)


@pytest.mark.parametrize("key", ["kiosk", "reset_on_start", "allow_print", "content"])
def test_only_user_settings_can_be_recommended(isolated_user_dirs: Path, key: str) -> None:
    value = {"kiosk": "true", "reset_on_start": "true", "allow_print": "false"}.get(key, "/x")
    system_policy(isolated_user_dirs, f"[recommended]\n{key} = {value}\ntheme = dark\n")
    effective = resolve()
    assert effective.entries[key].source == "default"
    assert any(f"{key!r} ignored" in w for w in effective.warnings)
    assert effective["theme"] == "dark"  # a user setting is still recommended


def test_kiosk_alone_turns_external_links_off(isolated_user_dirs: Path) -> None:
    system_policy(isolated_user_dirs, "[policy]\nkiosk = true\n")
    effective = resolve()
    assert effective["allow_external_links"] is False and effective.locked("allow_external_links")
    assert effective.entries["allow_external_links"].source == "policy (kiosk)"
    system_policy(isolated_user_dirs, "[policy]\nkiosk = true\nallow_external_links = true\n")
    assert resolve()["allow_external_links"] is True


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("where", ["system", "beside the program", "--policy"])
def test_a_fifo_in_place_of_a_policy_file_locks_down_without_hanging(
    isolated_user_dirs: Path, where: str
) -> None:
    """A FIFO would block the start for ever; it is no policy file, so it locks down."""
    import threading

    fifo = {
        "system": isolated_user_dirs / "policy.ini",
        "beside the program": isolated_user_dirs / "program" / "policy.ini",
        "--policy": isolated_user_dirs / "mine.ini",
    }[where]
    os.mkfifo(fifo)
    found: list[object] = []
    named = str(fifo) if where == "--policy" else None
    worker = threading.Thread(target=lambda: found.append(resolve(policy_file=named)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        with open(fifo, "wb"):  # a writer releases the blocked open, so the test can end
            pass
        worker.join(10)
        pytest.fail("reading the policy blocked on a FIFO")
    effective = found[0]
    assert isinstance(effective, type(resolve()))
    assert effective.lockdown is not None and "not a regular file" in effective.lockdown
    assert effective["allow_export"] is False and effective.locked("allow_export")


@pytest.mark.parametrize(
    ("policy", "extra"),
    [
        ("[policy]\nallow_export = false\n", []),
        ("[policy]\nkiosk = true\nallow_export = false\n", []),
        ("", ["--policy", "USER"]),  # a stricter file of the user's own counts as well
    ],
)
def test_export_from_the_command_line_is_refused_where_export_is_off(
    isolated_user_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    policy: str,
    extra: list[str],
) -> None:
    """`ketreader export` writes the whole guide: the same lock as File > Export."""
    if policy:
        system_policy(isolated_user_dirs, policy)
    mine = tmp_path / "mine.ini"
    mine.write_text("[policy]\nallow_export = false\n", "utf-8")
    extra = [str(mine) if arg == "USER" else arg for arg in extra]
    target = tmp_path / "guide.html"
    assert main([*extra, "export", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "export is disabled by the policy" in err
    assert not target.exists()
    assert main([*extra, "export", "--format", "text"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "export is disabled" in captured.err


def test_export_from_the_command_line_works_where_export_is_allowed(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    target = tmp_path / "guide.html"
    assert main(["export", "-o", str(target)]) == 0
    assert "<html" in target.read_text("utf-8").lower()
