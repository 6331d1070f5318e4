"""Search room: splitting a section into candidate answers, and choosing the one that answers."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketreader.search.answers import (
    MAX_SCANNED_CHARS,
    MAX_UNIT_CHARS,
    SectionUnits,
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


# -- against a plain reference ---------------------------------------------------------------

WORDS = ["dose", "ketamine", "zebra", "plain", "text", "here", "more"]


def reference_scores(
    sections: list[list[tuple[str, ...]]], marker: Marker, weights: list[float]
) -> dict[int, float]:
    """bm25 of each answerable unit of the first section, written out plainly."""
    from ketreader.search.answers import K1, B

    def concepts_in(unit: tuple[str, ...]) -> list[int]:
        return [m.concept for m in marker.find(" ".join(unit)) if m.concept >= 0]

    every = [unit for section in sections for unit in section]
    total = len(every)
    lengths = [max(1, len(re.findall(r"[^\W_]+", unit[0]))) for unit in every]
    average = sum(lengths) / total
    frequency = {c: sum(1 for unit in every if c in concepts_in(unit)) for c in range(len(weights))}
    scores: dict[int, float] = {}
    for number, unit in enumerate(sections[0]):
        found = concepts_in(unit)
        if not found or len(" ".join(unit)) > MAX_UNIT_CHARS * max(1, len(unit) // 2):
            continue
        norm = K1 * (1 - B + B * lengths[number] / average)
        score = 0.0
        for concept in set(found):
            f = found.count(concept)
            n = frequency[concept]
            idf = math.log(1 + (total - n + 0.5) / (n + 0.5)) * weights[concept]
            score += idf * f * (K1 + 1) / (f + norm)
        scores[number] = score
    return scores


sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(
    lambda words: " ".join(words).capitalize() + "."
)
section_text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(section_text, min_size=1, max_size=4),
    st.lists(st.floats(0.1, 5.0), min_size=2, max_size=2),
)
def test_the_answer_scores_best_by_the_reference(texts: list[str], weights: list[float]) -> None:
    marker = Marker([["dose"], ["ketamine"]], {})
    prepared = [prepared_units(text) for text in texts]
    chosen = best_answer(prepared, marker, weights)
    scores = reference_scores([p.units for p in prepared], marker, weights)
    if not scores:
        assert chosen is None
        return
    assert chosen is not None
    best = max(scores.values())
    picked = [n for n, unit in enumerate(prepared[0].units) if unit == chosen and n in scores]
    assert picked and math.isclose(scores[picked[0]], best, rel_tol=1e-9)
    first_best = min(n for n, s in scores.items() if math.isclose(s, best, rel_tol=1e-9))
    assert prepared[0].units[first_best] == chosen


def test_only_one_opening_mark_is_looked_past_for_a_capital() -> None:
    assert sentences('One two three. "(Four five six.') == ['One two three. "(Four five six.']
    assert sentences('One two three. "Four five six.') == ["One two three.", '"Four five six.']


def test_an_item_loses_only_a_plain_number() -> None:
    assert answer_units("- 1a. Check the dose\n- 12X rest\n- 3) Third") == [
        ("1a. Check the dose",),
        ("12X rest",),
        ("Third",),
    ]


def test_the_length_a_unit_may_have_grows_with_its_list() -> None:
    def unit_of(lead: str, items: list[str]) -> SectionUnits:
        return prepared_units(lead + "".join(f"\n- {item}" for item in items))

    lead = "The dose depends on:"
    # A sentence alone: at most MAX_UNIT_CHARS.
    alone = "The dose " + "x" * (MAX_UNIT_CHARS - 8) + "."
    assert best_answer([prepared_units(alone)], DOSE, [1.0, 1.0]) is None
    # Three parts: still MAX_UNIT_CHARS (three halved is one).
    three = unit_of(lead, ["a" * 200, "b" * 200])
    assert len(" ".join(three.units[0])) > MAX_UNIT_CHARS
    assert best_answer([three], DOSE, [1.0, 1.0]) is None
    # Four parts: twice as much.
    four = unit_of(lead, ["a" * 200, "b" * 200, "c" * 200])
    assert len(" ".join(four.units[0])) <= 2 * MAX_UNIT_CHARS
    assert best_answer([four], DOSE, [1.0, 1.0]) == four.units[0]
    five = unit_of(lead, ["a" * 300, "b" * 300, "c" * 300, "d"])
    assert best_answer([five], DOSE, [1.0, 1.0]) is None
