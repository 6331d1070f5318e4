"""Search room: which sections a query's concepts rank, in what order, and how many are complete.

Concepts come from the engine's own planner over a small pack; costs are raised by hand to
make a concept too common to rank, as a word in most sections of a large pack would be.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ketreader.pipeline import open_library
from ketreader.search import ranking as ranking_module
from ketreader.search.index import SearchIndex
from ketreader.search.plan import Concept
from ketreader.search.ranking import RANK_BUDGET, Ranking, _has_word, _split
from ketreader.search.synonyms import SynonymTable
from tests.conftest import write_pack

ZOO = (
    "# Zoo\n\n## Alpha\n\nZebra giraffe okapi.\n\n## Beta\n\nZebra giraffe.\n\n"
    "## Gamma\n\nZebra.\n\n## Delta\n\nGiraffe okapi.\n\n## Epsilon\n\nOkapi lion.\n"
)
STRIPES = (
    "# Zoo\n\n## Stripes\n\nThe stripes of a horse.\n\n## Plains\n\nZebra herds and giraffe.\n\n"
    "## Zebra facts\n\nStriped animals, stripes.\n\n## Necks\n\nGiraffe okapi zebra.\n\n"
    "## Other\n\nZebra alone.\n"
)


def pack_index(root: Path, body: str) -> SearchIndex:
    write_pack(root, {"a.md": body})
    index = open_library(root, use_cache=False).index
    index.use_synonyms(SynonymTable({"stripes": ("zebra",)}))
    return index


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return pack_index(tmp_path_factory.mktemp("zoo") / "p", ZOO)


@pytest.fixture(scope="module")
def stripes(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return pack_index(tmp_path_factory.mktemp("stripes") / "p", STRIPES)


def concepts(index: SearchIndex, *words: str) -> list[Concept]:
    return [index.engine.planner.concept(w) for w in words]


def common(concept: Concept) -> Concept:
    """The concept as if its words were in too many sections to rank."""
    return replace(concept, cost=RANK_BUDGET + 1)


def ranked(index: SearchIndex, found: list[Concept], limit: int = 20) -> tuple[list[str], int]:
    ranking = Ranking(index, found, limit)
    order, complete = ranking.run()
    rows = ranking.fetch(rowid for rowid, _ in order)
    return [rows[rowid][0] for rowid, _ in order], complete


def scores(index: SearchIndex, found: list[Concept]) -> list[tuple[str, float]]:
    ranking = Ranking(index, found, 20)
    order, _ = ranking.run()
    rows = ranking.fetch(rowid for rowid, _ in order)
    return [(rows[rowid][0], score) for rowid, score in order]


def test_nothing_alive_ranks_nothing(zoo: SearchIndex) -> None:
    assert ranked(zoo, concepts(zoo, "unicorn")) == ([], 0)
    assert ranked(zoo, []) == ([], 0)


def test_one_concept_is_plain_bm25(zoo: SearchIndex) -> None:
    assert ranked(zoo, concepts(zoo, "zebra")) == (["gamma", "beta", "alpha"], 3)
    assert ranked(zoo, concepts(zoo, "zebra"), limit=2) == (["gamma", "beta"], 2)
    assert ranked(zoo, concepts(zoo, "lion")) == (["epsilon"], 1)


def test_few_complete_sections_are_followed_by_those_missing_one_word(zoo: SearchIndex) -> None:
    # Only Alpha has all three; Beta and Delta have two; Gamma and Epsilon one: left out.
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe", "okapi")) == (
        ["alpha", "beta", "delta"],
        1,
    )
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe", "okapi"), limit=2) == (
        ["alpha", "beta"],
        1,
    )
    # Of two words, a section with one is not close enough to follow complete ones.
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe")) == (["beta", "alpha"], 2)


def test_enough_complete_sections_are_the_whole_answer(tmp_path: Path) -> None:
    body = (
        "# Zoo\n\n## A\n\nZebra giraffe.\n\n## B\n\nZebra giraffe too.\n\n"
        "## C\n\nZebra and giraffe.\n\n## D\n\nZebra only.\n"
    )
    index = pack_index(tmp_path / "p", body)
    found, complete = ranked(index, concepts(index, "zebra", "giraffe"))
    assert sorted(found) == ["a", "b", "c"] and complete == 3
    body = body.replace("## C\n\nZebra and giraffe.", "## C\n\nGiraffe.")
    index = pack_index(tmp_path / "q", body)
    found, complete = ranked(index, concepts(index, "zebra", "giraffe", "okapi"))
    assert complete == 0 and sorted(found) == ["a", "b", "c", "d"]


def test_with_no_complete_section_the_closest_have_at_least_half(zoo: SearchIndex) -> None:
    assert ranked(zoo, concepts(zoo, "zebra", "lion")) == (
        ["epsilon", "gamma", "beta", "alpha"],
        0,
    )
    # Alpha has three of four; then the sections with two; Gamma (one) is not close.
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe", "okapi", "lion")) == (
        ["alpha", "epsilon", "beta", "delta"],
        0,
    )
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe", "okapi", "lion"), limit=2) == (
        ["alpha", "epsilon"],
        0,
    )


def test_a_word_in_no_section_leaves_the_closest_matches_of_the_rest(zoo: SearchIndex) -> None:
    assert ranked(zoo, concepts(zoo, "zebra", "unicorn")) == (["gamma", "beta", "alpha"], 0)
    assert ranked(zoo, concepts(zoo, "zebra", "giraffe", "unicorn")) == (
        ["beta", "alpha", "gamma", "delta"],
        0,
    )


def test_typed_words_rank_before_their_synonyms(stripes: SearchIndex) -> None:
    found, complete = ranked(stripes, concepts(stripes, "stripes"))
    assert found[:2] == ["stripes", "zebra-facts"]
    assert sorted(found[2:]) == ["necks", "other", "plains"] and complete == 5
    assert ranked(stripes, concepts(stripes, "stripes"), limit=2) == (
        ["stripes", "zebra-facts"],
        2,
    )
    # No section has the typed words together: the synonym's sections are all there is.
    assert ranked(stripes, concepts(stripes, "stripes", "giraffe")) == (["necks", "plains"], 2)


def test_among_the_closest_typed_words_count_before_synonyms(stripes: SearchIndex) -> None:
    found, complete = ranked(stripes, concepts(stripes, "stripes", "okapi", "horse"))
    assert (found, complete) == (["stripes", "necks"], 0)


def test_a_common_concept_is_checked_in_the_text_of_the_rarer_ones_sections(
    stripes: SearchIndex,
) -> None:
    giraffe, zebra = concepts(stripes, "giraffe", "zebra")
    assert ranked(stripes, [giraffe, common(zebra)]) == ranked(stripes, [giraffe, zebra])
    assert ranked(stripes, [giraffe, common(zebra)]) == (["necks", "plains"], 2)
    okapi, horse = concepts(stripes, "okapi", "horse")
    assert scores(stripes, [okapi, common(horse)])[1] == ("stripes", 0.0)
    assert [s for s, _ in scores(stripes, [okapi, common(horse)])] == ["necks", "stripes"]


def test_only_common_concepts_rank_titles_first_then_reading_order(
    stripes: SearchIndex,
) -> None:
    found = scores(stripes, [common(c) for c in concepts(stripes, "zebra")])
    assert found[0][0] == "zebra-facts" and found[0][1] < 0
    assert found[1:] == [("plains", 0.0), ("necks", 0.0), ("other", 0.0)]
    assert ranked(stripes, [common(c) for c in concepts(stripes, "zebra", "giraffe")]) == (
        ["plains", "necks"],
        2,
    )


def test_common_concepts_count_among_the_closest_after_the_rest(stripes: SearchIndex) -> None:
    # Lion is in no section of this pack: no section is complete.
    okapi, giraffe, zebra, lion = concepts(stripes, "okapi", "giraffe", "zebra", "lion")
    assert ranked(stripes, [okapi, common(zebra), lion]) == (
        ["necks", "zebra-facts", "plains", "other"],
        0,
    )
    found = scores(stripes, [giraffe, common(zebra), lion])
    assert [s for s, _ in found[:2]] == ["necks", "plains"]  # both words: first
    assert found[2][0] == "zebra-facts" and found[3] == ("other", 0.0)
    assert ranked(stripes, [lion, common(zebra)])[0] == ["zebra-facts", "plains", "necks", "other"]


def test_the_budget_keeps_the_rarest_concepts_ranked() -> None:
    def made(label: str, cost: int) -> Concept:
        return Concept(label, (f'"{label}"',), True, cost=cost)

    a, b, c = made("a", 1600), made("b", 400), made("c", 100)
    assert _split([a, b, c]) == ([c, b], [a])
    exact = made("d", RANK_BUDGET - 500)  # the three together exactly fill the budget
    assert _split([exact, b, c]) == ([c, b, exact], [])
    assert _split([made("e", RANK_BUDGET + 1)])[0] == []
    assert _split([made("f", RANK_BUDGET)])[1] == []


def test_a_fetched_section_holds_a_word_whole_or_as_a_prefix(stripes: SearchIndex) -> None:
    ranking = Ranking(stripes, [], 5)
    rows = ranking.fetch(range(1, 7))
    by_id = {row[0]: rowid for rowid, row in rows.items()}
    stripes_concept = concepts(stripes, "stripes")[0]
    assert ranking.has(stripes_concept, by_id["necks"])  # zebra, its synonym
    assert not ranking.has(stripes_concept, by_id["necks"], typed_only=True)
    assert ranking.has(stripes_concept, by_id["stripes"], typed_only=True)
    zebra = concepts(stripes, "zebra")[0]
    assert ranking.has(zebra, by_id["zebra-facts"])  # in the title only
    prefix = Concept("neck", (), True, prefix="NECK")
    assert ranking.has(prefix, by_id["necks"]) and not ranking.has(prefix, by_id["plains"])
    assert not ranking.has(Concept("x", (), True), by_id["plains"])


def test_fetch_reads_each_section_once(
    stripes: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[int]] = []
    real = stripes.section_rows

    def counted(rowids: list[int], max_chars: int) -> dict[int, tuple[str, str, str | None, str]]:
        asked.append(list(rowids))
        assert max_chars == ranking_module.MAX_SECTION_CHARS
        return real(rowids, max_chars)

    monkeypatch.setattr(stripes, "section_rows", counted)
    ranking = Ranking(stripes, [], 5)
    ranking.fetch([2, 3, 2])
    ranking.fetch([3, 4])
    ranking.fetch([4])
    assert asked == [[2, 3], [4]]


@pytest.mark.parametrize(
    ("text", "word", "prefix", "found"),
    [
        ("zebra", "zebra", False, True),
        ("a zebra.", "zebra", False, True),
        ("zebras", "zebra", False, False),
        ("zebras", "zebra", True, True),
        ("unzebra", "zebra", True, False),
        ("zebras and zebra", "zebra", False, True),
        ("unzebra zebra", "zebra", True, True),
        ("x-zebra-y", "zebra", False, True),
        ("zebra2", "zebra", False, False),
        ("", "zebra", False, False),
    ],
)
def test_a_word_stands_whole_or_starts_a_word(
    text: str, word: str, prefix: bool, found: bool
) -> None:
    assert _has_word(text, word, prefix) is found
