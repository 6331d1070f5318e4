"""CLI room tests: contracts, exit codes and never importing Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketreader.cli import main
from tests.conftest import GUIDE, run_python, write_pack


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_sections_json_is_the_outline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["sections", "--json"], capsys)
    outline = json.loads(out)
    assert code == 0
    assert outline[0] == {
        "id": "what-is-ketamine",
        "title": "What is ketamine?",
        "level": 1,
        "parent": None,
    }
    assert set(outline[1]) == {"id", "title", "level", "parent"}
    assert [e["level"] for e in outline].count(3) == 6
    assert {e["parent"] for e in outline if e["level"] == 2} == {"what-is-ketamine"}


def test_search_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", "bladdr", "--json", "--limit", "3"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["query"] == "bladdr" and data["suggestion"] == "bladder"
    assert set(data["hits"][0]) == {"id", "title", "snippet", "score", "answer"}
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 3


def test_export_text_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "guide.txt"
    code, out, _ = run(["export", "--format", "text", "-o", str(target)], capsys)
    assert code == 0 and out == ""
    assert "Always consult qualified healthcare professionals" in target.read_text("utf-8")


def test_export_html_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export"], capsys)
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_content_option_opens_another_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# Other\n\n## Part\n"}, title="Other pack")
    code, out, _ = run(["sections", "--content", str(root), "--json"], capsys)
    assert code == 0 and [e["title"] for e in json.loads(out)] == ["Other", "Part"]


def test_bad_pack_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["sections", "--content", str(tmp_path / "missing")], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("ketreader: error: ")
    assert "missing" in err


def test_bad_usage_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["search"], capsys)
    assert code == 2 and err.count("\n") == 1 and err.startswith("ketreader: error: ")
    code, _, err = run(["--theme", "purple"], capsys)
    assert code == 2 and "purple" in err


def test_unwritable_export_target_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["export", "-o", str(tmp_path / "no" / "such" / "dir.html")], capsys)
    assert code == 1 and "Traceback" not in err and "dir.html" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("ketreader ")


def test_subcommands_never_import_qt() -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from ketreader.cli import main\n"
        "for args in (['sections'], ['search', 'bladder'], ['export', '--format', 'text'],"
        f" ['check', {str(GUIDE)!r}]):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(args) == 0, args\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))]\n"
        "print(bad)\n"
    )
    result = run_python("-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_python_dash_m_runs() -> None:
    result = run_python("-m", "ketreader", "sections", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)[0]["level"] == 1


def test_check_without_dir_checks_the_guide_and_prints_fingerprint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ketreader.pipeline import open_library

    assert main(["check"]) == 0
    digest = open_library(GUIDE).fingerprint
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith(f"fingerprint {digest[:4]} {digest[4:8]} {digest[8:12]}")
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], False),
        (["--quit-after-paint"], False),
        (["--section", "search"], False),
        (["--content", "sections", "--theme", "dark"], False),
        (["search", "x"], True),
        (["--policy", "p.ini", "policy", "--show"], True),
        (["--portable", "check"], True),
    ],
)
def test_subcommand_detection_skips_option_values(argv: list[str], expected: bool) -> None:
    from ketreader.cli import names_subcommand

    assert names_subcommand(argv) is expected


def test_window_options_parse_without_subcommand_parser() -> None:
    from ketreader.cli import build_parser

    args = build_parser(subcommands=False).parse_args(["--section", "search", "--theme", "dark"])
    assert (args.command, args.section, args.theme) == (None, "search", "dark")


def test_help_lists_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "search" in capsys.readouterr().out


def test_missing_fts5_is_a_clear_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    real_connect = sqlite3.connect

    class NoFts5:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self._db = real_connect(*args, **kwargs)  # type: ignore[call-overload]

        def execute(self, sql: str, *args: object) -> object:
            if "fts5" in sql.lower():
                raise sqlite3.OperationalError("no such module: fts5")
            return self._db.execute(sql, *args)

        def close(self) -> None:
            self._db.close()

    monkeypatch.setattr(sqlite3, "connect", NoFts5)
    assert main(["search", "bladder"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FTS5" in err and "Traceback" not in err
