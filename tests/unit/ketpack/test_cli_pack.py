"""CLI tests: `pack build` and `check` on compiled packs; one-line errors, never a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ketreader.cli import main
from tests.conftest import GUIDE, write_pack


def test_pack_build_then_every_subcommand_reads_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "guide.ketpack"
    assert main(["pack", "build", str(GUIDE), "-o", str(target)]) == 0
    built = capsys.readouterr().out
    assert built.startswith(f"{target}: 1 document(s)") and "fingerprint" in built
    assert main(["sections", "--content", str(target), "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["sections", "--json"]) == 0
    assert from_file == json.loads(capsys.readouterr().out)
    assert main(["search", "bladder", "--content", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"]
    assert main(["check", str(target)]) == 0
    checked = capsys.readouterr().out
    assert main(["check", str(GUIDE)]) == 0
    # The same fingerprint for the folder and its compiled file, as trainers compare them.
    assert (
        checked.rsplit("fingerprint", 1)[1] == capsys.readouterr().out.rsplit("fingerprint", 1)[1]
    )


def test_check_reports_a_damaged_pack_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "guide.ketpack"
    assert main(["pack", "build", str(GUIDE), "-o", str(target)]) == 0
    capsys.readouterr()
    db = sqlite3.connect(target)
    db.execute("UPDATE meta SET value = 'x' WHERE key = 'title'")
    db.commit()
    db.close()
    assert main(["check", str(target)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{target}: error: edited")
    assert out[1] == f"{target}: 1 error(s), 0 warning(s)"
    assert main(["sections", "--content", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "edited" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("output", "message"),
    [("inside/pack.ketpack", "inside the pack"), ("out.zip", "must end in .ketpack")],
)
def test_pack_build_refuses_bad_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    root = write_pack(tmp_path / "inside", {"a.md": "# A\n"})
    code = main(["pack", "build", str(root), "-o", str(tmp_path / output)])
    err = capsys.readouterr().err
    assert code in (1, 2) and message in err and err.count("\n") == 1
    assert not list(tmp_path.rglob("*.ketpack"))


def test_pack_build_of_a_broken_pack_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "a.md").unlink()
    assert main(["pack", "build", str(root), "-o", str(tmp_path / "p.ketpack")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "document not found" in err
    assert not (tmp_path / "p.ketpack").exists()


def test_the_window_opens_a_compiled_pack(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.unit.ui.conftest import make_window

    target = tmp_path / "guide.ketpack"
    assert main(["pack", "build", str(GUIDE), "-o", str(target)]) == 0
    window = make_window(qtbot, pack=target)
    assert window.library.title == "What is ketamine?"
    assert window.open_section("key-takeaways")
    assert window.view.section_at_top() == "key-takeaways"
