"""Search room: spelling folds, completions and suggestions, rule by rule and at their bounds."""

from __future__ import annotations

import pytest

from ketreader.search.spelling import (
    MAX_INDEXED_WORDS,
    MAX_MEASURED,
    Vocabulary,
    fold,
)
from ketreader.search.stopwords import is_stop_word, stop_words


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("anaesthesia", "anesthesia"),
        ("oedema", "edema"),
        ("diarrhoea", "diarrhea"),
        ("tumour", "tumor"),
        ("tumours", "tumors"),
        ("coloured", "colored"),
        ("colouring", "coloring"),
        ("behavioural", "behavioral"),
        ("favourite", "favorite"),
        ("honourable", "honorable"),
        ("colourful", "colorful"),
        ("organise", "organize"),
        ("organises", "organizes"),
        ("organised", "organized"),
        ("organising", "organizing"),
        ("organisation", "organization"),
        ("organisations", "organizations"),
        ("organiser", "organizer"),
        ("organisers", "organizers"),
        ("analyse", "analyze"),
        ("analyses", "analyzes"),
        ("analysed", "analyzed"),
        ("analysing", "analyzing"),
        ("centre", "center"),
        ("centres", "centers"),
        ("catalogue", "catalog"),
        ("catalogues", "catalogs"),
        ("licence", "license"),
        ("defences", "defenses"),
        ("sulphate", "sulfate"),
        ("programme", "program"),
        ("programmes", "programs"),
    ],
)
def test_british_and_american_spellings_fold_together(british: str, american: str) -> None:
    assert fold(british) == fold(american) == american


@pytest.mark.parametrize(
    "word",
    [
        "shoe",  # oe ending a word
        "four",  # "our" after fewer than three letters
        "hour",
        "journey",  # "our" not ending the word
        "tourist",
        "detour",
        "contour",
        "devour",
        "flour",
        "crisis",  # "is" not before a suffix
        "analysis",
        "tree",  # "tre" not ending the word
        "atre",  # "tre" after one letter
        "roguery",
        "fence",  # "ence" after one letter
        "hence",
        "essences",
    ],
)
def test_words_that_only_look_british_stay_as_they_are(word: str) -> None:
    expected = {"essences": "essenses"}.get(word, word)
    assert fold(word) == expected


def test_variants_are_the_word_then_its_other_spellings_in_the_pack() -> None:
    vocabulary = Vocabulary({"tumour": 2, "tumor": 5, "tumours": 1, "organise": 1})
    assert vocabulary.variants("tumor") == ["tumor", "tumour"]
    assert vocabulary.variants("tumour") == ["tumour", "tumor"]
    assert vocabulary.variants("organize") == ["organize", "organise"]
    assert vocabulary.variants("zebra") == ["zebra"]


def test_completions_are_the_most_frequent_in_either_spelling() -> None:
    vocabulary = Vocabulary(
        {"anaesthetic": 2, "anesthesia": 2, "anemia": 9, "ankle": 7, "anaemic": 1, "bone": 3}
    )
    assert vocabulary.completions("an") == [
        "anemia",
        "ankle",
        "anaesthetic",
        "anesthesia",
        "anaemic",
    ]
    assert vocabulary.completions("an", limit=2) == ["anemia", "ankle"]
    assert vocabulary.completions("anes") == ["anaesthetic", "anesthesia"]
    assert vocabulary.completions("anaes") == ["anaesthetic", "anesthesia"]
    assert vocabulary.completions("zz") == []


def test_a_prefix_counts_every_occurrence_of_its_words() -> None:
    vocabulary = Vocabulary({"ket": 1, "ketamine": 5, "ketone": 2, "kettle": 4, "key": 8})
    assert vocabulary.prefix_count("ket") == 12
    assert vocabulary.prefix_count("keta") == 5
    assert vocabulary.prefix_count("k") == 20
    assert vocabulary.prefix_count("z") == 0
    assert "ket" in vocabulary and "kit" not in vocabulary


def test_the_closest_suggestion_wins_then_the_most_frequent() -> None:
    vocabulary = Vocabulary({"seizure": 1, "seizures": 3, "sedation": 4, "sedative": 9})
    assert vocabulary.suggest("seizurs") == "seizures"  # one slip beats two
    assert vocabulary.suggest("sedatio") == "sedation"
    assert vocabulary.suggest("sedatiev") == "sedative"  # a swap is one slip
    # Two words two slips away: the more frequent one, then the first in order.
    assert Vocabulary({"halluxinatiom": 1, "hallucinatiom": 3}).suggest("halluzinatiow") == (
        "hallucinatiom"
    )
    assert Vocabulary({"abcdefgh": 2, "abcdefhg": 2}).suggest("abxdefgh", limit=1) == "abcdefgh"


def test_two_slips_are_allowed_only_in_longer_words_and_within_the_limit() -> None:
    vocabulary = Vocabulary({"hallucinations": 1, "dissociative": 2})
    assert vocabulary.suggest("halucinatons") == "hallucinations"
    assert vocabulary.suggest("halucinatons", limit=1) is None
    assert vocabulary.suggest("disociatve", limit=3) == "dissociative"
    assert vocabulary.suggest("dxsociatxve") is None  # three slips
    assert Vocabulary({"abcdef": 1}).suggest("abxdxf") == "abcdef"  # six letters: two slips
    assert Vocabulary({"abcde": 1}).suggest("abxdx") is None  # five letters: one slip


def test_a_swap_of_the_first_two_letters_is_still_a_two_slip_candidate() -> None:
    vocabulary = Vocabulary({"hallucinations": 1})
    assert vocabulary.suggest("ahllucinatons") == "hallucinations"
    assert vocabulary.suggest("xallucinatoms") is None


def filler(head: str, count: int, length: int) -> dict[str, int]:
    """``count`` distinct frequent words of ``length`` letters starting with ``head``,
    each far from any real word."""
    words = {}
    for i in range(count):
        digits = f"{i:05d}"
        words[head + digits + "q" * (length - len(head) - len(digits))] = 5
    return words


@pytest.mark.parametrize(("extra", "found"), [(0, "hallucinations"), (1, None)])
def test_only_the_most_frequent_words_are_measured_for_two_slips(
    extra: int, found: str | None
) -> None:
    # The query has 12 letters: words of 10 to 14 letters starting h or a are measured.
    words = filler("h", MAX_MEASURED - 1 + extra, 12)
    words |= filler("hh", 50, 9) | filler("hh", 50, 15)  # too short or long: not counted
    assert Vocabulary({**words, "hallucinations": 1}).suggest("halucinatons") == found
    assert Vocabulary({**words, "hallucinations": 9}).suggest("halucinatons") == "hallucinations"


def test_words_starting_with_the_second_letter_are_measured_too() -> None:
    words = filler("a", MAX_MEASURED, 12)
    assert Vocabulary({**words, "hallucinations": 1}).suggest("halucinatons") is None
    words = filler("a", MAX_MEASURED - 1, 12)
    assert Vocabulary({**words, "hallucinations": 1}).suggest("halucinatons") == ("hallucinations")


@pytest.mark.parametrize(("extra", "found"), [(0, "bladder"), (1, None)])
def test_the_one_slip_index_holds_the_most_frequent_words_of_a_letter(
    extra: int, found: str | None
) -> None:
    words = filler("b", MAX_INDEXED_WORDS - 1 + extra, 7)
    assert Vocabulary({**words, "bladder": 1}).suggest("bladdr") == found


def test_the_one_slip_index_counts_words_whose_second_letter_leads() -> None:
    # "eyes" less its first letter is "yes": found only among the words with "y" second.
    assert Vocabulary({"eyes": 9, "other": 1}).suggest("yes") == "eyes"
    words = filler("y", MAX_INDEXED_WORDS, 4)
    assert Vocabulary({**words, "eyes": 1}).suggest("yes") is None


def test_stop_words_follow_the_primary_language_tag() -> None:
    english = stop_words("en")
    assert "the" in english and "ketamine" not in english
    assert stop_words(" EN_gb ") == english
    assert stop_words("en-US") == english
    assert stop_words("fr") == frozenset()
    assert stop_words(None) == stop_words("") == frozenset()
    assert is_stop_word("don’t", english) and is_stop_word("don't", english)
    assert not is_stop_word("dose", english)


def test_only_the_first_part_of_a_language_tag_counts() -> None:
    assert stop_words("en-GB-oxendict") == stop_words("en")
    assert stop_words("en_US_POSIX") == stop_words("en")
