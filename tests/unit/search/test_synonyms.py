"""Search room tests: a pack's synonyms.toml: its form, PATH:LINE problems, and safe reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ketreader.lint import check_pack
from ketreader.search.synonyms import (
    FILE_NAME,
    MAX_FILE_BYTES,
    load_synonyms,
    parse_synonyms,
    read_synonyms,
)
from tests.conftest import GUIDE, write_pack


def problems(text: str) -> list[tuple[int | None, str, str]]:
    _, found = parse_synonyms(text, "p/synonyms.toml")
    assert all(d.path == "p/synonyms.toml" for d in found)
    return [(d.line, d.severity, d.message) for d in found]


def test_keys_are_read_as_queries_are() -> None:
    table, found = parse_synonyms(
        '[synonyms]\n"Side  Affects" = ["side effects"]\nout-of-body = ["dissociation"]\n'
        '"A&E" = ["emergency"]\n"ＫＩＤＳ" = ["pediatric"]\n',
        "x",
    )
    assert found == []
    assert set(table.entries) == {"side affects", "out of body", "a e", "kids"}
    assert table.get("kids") == ("pediatric",)
    assert table.longest == 3


def test_each_problem_names_its_line() -> None:
    text = (
        "[synonyms]\n"  # 1
        'fine = ["good"]\n'  # 2
        "number = 3\n"  # 3
        "empty = []\n"  # 4
        'self = ["Self", "other"]\n'  # 5
        'twice = ["a", "A"]\n'  # 6
        '"Fine" = ["again"]\n'  # 7
        'blank = ["  "]\n'  # 8
        '"!!" = ["x"]\n'  # 9
        'mixed = ["ok", 2]\n'  # 10
        "[other]\n"  # 11
    )
    found = problems(text)
    assert (3, "error") in [(line, severity) for line, severity, _ in found]
    lines = {line: (severity, message) for line, severity, message in found}
    assert lines[4][0] == "error"
    assert lines[5] == ("warning", "'self' lists itself as a synonym; value ignored")
    assert lines[6][0] == "warning" and "twice" in lines[6][1]
    assert lines[7][0] == "error" and "repeats 'fine'" in lines[7][1]
    assert lines[8][0] == "error" and lines[9][0] == "error" and lines[10][0] == "error"
    assert lines[11][0] == "error" and "unknown key 'other'" in lines[11][1]
    table, _ = parse_synonyms(text, "x")
    assert set(table.entries) == {"fine", "self", "twice"}  # the reader uses what is valid


def test_a_file_that_is_not_toml_names_the_line_and_is_not_used() -> None:
    found = problems('[synonyms]\nfine = ["good"]\nbroken = [\n"x"\n = \n')
    assert len(found) == 1
    line, severity, message = found[0]
    assert severity == "error" and line == 5 and "not valid TOML" in message
    assert problems("") == [(None, "error", "no [synonyms] table; no synonyms are used")]


def test_check_reports_synonym_problems_with_path_and_line(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\nDependence is described here.\n"})
    (root / FILE_NAME).write_text(
        '[synonyms]\naddictive = ["dependence"]\nrisky = ["hazard"]\nbad = 1\n', "utf-8"
    )
    found = [(d.where, d.severity, d.message) for d in check_pack(root)]
    shown = str(root / FILE_NAME)
    assert (
        f"{shown}:3",
        "warning",
        "'hazard' (for 'risky') is not in the pack, so it never matches",
    ) in found
    assert any(where == f"{shown}:4" and severity == "error" for where, severity, _ in found)
    assert not any("addictive" in message for _, _, message in found)


def test_the_guides_synonyms_are_clean() -> None:
    assert [d for d in check_pack(GUIDE) if FILE_NAME in d.path] == []
    assert len(load_synonyms(GUIDE)) >= 80


def test_a_synonyms_file_outside_the_pack_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('[synonyms]\nzebra = ["leaked"]\n', "utf-8")
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    (root / FILE_NAME).symlink_to(secret)
    text, found = read_synonyms(root)
    assert text is None and "leaves the pack" in found[0].message
    assert len(load_synonyms(root)) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_a_fifo_or_folder_in_place_of_the_file_does_not_block(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    os.mkfifo(root / FILE_NAME)
    text, found = read_synonyms(root)
    assert text is None and "not a regular file" in found[0].message
    (root / FILE_NAME).unlink()
    (root / FILE_NAME).mkdir()
    assert read_synonyms(root)[0] is None


def test_a_large_or_undecodable_file_is_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    (root / FILE_NAME).write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert "larger than" in read_synonyms(root)[1][0].message
    (root / FILE_NAME).write_bytes(b'[synonyms]\n\nx = ["\xff"]\n')
    text, found = read_synonyms(root)
    assert text is None and found[0].line == 3 and "not UTF-8" in found[0].message
    (root / FILE_NAME).write_bytes('\ufeff[synonyms]\nx = ["text"]\n'.encode())
    assert load_synonyms(root).get("x") == ("text",)


def test_deeply_nested_toml_is_refused_not_crashed() -> None:
    found = problems("x = " + "[" * 30_000 + "]" * 30_000 + "\n")
    assert found and found[0][1] == "error"
