"""Search room tests: questions as people type them: stop words, the closest matches, synonyms,
corrections shown, answers, snippets from the rendered text, and hostile text in snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketreader.library import Library
from ketreader.pipeline import open_library
from ketreader.search.index import SearchIndex
from ketreader.search.query import Term, parse_query
from tests.conftest import GUIDE, write_pack

FILLER = "Plain words about nothing in particular fill this part of the text. " * 6


def english_pack(
    root: Path, body: str, synonyms: str | None = None, language: str | None = "en"
) -> Library:
    """A one-document pack in the pack language given, with an optional synonyms file."""
    write_pack(root, {"a.md": body})
    if language:
        manifest = root / "pack.toml"
        manifest.write_text(manifest.read_text("utf-8") + f'language = "{language}"\n', "utf-8")
    if synonyms is not None:
        (root / "synonyms.toml").write_text(synonyms, "utf-8")
    return open_library(root, use_cache=False)


def ids(index: SearchIndex, query: str, **options: bool) -> list[str]:
    return [h.id for h in index.search(query, **options).hits]


@pytest.fixture(scope="module")
def guide() -> SearchIndex:
    return open_library(GUIDE).index


# -- every word first, then the closest matches --------------------------------------------


def test_a_section_with_every_word_outranks_sections_with_some(tmp_path: Path) -> None:
    body = (
        "# Zoo\n\n## Stripes\n\nZebra zebra zebra, the zebra again.\n\n"
        f"## Both\n\n{FILLER} A zebra met a giraffe once. {FILLER}\n\n"
        "## Necks\n\nGiraffe giraffe giraffe.\n"
    )
    index = english_pack(tmp_path / "p", body).index
    # By bm25 alone "Stripes" is the better zebra section ...
    assert ids(index, "zebra")[0] == "stripes"
    # ... but only "Both" has every word, so it leads; the others have one word of two, and
    # after a section with every word only those missing at most one word follow.
    result = index.search("zebra giraffe")
    assert result.hits[0].id == "both"
    assert result.complete == 1 and not result.partial


def test_no_section_with_every_word_gives_the_closest_matches_and_says_so(
    tmp_path: Path,
) -> None:
    body = (
        "# Zoo\n\n## Two\n\nA zebra and a giraffe.\n\n## One\n\nZebra zebra zebra zebra.\n\n"
        "## None\n\nNothing here.\n"
    )
    index = english_pack(tmp_path / "p", body).index
    result = index.search("zebra giraffe okapi")  # okapi is in no section
    assert [h.id for h in result.hits] == ["two", "one"]
    assert result.partial and result.complete == 0
    assert "No section has every word; showing the closest matches." in result.notices()


def test_fewer_than_three_complete_sections_are_followed_by_near_misses(
    guide: SearchIndex,
) -> None:
    # "dose" typed for "does": one section has dose, ketamine and work; the section that
    # answers has two of the three words, and follows it rather than vanishing.
    result = guide.search("how dose ketamine work")
    found = [h.id for h in result.hits]
    assert result.complete == 1
    assert "how-ketamine-works-in-the-brain" in found[1:3]


def test_questions_are_never_empty_while_their_words_are_in_the_guide(
    guide: SearchIndex,
) -> None:
    for question in ("can ketamine treat depression", "ketamine for pain", "dangers of ketamine"):
        assert guide.search(question).hits, question


# -- stop words ------------------------------------------------------------------------------


def test_stop_words_only_give_a_helpful_message(guide: SearchIndex) -> None:
    result = guide.search("what is it")
    assert result.hits == () and result.common_words_only
    (notice,) = result.notices()
    assert "only common words" in notice and "quotes" in notice


def test_stop_words_are_searched_inside_quotes(guide: SearchIndex) -> None:
    result = guide.search('"what is"')
    assert not result.common_words_only
    assert "what-is-ketamine" in [h.id for h in result.hits]


def test_stop_words_are_left_out_of_questions(guide: SearchIndex) -> None:
    assert ids(guide, "what are the side effects")[0] == "safety-profile-and-common-side-effects"
    assert ids(guide, "the side effects of it") == ids(guide, "side effects")


def test_stop_words_follow_the_pack_language(tmp_path: Path) -> None:
    body = "# Pack\n\n## Part\n\nWhat is it, then?\n"
    unknown = english_pack(tmp_path / "x", body, language=None).index
    assert ids(unknown, "what is it") == ["part"]  # no list for no language: words as typed
    english = english_pack(tmp_path / "en", body, language="en-GB").index
    assert english.search("what is it").common_words_only


# -- synonyms --------------------------------------------------------------------------------

SYNONYMS = """
[synonyms]
addictive = ["dependence"]
"side affects" = ["side effects"]
"""


def test_a_typed_word_outranks_its_synonym(tmp_path: Path) -> None:
    body = (
        "# Guide\n\n## Dependence\n\nDependence, dependence and more dependence.\n\n"
        f"## Habits\n\n{FILLER} Some say it is addictive. {FILLER}\n"
    )
    index = english_pack(tmp_path / "p", body, SYNONYMS).index
    assert ids(index, "dependence")[0] == "dependence"
    result = index.search("addictive")
    assert [h.id for h in result.hits] == ["habits", "dependence"]
    by_id = {h.id: h.snippet for h in result.hits}
    assert "<b>addictive</b>" in by_id["habits"]
    assert "<b>Dependence</b>" in by_id["dependence"]  # the snippet marks what matched


def test_synonyms_of_a_phrase_and_without_a_file(tmp_path: Path) -> None:
    body = "# Guide\n\n## Safety\n\nCommon side effects are mild.\n"
    with_file = english_pack(tmp_path / "a", body, SYNONYMS).index
    assert ids(with_file, "what are the side affects") == ["safety"]
    assert ids(with_file, "addictive") == []
    without = english_pack(tmp_path / "b", body).index
    assert ids(without, "is it addictive") == []


def test_the_guide_reads_its_synonyms(guide: SearchIndex) -> None:
    assert ids(guide, "is it addictive")[0] == "risks-of-misuse-and-long-term-concerns"
    assert "dependence" in guide.highlight_words(guide.search("is it addictive"))


def test_a_prefix_completes_to_a_synonym_key(guide: SearchIndex) -> None:
    # While "addictive" is being typed, "addic" already finds what it will.
    assert ids(guide, "ketamine addic")[:1] == ["risks-of-misuse-and-long-term-concerns"]


# -- spelling: the correction is said, and can be refused -------------------------------------


def test_a_corrected_query_says_so_and_can_be_searched_as_typed(guide: SearchIndex) -> None:
    corrected = guide.search("depresion")
    assert corrected.suggestion == "depression"
    assert corrected.notices()[0] == "Showing results for depression."
    assert corrected.hits
    as_typed = guide.search("depresion", correct=False)
    assert as_typed.suggestion is None and as_typed.hits == ()


def test_a_question_keeps_its_words_in_the_correction(guide: SearchIndex) -> None:
    result = guide.search("is ketamine addictve")
    assert result.suggestion == "is ketamine addictive"
    assert result.hits[0].id == "risks-of-misuse-and-long-term-concerns"


def test_a_word_of_the_readers_own_beside_matching_words_is_not_respelled(
    guide: SearchIndex,
) -> None:
    # "start" is two letters from "short": it stays as typed, beside words that match ...
    assert guide.search("when did ketamine start being used").suggestion is None
    # ... and alone, since two changed letters in a five-letter word make another word ...
    assert guide.search("start").suggestion is None
    # ... while a longer word two slips away is corrected, as any misspelling would be.
    assert guide.search("anestetcs").suggestion == "anesthetics"


# -- typing --------------------------------------------------------------------------------


def test_a_one_letter_last_word_waits_for_its_second_letter() -> None:
    assert parse_query("k") == []
    assert [t.words for t in parse_query("ketamine e")] == [("ketamine",)]
    assert parse_query("ke")[-1].prefix
    assert not parse_query("vitamin e ")[-1].prefix


def test_a_one_letter_word_matches_only_itself(tmp_path: Path) -> None:
    index = english_pack(tmp_path / "p", "# G\n\n## A\n\nelephants\n\n## B\n\nvitamin e\n").index
    assert ids(index, "e") == []  # being typed
    assert ids(index, "e ") == ["b"]
    assert ids(index, "vitamin e") == ["b"]  # "vitamin", while "e" is being typed
    assert ids(index, "el") == ["a"]
    assert index.search("elephnts").suggestion == "elephants"  # "Did you mean" still works


# -- what is shown ---------------------------------------------------------------------------


def test_a_question_gets_the_sentence_that_answers_it(guide: SearchIndex) -> None:
    result = guide.search("does ketamine cure depression")
    assert result.hits[0].answer == "No single medication offers a cure."
    assert guide.search("bladder").hits[0].answer is None  # a keyword is not a question


def test_the_snippet_below_an_answer_does_not_repeat_it(guide: SearchIndex) -> None:
    for question in ("does ketamine cure depression", "what are the side effects"):
        hit = guide.search(question).hits[0]
        assert hit.answer is not None
        plain = hit.snippet.replace("<b>", "").replace("</b>", "")
        assert hit.answer not in plain and hit.answer_parts[0] not in plain
        assert plain  # something else of the section is shown


def test_an_answer_that_introduces_a_list_carries_it(guide: SearchIndex) -> None:
    hit = guide.search("what are the side effects").hits[0]
    assert hit.answer_parts[0] == "Common short-term effects include:"
    assert hit.answer_parts[1:] == (
        "Changes in perception or dissociation",
        "Increased heart rate or blood pressure",
        "Nausea or dizziness",
        "Temporary confusion during recovery",
    )


def test_the_exact_title_comes_first(guide: SearchIndex) -> None:
    assert ids(guide, "What is ketamine?")[0] == "what-is-ketamine"


def test_snippets_come_from_the_rendered_text_without_list_dashes(guide: SearchIndex) -> None:
    snippet = guide.search("nausea").hits[0].snippet
    assert "- " not in snippet and " · " in snippet
    assert "<b>Nausea</b>" in snippet


def test_highlights_include_synonyms_and_forms(guide: SearchIndex) -> None:
    words = guide.highlight_words(guide.search("dangers of ketamine"))
    assert {"risks", "harm", "ketamine"} <= set(words)


# -- large packs: words too common to rank --------------------------------------------------


@pytest.mark.parametrize("budget", [0, 3, 10])
def test_words_too_common_to_rank_still_give_every_word_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    """With a budget of 0 every word is "too common" (as "ketamine" is in a 10,000-section
    pack): the sections are checked in Python instead of ranked, with the same rules."""
    from ketreader.search import ranking

    body = (
        "# Zoo\n\n## Stripes\n\nZebra zebra zebra, the zebra again.\n\n"
        f"## Both\n\n{FILLER} A zebra met a giraffe once. {FILLER}\n\n"
        "## Necks\n\nGiraffe giraffe giraffe.\n\n## Giraffe house\n\nTall animals live here.\n"
    )
    index = english_pack(tmp_path / "p", body).index
    monkeypatch.setattr(ranking, "RANK_BUDGET", budget)
    result = index.search("zebra giraffe")
    assert result.hits[0].id == "both" and result.complete == 1
    closest = index.search("zebra giraffe okapi")
    assert closest.partial and closest.hits[0].id == "both"
    assert {h.id for h in closest.hits} == {"both", "stripes", "necks", "giraffe-house"}
    # Only common words: sections with them in their titles first, then reading order.
    assert [h.id for h in index.search("giraffe").hits][:1] == ["giraffe-house"]
    assert {h.id for h in index.search("giraffe").hits} == {"giraffe-house", "both", "necks"}


@pytest.mark.parametrize(
    "question",
    [
        "can it kill you",  # not "can it kids you", answered with paediatric care
        "can I drive after",  # not "can I derives after", answered with phencyclidine
        "how long does ketamine last",  # not "... fast"
        "what happens if you take too much",  # not "... make too much"
    ],
)
def test_a_real_word_in_a_question_is_not_respelled_into_another(
    guide: SearchIndex, question: str
) -> None:
    assert guide.search(question).suggestion is None


def test_an_open_quote_finds_as_you_type() -> None:
    # The phrase being typed: its last word is still a prefix, as a bare word's is.
    assert parse_query('"side eff') == [Term(("side", "eff"), phrase=True, prefix=True)]
    assert parse_query('"side effects"') == [Term(("side", "effects"), phrase=True)]
    assert parse_query('"side eff ') == [Term(("side", "eff"), phrase=True)]
    assert parse_query('"side e') == [Term(("side",), phrase=True)]  # one letter waits
    assert parse_query('"s') == []


def test_every_keystroke_of_a_quoted_phrase_keeps_its_section(guide: SearchIndex) -> None:
    typed = '"side effects"'
    safety = "safety-profile-and-common-side-effects"
    for end in range(3, len(typed) + 1):
        if typed[end - 2 : end] == " e":  # a one-letter word waits for its second letter
            continue
        result = guide.search(typed[:end])
        assert [h.id for h in result.hits][:1] == [safety], typed[:end]
        assert not result.partial, typed[:end]


def test_a_phrase_being_typed_beside_a_word_needs_no_fallback(guide: SearchIndex) -> None:
    result = guide.search('ketamine "bladder prob')
    assert [h.id for h in result.hits] == ["risks-of-misuse-and-long-term-concerns"]
    assert not result.partial
    assert "problems" in guide.highlight_words(result)


def test_a_phrase_being_typed_finds_words_its_stemmed_prefix_would_miss(
    guide: SearchIndex,
) -> None:
    # "hospita"* is stemmed to hospita*, which misses "hospitals" (stored as hospit).
    assert ids(guide, '"hospita') == ["pain-management"]
    assert ids(guide, '"hospitals may u') == ["pain-management"]
