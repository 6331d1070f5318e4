"""Search room tests: the edit distance behind suggestions, against a plain reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ketreader.search.spelling import Vocabulary, edit_distance


def reference(a: str, b: str) -> int:
    """Optimal string alignment distance, the whole table, no shortcuts."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@settings(max_examples=3000, deadline=None)
@given(st.text("abcd", max_size=8), st.text("abcd", max_size=8), st.integers(0, 3))
def test_banded_distance_matches_the_reference(a: str, b: str, limit: int) -> None:
    expected = reference(a, b)
    assert edit_distance(a, b, limit) == (expected if expected <= limit else limit + 1)


def test_one_slip_is_found_through_the_deletion_index() -> None:
    vocabulary = Vocabulary({"bladder": 5, "ladder": 9, "blunder": 1, "storage": 3})
    assert vocabulary.suggest("bladdr") == "bladder"  # a letter dropped
    assert vocabulary.suggest("storaeg") == "storage"  # two letters swapped
    assert vocabulary.suggest("bladder") is None  # a word of the pack is no misspelling
    assert vocabulary.suggest("blander", limit=1) in {"bladder", "blunder"}
    assert vocabulary.suggest("xyzzy") is None


def test_a_short_word_is_never_respelled_two_letters_away() -> None:
    # "kill" is not a slip for "kids", nor "drive" for "derives": in a word of five letters
    # or fewer, two changed letters make another word, not a misspelling of this one.
    vocabulary = Vocabulary({"kids": 3, "derives": 2, "hallucinations": 1})
    assert vocabulary.suggest("kill", limit=2) is None
    assert vocabulary.suggest("drive", limit=2) is None
    assert vocabulary.suggest("halucinatons", limit=2) == "hallucinations"


def test_a_suggestion_keeps_the_first_letter() -> None:
    # "last" and "fast", "take" and "make" are different words, not one word misspelled;
    # typists rarely miss the first letter, so a change there is no slip.
    vocabulary = Vocabulary({"fast": 5, "make": 4, "bladder": 3, "nmda": 2})
    assert vocabulary.suggest("last") is None
    assert vocabulary.suggest("take") is None
    assert vocabulary.suggest("vladder", limit=2) is None
    assert vocabulary.suggest("bladdr") == "bladder"
    assert vocabulary.suggest("mnda") == "nmda"  # the first two letters swapped is a slip
