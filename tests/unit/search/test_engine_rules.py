"""Search room: the engine's rules: which words are respelled, titles first, answers, highlights."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ketreader.pipeline import open_library
from ketreader.search import engine as engine_module
from ketreader.search.engine import (
    SearchEngine,
    SectionTexts,
    _corrected_query,
    marker_for,
)
from ketreader.search.index import SearchIndex
from ketreader.search.plan import Concept
from tests.conftest import write_pack

FILLER = "Plain words about nothing in particular fill this part of the text. " * 3


def pack(root: Path, body: str, synonyms: str | None = None, language: str = "en") -> SearchIndex:
    write_pack(root, {"a.md": body})
    manifest = root / "pack.toml"
    manifest.write_text(manifest.read_text("utf-8") + f'language = "{language}"\n', "utf-8")
    if synonyms is not None:
        (root / "synonyms.toml").write_text(synonyms, "utf-8")
    return open_library(root, use_cache=False).index


CLINIC = (
    "# Clinic\n\n## Sedation\n\nSedation with ketamine is common. Bladder problems are rare.\n\n"
    "## Hallucinations\n\nHallucinations may happen during recovery.\n\n"
    "## Tools\n\nThe hospital uses monitors and pumps.\n\n"
    "## Ketamine sedation\n\nA short section about the drug and sleep.\n\n"
    f"## What is sedation\n\n{FILLER} Sedation is a calm state.\n"
)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return pack(tmp_path_factory.mktemp("clinic") / "p", CLINIC, '[synonyms]\nuk = ["hospital"]\n')


def ids(index: SearchIndex, query: str, **options: bool) -> list[str]:
    return [h.id for h in index.search(query, **options).hits]


def test_nothing_to_search_is_an_empty_result(clinic: SearchIndex) -> None:
    for raw in ("", "   ", "k", "!!"):
        result = clinic.search(raw)
        assert result.hits == () and result.plan is None and not result.common_words_only
    common = clinic.search("what is it ")
    assert common.common_words_only and common.plan is not None and common.hits == ()


def test_the_limit_is_at_least_one(clinic: SearchIndex) -> None:
    assert len(clinic.search("sedation", limit=0).hits) == 1
    assert len(clinic.search("sedation", limit=1).hits) == 1
    assert len(clinic.search("sedation", limit=2).hits) == 2


def test_a_long_misspelling_is_corrected_two_slips_away(clinic: SearchIndex) -> None:
    result = clinic.search("halucinatons")
    assert result.suggestion == "hallucinations" and result.hits[0].id == "hallucinations"
    assert clinic.search("halucinatons", correct=False).hits == ()
    assert clinic.search("halucinatons", correct=False).suggestion is None


def test_beside_matching_words_short_words_get_one_slip_long_words_two(
    clinic: SearchIndex,
) -> None:
    # "sedaton" (7 letters, one slip) beside a matching word: corrected.
    assert clinic.search("ketamine sedaton").suggestion == "ketamine sedation"
    # "sedtaoin" (8 letters, two slips) beside a matching word: corrected, being long.
    assert clinic.search("ketamine sedtaoin").suggestion == "ketamine sedation"
    # "sdeaton" (7 letters, two slips) beside a matching word: left as typed.
    assert clinic.search("ketamine sdeaton").suggestion is None
    # Alone, the same slips are corrected.
    assert clinic.search("sdeaton").suggestion == "sedation"


def test_short_words_are_corrected_only_when_nothing_else_matches(clinic: SearchIndex) -> None:
    assert clinic.search("drig").suggestion == "drug"  # four letters, alone
    assert clinic.search("ketamine drig").suggestion == "ketamine drug"  # four: always
    assert clinic.search("slep").suggestion == "sleep"
    assert clinic.search("dru ").suggestion == "drug"  # three letters, alone
    assert clinic.search("ketamine dru ").suggestion is None  # three, beside a match
    assert clinic.search("dr ").suggestion is None  # two letters: never


def test_a_synonym_key_can_be_the_correction(clinic: SearchIndex) -> None:
    result = clinic.search("ukk ")
    assert result.suggestion == "uk" and [h.id for h in result.hits] == ["tools"]


def test_the_corrected_query_keeps_the_rest_as_typed() -> None:
    assert _corrected_query("  Is  Sedaton ok? ", {"sedaton": "sedation"}) == "Is sedation ok?"
    assert _corrected_query("sedatons sedaton_x", {"sedaton": "sedation"}) == (
        "sedatons sedation_x"
    )
    assert _corrected_query("ＳＥＤＡＴＯＮ", {"sedaton": "sedation"}) == "sedation"
    assert _corrected_query("a b", {"a": "x", "b": "y"}) == "x y"


def test_suggestions_are_remembered_and_bounded(
    clinic: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = SearchEngine(clinic, "en")
    asked: list[str] = []
    real = engine._closest_word

    def counted(word: str, limit: int) -> str | None:
        asked.append(word)
        return real(word, limit)

    monkeypatch.setattr(engine, "_closest_word", counted)
    monkeypatch.setattr(engine_module, "MAX_REMEMBERED", 1)
    assert engine._suggest("sedaton", 1) == "sedation"
    assert engine._suggest("sedaton", 1) == "sedation"
    assert engine._suggest("sedaton", 2) == "sedation"
    assert asked == ["sedaton", "sedaton"]
    engine._suggest("drig", 1)  # two remembered: more than the bound, so cleared first
    engine._suggest("sedaton", 1)
    assert asked == ["sedaton", "sedaton", "drig", "sedaton"]


def test_a_stop_word_is_never_the_correction(tmp_path: Path) -> None:
    index = pack(tmp_path / "p", "# T\n\n## A\n\nThe wheel turned.\n")
    assert index.search("whel").suggestion == "wheel"
    assert index.search("whem").suggestion is None  # "when" is a stop word


def test_a_pack_word_wins_a_tie_with_a_synonym_key(tmp_path: Path) -> None:
    index = pack(
        tmp_path / "p", "# T\n\n## A\n\nA sedation note.\n", '[synonyms]\nsedatio = ["note"]\n'
    )
    assert index.engine._closest_word("sedatioo", 1) == "sedation"  # one slip from both
    assert index.engine._closest_word("sedati", 1) == "sedatio"  # the key is closer
    assert index.engine._closest_word("sedati", 2) == "sedatio"
    assert index.engine._closest_word("zzzzzz", 2) is None


def test_a_title_with_every_typed_word_in_order_comes_first(clinic: SearchIndex) -> None:
    assert ids(clinic, "sedation ")[0] != "what-is-sedation"
    assert ids(clinic, "what is sedation ")[0] == "what-is-sedation"
    assert ids(clinic, "what is sedation ")[1:] == ids(clinic, "sedation ")[:-1]
    assert ids(clinic, "sedation is what ")[0] != "what-is-sedation"


def test_weights_follow_how_rare_each_concepts_words_are(clinic: SearchIndex) -> None:
    engine = clinic.engine
    total = sum(engine.lexicon.vocabulary.frequencies.values())
    frequencies = engine.lexicon.vocabulary.frequencies
    rare, common = (
        Concept("x", (), True, frozenset({"bladder"})),
        Concept("y", (), True, frozenset({"sedation", "ketamine"})),
    )
    count = frequencies["sedation"] + frequencies["ketamine"]
    assert engine._weights((rare, common)) == [
        math.log(1 + (total - 1 + 0.5) / 1.5),
        math.log(1 + (total - count + 0.5) / (count + 0.5)),
    ]
    unknown = Concept("z", (), False, frozenset({"zebra"}), synonym_marks=frozenset({"bladder"}))
    assert engine._weights((unknown,)) == [math.log(1 + (total - 1 + 0.5) / 1.5)]


def test_a_question_gets_an_answer_and_a_keyword_does_not(clinic: SearchIndex) -> None:
    question = clinic.search("are bladder problems common?")
    assert question.hits[0].answer == "Bladder problems are rare."
    assert "Bladder problems are rare." not in question.hits[0].snippet.replace("<b>", "")
    assert clinic.search("bladder problems").hits[0].answer is None


def test_highlights_are_the_matched_words_longest_first(clinic: SearchIndex) -> None:
    result = clinic.search("halluc")
    assert clinic.engine.highlight_words(result) == ("hallucinations",)
    assert clinic.engine.highlight_words(clinic.search("uk ")) == ("hospital",)
    assert clinic.engine.highlight_words(clinic.search("zebra ")) == ()
    assert clinic.engine.highlight_words(clinic.search("what is ")) == ()
    both = clinic.engine.highlight_words(clinic.search("sedation ketamine "))
    assert both == ("ketamine", "sedation")


def test_section_texts_are_made_once_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "MAX_REMEMBERED_SECTIONS", 1)
    texts = SectionTexts()
    first = texts.line(1, "- a\n- b")
    assert first == "a · b"
    assert texts.line(1, "ignored now") is first
    units = texts.units(1, "One two three.")
    assert units.units == [("One two three.",)]
    assert texts.units(1, "ignored") is units
    texts.line(2, "x")
    texts.units(2, "Four five six.")
    assert texts.line(1, "changed") is first  # two kept: one more than the bound
    texts.line(3, "y")  # clears them first
    texts.units(3, "y")
    assert texts.line(1, "changed") == "changed"
    assert texts.units(1, "Seven eight nine.").units == [("Seven eight nine.",)]


def test_a_marker_marks_each_concepts_words_and_prefix() -> None:
    a = Concept("a", (), True, frozenset({"dose"}), synonym_marks=frozenset({"amount"}))
    b = Concept("b", (), True, prefix="ket")
    marker = marker_for((a, b))
    text = "dose amount ketamine"
    assert [(text[m.start : m.end], m.concept) for m in marker.find(text)] == [
        ("dose", 0),
        ("amount", 0),
        ("ketamine", 1),
    ]
    assert marker_for((a, b)) is marker


def test_a_hits_score_is_its_bm25_negated_and_rounded(clinic: SearchIndex) -> None:
    result = clinic.search("hallucinations ")
    (raw,) = clinic.rank(clinic.engine.planner.concept("hallucinations").expression(), 20)
    assert [h.score for h in result.hits] == [round(-raw[1], 4)]
    assert result.hits[0].score > 0
    assert result.hits[0].title == "Hallucinations" and result.hits[0].parent_title == "Clinic"


def test_a_title_with_two_typed_words_in_order_comes_first(tmp_path: Path) -> None:
    body = (
        "# Top\n\n## Alpha\n\nKetamine sedation. Ketamine and sedation again, sedation.\n\n"
        f"## Ketamine sedation\n\n{FILLER} Ketamine and sedation, once. {FILLER}\n"
    )
    index = pack(tmp_path / "p", body)
    assert ids(index, "sedation ketamine ")[0] == "alpha"
    assert ids(index, "ketamine sedation ")[0] == "ketamine-sedation"
