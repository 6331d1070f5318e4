"""Small rules of the plain-Python rooms, pinned down where mutation testing found them loose."""

from __future__ import annotations

import pytest

from ketreader.render.bounds import FENCE_WARNING, bound
from ketreader.render.export import export_html
from ketreader.render.pack_render import render_pack
from ketreader.search.answers import _item_text
from ketreader.search.synonyms import parse_synonyms
from tests.conftest import GUIDE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1. Take it with water", "Take it with water"),
        ("12) Second", "Second"),
        ("1.", "1."),  # a number alone stays
        ("Dose 1. then", "Dose 1. then"),
        ("a. letter", "a. letter"),
    ],
)
def test_an_ordered_items_number_is_not_text_to_find(line: str, expected: str) -> None:
    assert _item_text(line) == expected


def test_a_fence_warning_names_the_line_of_the_fence() -> None:
    text = "Intro line.\n\nSecond paragraph.\n\n" + "`" * 100 + " " * 200 + "\ncode\n" + "x" * 900
    bounded = bound(text)
    assert (FENCE_WARNING, 5) in bounded.warnings


def test_every_skipped_synonym_entry_is_an_error() -> None:
    text = (
        "[synonyms]\n"
        'a = ["a"]\n'  # no other word
        '"one two three four five six seven eight nine" = ["x"]\n'  # too many words
        "b = [" + ", ".join(f'"w{n}"' for n in range(200)) + "]\n"  # too many values
        'c = ["fine"]\n'
    )
    _table, problems = parse_synonyms(text, "synonyms.toml")
    skipped = [p for p in problems if p.message.endswith("entry skipped")]
    assert len(skipped) == 3, problems
    assert all(p.severity == "error" and p.path == "synonyms.toml" and p.line for p in skipped)


def test_an_export_without_a_language_says_english() -> None:
    from ketreader.content.pack import load_pack

    pack = render_pack(load_pack(GUIDE))
    pack.language = None
    assert '<html lang="en">' in export_html(pack)
