"""Search room: what a typed query is made of: words, phrases, the word being typed, bounds."""

from __future__ import annotations

import pytest

from ketreader.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Term,
    is_token_char,
    normalize,
    parse_query,
    quote,
    words_of,
)


def test_token_characters_are_letters_numbers_and_private_use() -> None:
    assert all(is_token_char(ch) for ch in "aZé7٣\ue000")
    assert not any(is_token_char(ch) for ch in " -'’_.!\u200b")


def test_words_keep_hyphens_and_apostrophes_inside_only() -> None:
    assert words_of("Side-Effects don't ’quoted’ -lead trail- --") == [
        "side-effects",
        "don't",
        "quoted",
        "lead",
        "trail",
    ]
    assert words_of("a/b c.d (e) f&g") == ["a", "b", "c", "d", "e", "f", "g"]
    assert words_of("' - ’") == []
    assert words_of("x-'-y") == ["x-'-y"]


def test_compatibility_forms_and_controls_are_cleaned() -> None:
    assert normalize("ＫＥＴ ﬁ") == "KET fi"
    assert parse_query("ket\x00amine\u200bdose\u2028x\u2029y ") == [
        Term(("ket",)),
        Term(("amine",)),
        Term(("dose",)),
        Term(("x",)),
        Term(("y",)),
    ]
    assert parse_query("ＤＯＳＥ ") == [Term(("dose",))]


def test_only_so_much_of_a_query_is_read() -> None:
    raw = "a" * (MAX_QUERY_CHARS - 4) + " bcd efg"
    assert parse_query(raw)[-1] == Term(("bcd",), prefix=True)  # cut right after it
    words = " ".join(f"w{i}" for i in range(MAX_TERMS + 5)) + " "
    terms = parse_query(words)
    assert len(terms) == MAX_TERMS and terms[-1] == Term((f"w{MAX_TERMS - 1}",))


def test_quotes_make_phrases_and_curly_quotes_count() -> None:
    assert parse_query('dose "side effects" now ') == [
        Term(("dose",)),
        Term(("side", "effects"), phrase=True),
        Term(("now",)),
    ]
    assert parse_query("“side effects” ") == [Term(("side", "effects"), phrase=True)]
    assert parse_query('"" dose ') == [Term(("dose",))]
    assert parse_query('"!!" dose ') == [Term(("dose",))]


@pytest.mark.parametrize(
    ("raw", "terms"),
    [
        ("ketamine do", [Term(("ketamine",)), Term(("do",), prefix=True)]),
        ("ketamine do ", [Term(("ketamine",)), Term(("do",))]),
        ("ketamine do\t", [Term(("ketamine",)), Term(("do",))]),
        ("ketamine d", [Term(("ketamine",))]),
        ("d", []),
        ('"side effects"', [Term(("side", "effects"), phrase=True)]),
        ('"side effects" ', [Term(("side", "effects"), phrase=True)]),
        ('"side eff', [Term(("side", "eff"), phrase=True, prefix=True)]),
        ('"side e', [Term(("side",), phrase=True)]),
        ('"s', []),
        ('dose "s', [Term(("dose",))]),
        ('"side effects" do', [Term(("side", "effects"), phrase=True), Term(("do",), prefix=True)]),
        ('dose "', [Term(("dose",))]),
        ("dose!", [Term(("dose",), prefix=True)]),
    ],
)
def test_the_word_being_typed(raw: str, terms: list[Term]) -> None:
    assert parse_query(raw) == terms


def test_a_term_reads_as_its_words() -> None:
    assert Term(("side", "effects"), phrase=True).text == "side effects"


def test_quoting_doubles_inner_quotes() -> None:
    assert quote('say "hi"') == '"say ""hi"""'
    assert quote("") == '""'


def test_a_trailing_invisible_character_ends_the_word() -> None:
    # A zero-width space (a format character) is no letter: the word before it is complete.
    assert parse_query("dose\u200b") == [Term(("dose",))]
    assert parse_query("dose\u00ad") == [Term(("dose",))]
