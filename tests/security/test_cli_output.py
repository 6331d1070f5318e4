"""Security tests: what a pack or a caller feeds the command line cannot hurt the terminal,
crash the program, or leave half a file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import REPO, write_pack

ESC = "\x1b"
# Clears the screen, then forges the last line of a clean `check` report.
FORGED = f"{ESC}[2J{ESC}[H0 error(s), 0 warning(s)"


def run(
    *args: str, stdout: int | IO[Any] = subprocess.PIPE, **env: str
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ketreader", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), **env},
        timeout=120,
        check=False,
    )


@pytest.fixture
def hostile_pack(tmp_path: Path) -> Path:
    """Escape sequences in a heading, in body text and in a document's file name."""
    root = write_pack(
        tmp_path / "p",
        {
            "a.md": f"# Title {FORGED}\n\n## Part {ESC}]0;owned{ESC}\\\n\nBody {FORGED} text.\n",
            f"b{ESC}[31m.md": "# Second\n\n[broken](#nowhere)\n",
        },
    )
    # TOML cannot hold a raw control character: the manifest spells it as an escape.
    (root / "pack.toml").write_text(
        'title = "Hostile"\ndocuments = ["a.md", "b\\u001b[31m.md"]\n', "utf-8"
    )
    assert run("sections", "--content", str(root)).returncode == 0
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["sections"],
        ["search", "part"],
        ["search", "body"],
        ["export", "--format", "text"],
        ["check"],
    ],
)
def test_no_escape_sequence_reaches_the_terminal(hostile_pack: Path, args: list[str]) -> None:
    if args[0] == "check":
        done = run("check", str(hostile_pack))
    else:
        done = run(args[0], "--content", str(hostile_pack), *args[1:])
    output = done.stdout + done.stderr
    assert ESC.encode() not in output, output
    assert b"\\x1b" in output  # shown, escaped, so the reader sees something is odd
    if args[0] == "check":
        # The one summary line is the real one, and says there is an error.
        assert done.returncode == 1
        assert output.count(b"error(s)") == 1 and b" 1 error(s)" in done.stdout


def test_json_output_stays_json_with_escape_sequences(hostile_pack: Path) -> None:
    done = run("sections", "--content", str(hostile_pack), "--json")
    assert done.returncode == 0
    titles = [entry["title"] for entry in json.loads(done.stdout)]
    assert any(ESC in title for title in titles)  # JSON escapes them itself: \u001b
    assert ESC.encode() not in done.stdout


@pytest.mark.parametrize("limit", ["1e20", "100000000000000000000", "-5", "0", "x"])
def test_an_absurd_limit_is_a_usage_error(limit: str) -> None:
    done = run("search", "bladder", "--limit", limit)
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1 and b"--limit" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_closed_stdout_is_a_clean_error() -> None:
    code = (
        "import sys\nsys.stdout.close()\nsys.stdout = None\n"
        "from ketreader.cli import main\nsys.exit(main(['sections']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert b"standard output is closed" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_clean_error() -> None:
    with open("/dev/full", "w") as full:
        done = run("export", stdout=full)
    assert done.returncode == 1
    assert b"cannot write the output" in done.stderr and b"Traceback" not in done.stderr


def test_bytes_that_are_not_utf8_in_a_query_or_path_give_whole_json(tmp_path: Path) -> None:
    code = (
        "import os, sys\nfrom ketreader.cli import main\n"
        "sys.exit(main(['search', os.fsdecode(b'blad\\xffder'), '--json']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["query"].startswith("blad")
    missing = tmp_path / os.fsdecode(b"no\xffpack")
    code = (
        "import sys\nfrom ketreader.cli import main\n"
        f"sys.exit(main(['sections', '--content', {str(missing)!r}, '--json']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert done.stderr.startswith(b"ketreader: error: ")


def test_a_failed_export_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the previous export, complete", "utf-8")
    # A folder where the temporary file would go cannot be written: the rename never happens.
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "report.html").mkdir()  # a folder in the target's place
    done = run("export", "-o", str(blocked / "report.html"))
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    done = run("export", "-o", str(target))
    assert done.returncode == 0
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.html")]


def test_an_export_never_lands_inside_its_pack(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "p", {"a.md": "# Only source\n"})
    for target in (pack / "a.md", pack / "sub" / ".." / "a.md", pack / "new.html"):
        done = run("export", "--content", str(pack), "--format", "text", "-o", str(target))
        assert done.returncode == 2, target
        assert b"inside the pack" in done.stderr
    assert (pack / "a.md").read_text("utf-8") == "# Only source\n"


def test_an_export_is_as_readable_as_any_new_file_and_keeps_an_old_files_mode(
    tmp_path: Path,
) -> None:
    fresh = tmp_path / "fresh.html"
    old_mask = os.umask(0o022)
    try:
        assert run("export", "-o", str(fresh)).returncode == 0
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # shareable, not mkstemp's 0600
    kept = tmp_path / "kept.txt"
    kept.write_text("old", "utf-8")
    kept.chmod(0o640)
    assert run("export", "--format", "text", "-o", str(kept)).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
