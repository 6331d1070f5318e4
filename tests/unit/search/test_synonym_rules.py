"""Search room: a synonyms file's every problem, worded and placed as `ketreader check` shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketreader.search.synonyms import (
    EMPTY,
    FILE_NAME,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_KEY_WORDS,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    SynonymTable,
    key_of,
    load_synonyms,
    normalize_key,
    parse_synonyms,
    read_synonyms,
)
from tests.conftest import write_pack


def problems(text: str) -> list[tuple[int | None, str, str]]:
    _, found = parse_synonyms(text, "p/synonyms.toml")
    assert all(d.path == "p/synonyms.toml" for d in found)
    return [(d.line, d.severity, d.message) for d in found]


def test_lookup_forms_of_typed_words_and_written_keys() -> None:
    assert key_of(["Side-Effects", "of’", " it "]) == "Side Effects of' it"
    assert key_of(("a--b",)) == "a b"
    assert normalize_key("  Side-EFFECTS   of ＫＥＴ ") == "side effects of ket"
    assert normalize_key("!!") == ""


def test_a_table_knows_its_longest_key_and_its_single_words() -> None:
    table = SynonymTable({"b": ("x",), "side effects": ("y",), "a": ("z",), "a b c": ("w",)})
    assert table.longest == 3
    assert table.single_words() == ["a", "b"]
    assert table.get("a") == ("z",) and table.get("nothing") == ()
    assert len(table) == 4
    assert EMPTY.longest == 0 and len(EMPTY) == 0


def test_every_problem_is_worded_for_the_author() -> None:
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
        'only = ["Only"]\n'  # 11
        "'lit' = [\"l\"]\n"  # 12
    )
    assert problems(text) == [
        (3, "error", "'number' must map to a list of one or more words or phrases; entry skipped"),
        (4, "error", "'empty' must map to a list of one or more words or phrases; entry skipped"),
        (5, "warning", "'self' lists itself as a synonym; value ignored"),
        (6, "warning", "'twice' lists 'A' twice; value ignored"),
        (7, "error", "key 'Fine' repeats 'fine'; entry skipped"),
        (
            8,
            "error",
            f"'blank': value '  ' must hold a word and at most {MAX_VALUE_CHARS} characters;"
            " entry skipped",
        ),
        (9, "error", "key '!!' has no word in it; entry skipped"),
        (10, "error", "'mixed': every value must be a string, not 2; entry skipped"),
        (11, "warning", "'only' lists itself as a synonym; value ignored"),
        (11, "error", "'only' has no other word or phrase; entry skipped"),
    ]
    table, _ = parse_synonyms(text, "x")
    assert table.entries == {
        "fine": ("good",),
        "self": ("other",),
        "twice": ("a",),
        "lit": ("l",),
    }
    assert table.lines == {"fine": 2, "self": 5, "twice": 6, "lit": 12}


def test_values_are_kept_as_written_with_spaces_folded() -> None:
    table, found = parse_synonyms('[synonyms]\nk = ["  Side   Effects ", "ＡＢ"]\n', "x")
    assert found == []
    assert table.get("k") == ("Side Effects", "AB")


def test_bounds_of_keys_values_and_entries() -> None:
    words = " ".join(["w"] * MAX_KEY_WORDS)
    longer = " ".join(["w"] * (MAX_KEY_WORDS + 1))
    many = ", ".join(f'"v{i}"' for i in range(MAX_VALUES))
    too_many = ", ".join(f'"v{i}"' for i in range(MAX_VALUES + 1))
    long_value = "x" * MAX_VALUE_CHARS
    text = (
        "[synonyms]\n"
        f'"{words}" = ["ok"]\n'  # 2
        f'"{longer}" = ["ok"]\n'  # 3
        f"many = [{many}]\n"  # 4
        f"toomany = [{too_many}]\n"  # 5
        f'long = ["{long_value}"]\n'  # 6
        f'longer = ["{long_value}y"]\n'  # 7
    )
    table, found = parse_synonyms(text, "x")
    assert set(table.entries) == {words, "many", "long"}
    assert len(table.get("many")) == MAX_VALUES
    assert [(d.line, d.message) for d in found] == [
        (3, f"key '{longer}' has more than {MAX_KEY_WORDS} words; entry skipped"),
        (5, f"'toomany' has more than {MAX_VALUES} values; entry skipped"),
        (
            7,
            f"'longer': value '{long_value}y' must hold a word and at most {MAX_VALUE_CHARS}"
            " characters; entry skipped",
        ),
    ]
    assert table.longest == MAX_KEY_WORDS


def test_entries_past_the_limit_are_skipped_once() -> None:
    lines = "".join(f'k{i} = ["v"]\n' for i in range(MAX_ENTRIES + 2))
    table, found = parse_synonyms("[synonyms]\n" + lines, "x")
    assert len(table) == MAX_ENTRIES
    assert [(d.line, d.severity, d.message) for d in found] == [
        (MAX_ENTRIES + 2, "error", f"more than {MAX_ENTRIES} entries; the rest are skipped")
    ]


def test_the_file_must_hold_a_synonyms_table() -> None:
    assert problems('title = "x"\n') == [
        (1, "error", "unknown key 'title'; entries belong under [synonyms]"),
        (None, "error", "no [synonyms] table; no synonyms are used"),
    ]
    assert problems('synonyms = "x"\n') == [(1, "error", "'synonyms' must be a table")]
    assert problems("# notes\n\n[other]\nx = 1\n[synonyms]\n") == [
        (3, "error", "unknown key 'other'; entries belong under [synonyms]")
    ]
    assert problems('[ "quoted" ]\n[synonyms]\n') == [
        (1, "error", "unknown key 'quoted'; entries belong under [synonyms]")
    ]


def test_an_unknown_table_is_placed_at_its_header_and_arrays_of_tables_too() -> None:
    assert problems('[synonyms]\nk = ["v"]\n\n[[extra]]\nx = 1\n') == [
        (4, "error", "unknown key 'extra'; entries belong under [synonyms]")
    ]
    assert problems('[synonyms]\nk = ["v"]\n') == []


def test_a_toml_error_names_its_line_or_the_last() -> None:
    ((line, severity, message),) = problems('[synonyms]\nk = ["v"]\nk = ["w"]\n')
    assert (line, severity) == (3, "error")
    assert message.startswith("not valid TOML: ") and message.endswith("; no synonyms are used")


def test_keys_placed_by_how_they_are_written() -> None:
    text = (
        "[synonyms]\n"
        '"esc\\u0061ped" = ["v"]\n'  # 2: a basic string with an escape
        "'lit eral' = [\"v\"]\n"  # 3
        'bare-key = ["v"]\n'  # 4
        '"bad\\q" = ["v"]\n'  # 5: not valid TOML either
    )
    _, found = parse_synonyms(text, "x")
    assert len(found) == 1 and found[0].message.startswith("not valid TOML")
    table, found = parse_synonyms(text.replace('"bad\\q" = ["v"]\n', ""), "x")
    assert found == []
    assert table.lines == {"escaped": 2, "lit eral": 3, "bare key": 4}


def test_a_repeated_key_is_placed_at_its_second_definition() -> None:
    found = problems('[synonyms]\n"A b" = ["x"]\n"a  B" = ["y"]\n"A-B" = ["z"]\n')
    assert found == [
        (3, "error", "key 'a  B' repeats 'A b'; entry skipped"),
        (4, "error", "key 'A-B' repeats 'A b'; entry skipped"),
    ]


def test_reading_names_the_file_and_why(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    shown = str(root / FILE_NAME)
    assert read_synonyms(root) == (None, [])
    assert read_synonyms(tmp_path / "missing") == (None, [])
    (root / FILE_NAME).write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    text, found = read_synonyms(root)
    assert text is None
    assert [(d.path, d.message, d.line) for d in found] == [
        (shown, f"larger than {MAX_FILE_BYTES} bytes; not used", None)
    ]
    (root / FILE_NAME).write_bytes(b"#" * MAX_FILE_BYTES)
    assert read_synonyms(root) == ("#" * MAX_FILE_BYTES, [])
    (root / FILE_NAME).write_bytes(b'[synonyms]\n\n\nx = ["\xff"]\n')
    assert read_synonyms(root)[1] == [type(found[0])(shown, "not UTF-8; not used", "error", 4)]


def test_a_symlink_out_and_a_folder_are_named(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    shown = str(root / FILE_NAME)
    (tmp_path / "out.toml").write_text("[synonyms]\n", "utf-8")
    (root / FILE_NAME).symlink_to(tmp_path / "out.toml")
    _, found = read_synonyms(root)
    assert [(d.path, d.message) for d in found] == [
        (shown, "leaves the pack (a symlink out of it); not used")
    ]
    (root / FILE_NAME).unlink()
    (root / FILE_NAME).mkdir()
    _, found = read_synonyms(root)
    assert [(d.path, d.message) for d in found] == [(shown, "not a regular file; not used")]


def test_an_unreadable_file_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    (root / FILE_NAME).write_text('[synonyms]\nk = ["v"]\n', "utf-8")

    def refuse(self: Path, mode: str = "r") -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    _, found = read_synonyms(root)
    assert [d.message for d in found] == ["cannot be read (Permission denied); not used"]


def test_loading_uses_the_valid_entries(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\ntext\n"})
    assert load_synonyms(root) is EMPTY
    (root / FILE_NAME).write_text('[synonyms]\nk = ["v"]\nbad = 1\n', "utf-8")
    table = load_synonyms(root)
    assert table.entries == {"k": ("v",)} and table.lines == {"k": 2}


def check(tmp_path: Path, synonyms: str | bytes | None) -> list[tuple[int | None, str, str]]:
    from ketreader.content.pack import load_pack
    from ketreader.render.pack_render import render_pack
    from ketreader.search.synonyms_check import check_synonyms

    root = write_pack(tmp_path / "p", {"a.md": "# A\n\nDependence and side effects.\n"})
    if isinstance(synonyms, str):
        (root / FILE_NAME).write_text(synonyms, "utf-8")
    elif synonyms is not None:
        (root / FILE_NAME).write_bytes(synonyms)
    found = check_synonyms(root, render_pack(load_pack(root)))
    assert all(d.path == str(root / FILE_NAME) for d in found)
    return [(d.line, d.severity, d.message) for d in found]


def test_check_names_each_value_that_matches_nothing_in_line_order(tmp_path: Path) -> None:
    text = (
        "[synonyms]\n"
        'b = ["hazard", "dependence"]\n'  # 2
        'a = ["side effects", "effects side", "zebra"]\n'  # 3
        "bad = 1\n"  # 4
        "[other]\n"  # 5
    )
    assert check(tmp_path, text) == [
        (2, "warning", "'hazard' (for 'b') is not in the pack, so it never matches"),
        (3, "warning", "'effects side' (for 'a') is not in the pack, so it never matches"),
        (3, "warning", "'zebra' (for 'a') is not in the pack, so it never matches"),
        (4, "error", "'bad' must map to a list of one or more words or phrases; entry skipped"),
        (5, "error", "unknown key 'other'; entries belong under [synonyms]"),
    ]


def test_check_of_a_file_with_nothing_to_search(tmp_path: Path) -> None:
    assert check(tmp_path, None) == []
    assert check(tmp_path / "x", "bad = 1\n") == [
        (1, "error", "unknown key 'bad'; entries belong under [synonyms]"),
        (None, "error", "no [synonyms] table; no synonyms are used"),
    ]
    assert check(tmp_path / "y", b'[synonyms]\nk = ["\xff"]\n') == [
        (2, "error", "not UTF-8; not used")
    ]
    assert check(tmp_path / "z", '[synonyms]\nk = ["dependence"]\n') == []


def test_a_toml_error_at_the_end_names_the_last_line() -> None:
    assert problems("[synonyms]\nk = [\n\n") == [
        (
            3,
            "error",
            "not valid TOML: Invalid value (at end of document); no synonyms are used",
        )
    ]
    assert problems("k = [") == [
        (1, "error", "not valid TOML: Invalid value (at end of document); no synonyms are used")
    ]


def test_too_deep_a_file_is_named_without_a_line() -> None:
    assert problems("x = " + "[" * 30_000 + "]" * 30_000 + "\n") == [
        (None, "error", "nested too deeply to read; no synonyms are used")
    ]


def test_keys_of_other_tables_and_arrays_of_tables_are_not_synonym_lines() -> None:
    text = (
        '[notes]\nk = "x"\n'  # 1-2: the same key in another table
        '[[list]]\nk = "y"\n'  # 3-4: an array of tables does not switch the table
        '[synonyms]\nk = ["v"]\n'  # 5-6
    )
    table, found = parse_synonyms(text, "x")
    assert table.lines == {"k": 6}
    assert [(d.line, d.message) for d in found] == [
        (3, "unknown key 'list'; entries belong under [synonyms]"),
        (1, "unknown key 'notes'; entries belong under [synonyms]"),
    ]
