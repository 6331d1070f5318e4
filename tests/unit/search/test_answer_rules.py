"""Search room: splitting a section into candidate answers, and choosing the one that answers."""

from __future__ import annotations

import math

import pytest

from ketreader.search.answers import (
    MAX_SCANNED_CHARS,
    MAX_UNIT_CHARS,
    answer_units,
    best_answer,
    prepared_units,
    sentences,
)
from ketreader.search.snippets import Marker


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("One here. Two there! Three? Four", ["One here.", "Two there!", "Three?", "Four"]),
        ("A dose of 5 mg. 10 mg later.", ["A dose of 5 mg.", "10 mg later."]),
        ("It said “Stop.” Then it went.", ["It said “Stop.”", "Then it went."]),
        ('He said "Go." (Then left.)', ['He said "Go."', "(Then left.)"]),
        ("See e.g. this one. And more.", ["See e.g. this one.", "And more."]),
        ("Ends with a stop.  ", ["Ends with a stop."]),
        ("Dr. Smith. Next.", ["Dr.", "Smith.", "Next."]),
        ("A.B. no space", ["A.B. no space"]),
        ("", []),
    ],
)
def test_sentences_end_before_a_capital_or_a_digit(line: str, expected: list[str]) -> None:
    assert sentences(line) == expected


def test_a_lead_in_sentence_carries_its_list() -> None:
    text = (
        "Effects include:\n- nausea\n- dizziness\nMost pass quickly. They are mild.\n"
        "- a lone item\n1. numbered\nAfter:\n2) second"
    )
    assert answer_units(text) == [
        ("Effects include:", "nausea", "dizziness"),
        ("Most pass quickly.",),
        ("They are mild.",),
        ("a lone item",),
        ("numbered",),
        ("After:", "second"),
    ]


def test_a_list_belongs_only_to_the_sentence_just_before_it() -> None:
    text = "First: not a lead in. Second part here.\n- item"
    assert answer_units(text) == [
        ("First: not a lead in.",),
        ("Second part here.",),
        ("item",),
    ]


def test_short_sentences_are_read_with_the_next() -> None:
    assert answer_units("No. It is not addictive. Yes it is!") == [
        ("No. It is not addictive.",),
        ("Yes it is!",),
    ]
    assert answer_units("It is fine. No. Really.") == [("It is fine.",), ("No. Really.",)]
    assert answer_units("Two words. Three whole words.") == [("Two words. Three whole words.",)]


def test_only_the_start_of_a_long_section_is_read() -> None:
    text = "Word " * (MAX_SCANNED_CHARS // 5 - 1) + "end.\nLast sentence here."
    units = answer_units(text)
    assert all("Last" not in " ".join(u) for u in units)
    assert answer_units(text[: MAX_SCANNED_CHARS - 200] + "\nLast sentence here.")[-1] == (
        "Last sentence here.",
    )


def test_prepared_units_know_where_each_starts_and_its_length() -> None:
    prepared = prepared_units("Effects include:\n- nausea\n- dizziness\nMost pass quickly here.")
    assert prepared.units == [
        ("Effects include:", "nausea", "dizziness"),
        ("Most pass quickly here.",),
    ]
    assert prepared.text == "Effects include: nausea dizziness\nMost pass quickly here."
    assert prepared.starts == [0, 34, 58]
    assert prepared.lengths == [2, 4]
    assert prepared_units("- !!").lengths == [1]  # never zero: it divides


DOSE = Marker([["dose"], ["ketamine"]], {})


def test_the_best_answer_has_the_rarer_words() -> None:
    first = prepared_units(
        "Ketamine is used in hospitals. The dose of ketamine depends on weight. Other text."
    )
    others = [prepared_units("Ketamine is common here. Ketamine again now.")] * 3
    assert best_answer([first, *others], DOSE, [1.0, 1.0]) == (
        "The dose of ketamine depends on weight.",
    )


def test_weights_decide_between_concepts() -> None:
    section = prepared_units("The dose is small here. Ketamine is a drug used.")
    assert best_answer([section], DOSE, [5.0, 1.0]) == ("The dose is small here.",)
    assert best_answer([section], DOSE, [1.0, 5.0]) == ("Ketamine is a drug used.",)


def test_a_shorter_sentence_wins_a_tie_and_the_first_of_equals() -> None:
    section = prepared_units(
        "The dose is given here slowly over many long minutes. The dose is small. The dose here."
    )
    assert best_answer([section], DOSE, [1.0, 1.0]) == ("The dose here.",)
    same = prepared_units("The dose is small. The dose is large.")
    assert best_answer([same], DOSE, [1.0, 1.0]) == ("The dose is small.",)


def test_more_occurrences_score_more() -> None:
    section = prepared_units("One dose or two dose amounts. One dose and two more things.")
    assert best_answer([section], DOSE, [1.0, 1.0]) == ("One dose or two dose amounts.",)


def test_no_answer_without_a_word_of_the_query_in_the_first_section() -> None:
    first = prepared_units("Nothing relevant here at all.")
    other = prepared_units("The dose is small here.")
    assert best_answer([first, other], DOSE, [1.0, 1.0]) is None
    assert best_answer([], DOSE, [1.0]) is None
    assert best_answer([other], DOSE, []) is None
    assert best_answer([prepared_units(""), other], DOSE, [1.0, 1.0]) is None
    assert best_answer([other], Marker([[]], {}), [1.0]) is None


def test_a_long_unit_is_never_an_answer_but_a_long_list_may_be() -> None:
    long = "The dose " + "word " * (MAX_UNIT_CHARS // 5) + "end."
    section = prepared_units(long + " A dose here is short.")
    assert best_answer([section], DOSE, [1.0, 1.0]) == ("A dose here is short.",)
    exact = "The dose " + "x" * (MAX_UNIT_CHARS - len("The dose ") - 1) + "."
    assert len(exact) == MAX_UNIT_CHARS
    assert best_answer([prepared_units(exact)], DOSE, [1.0, 1.0]) == (exact,)
    items = "".join(f"\n- item {i} with more words to make it long" for i in range(12))
    listed = prepared_units("The dose depends on:" + items)
    assert best_answer([listed], DOSE, [1.0, 1.0]) == listed.units[0]
    assert len(" ".join(listed.units[0])) > MAX_UNIT_CHARS


def test_words_outside_the_query_do_not_count() -> None:
    marker = Marker([["dose"]], {1: "zzz"})
    section = prepared_units("A dose is here now. Nothing at all here now.")
    assert best_answer([section], marker, [1.0, 1.0]) == ("A dose is here now.",)


def test_a_match_counts_toward_the_unit_it_is_in() -> None:
    # The second unit starts right after the first: its match must not count for the first.
    section = prepared_units("Alpha beta gamma.\nDose is the word here.")
    assert best_answer([section], DOSE, [1.0, 1.0]) == ("Dose is the word here.",)
    assert math.isclose(section.starts[1], len("Alpha beta gamma.") + 1)
