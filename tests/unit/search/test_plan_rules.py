"""Search room: how a query becomes concepts: expressions, marks, costs, prefixes and synonyms.

The planner is driven here with a small hand-made lexicon (the index's stems written out), so
each rule shows on its own, without a pack or an index behind it.
"""

from __future__ import annotations

import math

import pytest

from ketreader.search import plan as plan_module
from ketreader.search.lexicon import Lexicon, WordRow
from ketreader.search.plan import Concept, Planner, QueryPlan
from ketreader.search.query import parse_query
from ketreader.search.stopwords import stop_words
from ketreader.search.synonyms import SynonymTable

ROWS: list[WordRow] = [
    ("ketamine", 40, "ketamin"),
    ("dose", 12, "dose"),
    ("doses", 6, "dose"),
    ("dosing", 3, "dose"),
    ("hospital", 5, "hospit"),
    ("hospitals", 4, "hospit"),
    ("dependence", 7, "depend"),
    ("dependent", 2, "depend"),
    ("side", 9, "side"),
    ("sidebar", 1, "sidebar"),
    ("effects", 8, "effect"),
    ("effect", 3, "effect"),
    ("tumour", 2, "tumour"),
    ("tumor", 1, "tumor"),
    ("record", 2, "record"),
    ("keeping", 2, "keep"),
    ("emergency", 3, "emerg"),
    ("regulated", 1, "regul"),
]
# Stems of words that are not in the pack, as the index would give them.
OTHER_STEMS = {"regulate": "regul", "regulates": "regul", "hospita": "hospita", "depends": "depend"}


class Index:
    """Stands in for the index: its stemmer (counted) and which expressions match."""

    def __init__(self, matching: set[str] | None = None) -> None:
        self.asked: list[list[str]] = []
        self.matching = matching or set()
        self.tried: list[str] = []

    def stems(self, words: list[str]) -> dict[str, str]:
        self.asked.append(list(words))
        return {w: OTHER_STEMS.get(w, w.rstrip("s")) for w in words}

    def exists(self, expression: str) -> bool:
        self.tried.append(expression)
        return expression in self.matching


def planner(
    synonyms: dict[str, tuple[str, ...]] | None = None,
    matching: set[str] | None = None,
    rows: list[WordRow] | None = None,
    sections: int = 0,
) -> tuple[Planner, Index]:
    index = Index(matching)
    lexicon = Lexicon(rows or ROWS, index.stems, sections)
    table = SynonymTable(synonyms or {})
    return Planner(lexicon, table, stop_words("en"), index.exists), index


def plan_of(p: Planner, raw: str) -> QueryPlan:
    return p.plan(raw, parse_query(raw))


# -- a concept's expression ------------------------------------------------------------------


def test_an_expression_ors_what_can_match() -> None:
    concept = Concept("a", ('"a"', '"b"'), True, synonyms=('"b"', '"c"'), synonyms_alive=True)
    assert concept.expression() == '("a" OR "b" OR "c")'
    assert concept.expression(typed_only=True) == '("a" OR "b")'
    assert concept.alive
    dead_typed = Concept("a", ('"a"',), False, synonyms=('"c"',), synonyms_alive=True)
    assert dead_typed.expression() == '"c"'
    assert dead_typed.expression(typed_only=True) == ""
    assert dead_typed.alive
    dead = Concept("a", ('"a"',), False, synonyms=('"c"',), synonyms_alive=False)
    assert dead.expression() == "" and not dead.alive
    assert Concept("a", ('"a"',), True).expression() == '"a"'


def test_only_common_words_is_a_query_of_stop_words_alone() -> None:
    assert QueryPlan("the", dropped=("the",)).only_common_words
    assert not QueryPlan("").only_common_words
    assert not QueryPlan(
        "x", concepts=(Concept("x", (), True),), dropped=("the",)
    ).only_common_words


# -- a whole query ---------------------------------------------------------------------------


def test_stop_words_are_dropped_and_make_a_question() -> None:
    p, _ = planner()
    found = plan_of(p, "what is the dose ")
    assert [c.label for c in found.concepts] == ["dose"]
    assert found.dropped == ("what", "is", "the")
    assert found.question
    assert found.words == ("what", "is", "the", "dose")
    assert not plan_of(p, "ketamine dose ").question
    assert plan_of(p, "ketamine dose?  ").question
    only = plan_of(p, "what is ")
    assert only.only_common_words and not only.question


def test_a_synonym_key_of_several_words_is_one_concept() -> None:
    p, _ = planner({"side affects": ("side effects",), "side": ("flank",)})
    found = plan_of(p, "Side  affects dose ")
    assert [c.label for c in found.concepts] == ["side affects", "dose"]
    first = found.concepts[0]
    assert first.typed == ('"side affects"',)
    assert first.synonyms == ('"side effects"',) and first.synonyms_alive
    assert first.synonym_marks == {"side", "effects", "effect"}
    assert found.words == ("side", "affects", "dose")


def test_the_longest_key_wins_and_a_phrase_breaks_a_run() -> None:
    p, _ = planner({"side": ("flank",), "side affects": ("side effects",), "affects": ("x",)})
    assert [c.label for c in plan_of(p, 'side "affects" ').concepts] == ["side", "affects"]
    assert [c.label for c in plan_of(p, "side affects ").concepts] == ["side affects"]
    # At the end of a query the key's last word is complete only once a space follows.
    typing = plan_of(p, "side affects")
    assert [c.label for c in typing.concepts] == ["side affects"]
    assert typing.concepts[0].prefix is None


def test_a_key_typed_as_its_last_word_completes_to_longer_keys() -> None:
    p, _ = planner({"dependence": ("addiction",), "dependent": ("reliant",)})
    concept = plan_of(p, "ketamine depend").concepts[1]
    assert concept.prefix == "depend"
    assert concept.typed == ('"dependence"', '"dependent"')
    assert concept.synonyms == ()  # neither value is in the pack
    concept = plan_of(p, "dependence").concepts[0]
    assert concept.prefix == "dependence" and concept.word == "dependence"


def test_a_phrase_is_alive_only_where_its_words_stand_together() -> None:
    p, index = planner(matching={'"side effects"'})
    concept = plan_of(p, '"side effects" ').concepts[0]
    assert concept == Concept(
        "side effects",
        ('"side effects"',),
        True,
        frozenset({"side", "effects", "effect"}),
        cost=9 + 8 + 3,
    )
    assert index.tried == ['"side effects"']
    assert not plan_of(p, '"effects side" ').concepts[0].alive
    assert not plan_of(p, '"side zebra" ').concepts[0].alive
    assert index.tried == ['"side effects"', '"effects side"']  # zebra is in no section
    lone = plan_of(p, '"ketamine" ').concepts[0]
    assert lone.alive and index.tried[-1] == '"effects side"'  # one word needs no search


def test_a_phrase_still_being_typed_completes_its_last_word() -> None:
    p, index = planner(matching={'"side effects"* OR "side effect"*'})
    concept = plan_of(p, '"side eff').concepts[0]
    assert concept.label == "side eff"
    assert concept.typed == ('"side eff"*',)
    assert not concept.alive
    p, index = planner(matching={'"side eff"*'})
    concept = plan_of(p, '"side eff').concepts[0]
    assert concept.alive and index.tried == ['"side eff"*']
    assert concept.marks == {"side", "effects", "effect"}
    assert concept.prefix is None
    p, index = planner(matching={'"hospital hospita"*'})
    assert not plan_of(p, '"hospital zz').concepts[0].alive  # no word starts zz
    assert not plan_of(p, '"zebra hospita').concepts[0].alive  # zebra is in no section
    assert index.tried == []


def test_a_typed_phrase_adds_the_words_its_stemmed_prefix_misses() -> None:
    expression = '"side hospital" OR "side hospitals" OR "side hospita"*'
    p, index = planner(matching={expression})
    concept = plan_of(p, '"side hospita').concepts[0]
    assert concept.typed == ('"side hospital"', '"side hospitals"', '"side hospita"*')
    assert concept.alive and index.tried == [expression]


# -- one word --------------------------------------------------------------------------------


def test_a_bare_word_is_itself_and_its_other_spellings() -> None:
    p, _ = planner()
    concept = p.concept("tumor")
    assert concept == Concept(
        "tumor", ('"tumor"', '"tumour"'), True, frozenset({"tumor", "tumour"}), word="tumor", cost=3
    )
    missing = p.concept("zebra")
    assert missing == Concept("zebra", ('"zebra"',), False, frozenset(), word="zebra")
    # "regulate" is not in the pack, but its stem is: the index matches it.
    regulate = p.concept("regulate")
    assert regulate.alive and regulate.marks == {"regulated"} and regulate.cost == 1


def test_a_hyphenated_word_is_the_phrase_of_its_parts() -> None:
    p, _ = planner()
    concept = p.concept("record-keeping")
    assert concept == Concept(
        "record-keeping",
        ('"record-keeping"',),
        True,
        frozenset({"record", "keeping"}),
        cost=4,
    )
    assert not p.concept("record-zebra").alive
    assert not p.concept("zebra-keeping").alive
    typing = p.concept("record-kee", prefix=True)
    assert typing.typed == ('"record-kee"*',) and typing.alive
    assert typing.prefix is None and typing.word is None
    assert not p.concept("record-zz", prefix=True).alive
    doubled = p.concept("record--keeping")  # an empty part is no word
    assert doubled.alive and doubled.marks == {"record", "keeping"}


def test_a_prefix_names_its_few_completions() -> None:
    p, _ = planner({"dosage": ("dose",), "dosimetry": ("zebra",), "x": ("dose",)})
    concept = p.concept("dos", prefix=True)
    assert concept.typed == ('"dose"', '"doses"', '"dosing"')
    assert concept.alive and concept.prefix == "dos" and concept.word == "dos"
    assert concept.marks == {"dose", "doses", "dosing"}
    assert concept.synonyms == ('"dose"',) and concept.synonyms_alive
    assert concept.synonym_marks == {"dose", "doses", "dosing"}
    assert concept.cost == 21


def test_a_prefix_with_no_completion_is_searched_as_a_prefix() -> None:
    p, _ = planner()
    concept = p.concept("zz", prefix=True)
    assert concept.typed == ('"zz"*',) and not concept.alive
    assert concept.marks == frozenset() and concept.cost == 0
    # A whole word of the pack's stems has no completion but matches.
    regulates = p.concept("regulates", prefix=True)
    assert regulates.alive and regulates.marks == {"regulated"}
    assert regulates.typed == ('"regulates"*',)
    assert regulates.cost == 1  # its own form; no pack word starts with "regulates"


MANY = [(f"ana{c}", 10 - i, "an" if c == "b" else f"ana{c}") for i, c in enumerate("bcdefghij")]


def test_a_prefix_with_many_completions_is_a_prefix_plus_what_it_misses() -> None:
    p, _ = planner(rows=MANY)
    concept = p.concept("ana", prefix=True)
    # Only "anab" is stemmed to something the prefix "ana"* does not find.
    assert concept.typed == ('"anab"', '"ana"*')
    assert concept.marks == {w for w, _, _ in MANY}
    assert concept.cost == sum(f for _, f, _ in MANY) * 2
    few = p.concept("anab", prefix=True)
    assert few.typed == ('"anab"',)
    # Eight completions are still named one by one.
    p, _ = planner(rows=MANY[:8])
    assert p.concept("ana", prefix=True).typed == tuple(f'"{w}"' for w, _, _ in MANY[:8])


def test_a_prefix_marks_at_most_fifty_completions() -> None:
    rows: list[WordRow] = [(f"pre{i:03d}", 1000 - i, f"pre{i:03d}") for i in range(60)]
    p, _ = planner(rows=rows)
    concept = p.concept("pre", prefix=True)
    assert concept.marks == {w for w, _, _ in rows[:50]}


def test_a_prefix_leads_to_at_most_eight_synonym_keys() -> None:
    keys: dict[str, tuple[str, ...]] = {f"zz{i}": (f"value{i}",) for i in range(10)}
    rows: list[WordRow] = [*ROWS, *((f"value{i}", 1, f"value{i}") for i in range(10))]
    p, _ = planner(keys, rows=rows)
    concept = p.concept("zz", prefix=True)
    assert concept.synonyms == tuple(f'"value{i}"' for i in range(8))
    assert concept.synonyms_alive and not concept.typed_alive and concept.alive


def test_synonym_values_count_only_when_all_their_words_are_in_the_pack() -> None:
    p, _ = planner({"addiction": ("dependence", "zebra", "side-effects", "side zebra", "!!")})
    concept = p.concept("addiction")
    assert concept.synonyms == ('"dependence"', '"side-effects"')
    assert concept.synonyms_alive and not concept.typed_alive
    assert concept.synonym_marks == {"dependence", "dependent", "side", "effects", "effect"}
    assert concept.expression() == '("dependence" OR "side-effects")'
    dead = planner({"addiction": ("zebra",)})[0].concept("addiction")
    assert dead.synonyms == () and not dead.synonyms_alive and not dead.alive


def test_a_keyed_word_keeps_what_the_bare_word_has() -> None:
    p, _ = planner({"tumor": ("emergency",)})
    concept = p.concept("tumor")
    assert concept.typed == ('"tumor"', '"tumour"') and concept.word == "tumor"
    assert concept.marks == {"tumor", "tumour"} and concept.synonym_marks == {"emergency"}
    assert concept.cost == 2 + 1 + 3


# -- costs and memory ------------------------------------------------------------------------


def test_cost_is_about_how_many_sections_hold_the_words() -> None:
    p, _ = planner(sections=10)
    spread = [round(10 * -math.expm1(-f / 10)) for f in (12, 6, 3)]
    assert p.concept("dose").cost == sum(spread)
    assert p.lexicon.spread(0) == 0 and p.lexicon.spread(40) == 10
    typed = p.concept("dos", prefix=True)  # three completions by name: no prefix scan
    assert typed.cost == sum(spread)
    many, _ = planner(rows=MANY, sections=10)
    total = sum(f for _, f, _ in MANY)
    marks = sum(round(10 * -math.expm1(-f / 10)) for _, f, _ in MANY)
    assert many.concept("ana", prefix=True).cost == marks + round(10 * -math.expm1(-total / 10))


def test_concepts_are_made_once_while_the_query_is_typed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p, index = planner()
    first = p.concept("zebra")
    asked = len(index.asked)
    assert p.concept("zebra") is first and len(index.asked) == asked
    assert p.concept("zebra", prefix=True) is not first
    monkeypatch.setattr(plan_module, "MAX_REMEMBERED", 3)
    for word in ("a1", "a2"):
        p.concept(word)
    assert p.concept("zebra") is first  # four remembered: one more than the bound
    p.concept("a3")  # the fifth clears the memory first
    again = p.concept("zebra")
    assert again == first and again is not first


# -- the lexicon behind it -------------------------------------------------------------------


def test_stems_of_other_words_are_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index()
    lexicon = Lexicon(ROWS, index.stems)
    assert lexicon.stems(["doses", "zebras", "zebras", "depends"]) == {
        "doses": "dose",
        "zebras": "zebra",
        "depends": "depend",
    }
    assert index.asked == [["zebras", "depends"]]
    assert lexicon.stem("zebras") == "zebra" and lexicon.stem("dose") == "dose"
    assert index.asked == [["zebras", "depends"]]
    assert lexicon.in_pack("depends") and lexicon.in_pack("tumour")
    assert not lexicon.in_pack("zebras")
    assert lexicon.forms(["depends", "tumor", "zebras"]) == {"dependence", "dependent", "tumor"}
    assert lexicon.stem_in_pack("hospit") and not lexicon.stem_in_pack("hospital")


def test_a_word_the_stemmer_leaves_out_is_its_own_stem() -> None:
    lexicon = Lexicon(ROWS, lambda words: {})
    assert lexicon.stems(["zebra", "dose"]) == {"zebra": "zebra", "dose": "dose"}


def test_remembered_stems_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketreader.search import lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "_MAX_CACHED_STEMS", 2)
    index = Index()
    lexicon = Lexicon(ROWS, index.stems)
    for word in ("w1", "w2", "w3"):
        lexicon.stem(word)
    lexicon.stem("w1")
    assert index.asked == [["w1"], ["w2"], ["w3"]]  # three kept: one more than the bound
    lexicon.stem("w4")  # clears them first
    lexicon.stem("w1")
    assert index.asked[-2:] == [["w4"], ["w1"]]


def test_without_a_section_count_the_spread_is_the_count() -> None:
    lexicon = Lexicon(ROWS, Index().stems)
    assert lexicon.spread(7) == 7
    assert Lexicon(ROWS, Index().stems, 100).spread(70) == 50
    assert Lexicon(ROWS, Index().stems, 1).spread(7) == 1


def test_a_synonym_key_is_searched_even_when_it_is_a_stop_word() -> None:
    # "us" is a stop word, but a pack that lists it as a key means the country.
    p, _ = planner({"us": ("hospital",), "side affects": ("side effects",)})
    for raw in ("us dose ", 'us "dose" ', "dose us "):
        found = plan_of(p, raw)
        assert "us" in [c.label for c in found.concepts], raw
        assert found.dropped == (), raw


def test_the_last_word_typed_is_a_prefix_even_when_it_is_a_key() -> None:
    p, _ = planner({"dependence": ("addiction",), "side affects": ("side effects",)})
    concept = plan_of(p, "ketamine dependence").concepts[1]
    assert concept.prefix == "dependence" and concept.typed == ('"dependence"',)
    assert plan_of(p, "ketamine dependence ").concepts[1].prefix is None


def test_a_typed_phrase_marks_at_most_fifty_completions() -> None:
    rows: list[WordRow] = [("side", 5, "side")]
    rows += [(f"pre{i:03d}", 1000 - i, f"pre{i:03d}") for i in range(60)]
    p, _ = planner(rows=rows, matching=set())
    concept = plan_of(p, '"side pre').concepts[0]
    assert concept.marks == {"side"} | {f"pre{i:03d}" for i in range(50)}


def test_a_whole_pack_word_typed_marks_its_completions_and_its_forms() -> None:
    p, _ = planner()
    concept = p.concept("side", prefix=True)
    assert concept.label == "side" and concept.marks == {"side", "sidebar"}
    assert p.concept("dos", prefix=True).label == "dos"


def test_a_finished_hyphenated_word_needs_its_last_part_in_the_pack() -> None:
    p, _ = planner()
    assert p.concept("record-regulates").alive  # by its stem, with no completion
    assert not p.concept("record-kee").alive  # a completion, but no such word


def test_a_synonym_key_named_phrase_never_stands_for_a_quoted_phrase() -> None:
    # The planner remembers concepts by a key; a synonym key spelled "phrase" made the same
    # key as the quoted phrase "phrase", so the quoted search came back with the synonyms.
    p, _ = planner({"phrase": ("dose",)})
    keyed = plan_of(p, "phrase ").concepts[0]  # the word typed whole
    assert keyed.synonyms == ('"dose"',)
    quoted = plan_of(p, '"phrase"').concepts[0]
    assert quoted.synonyms == () and quoted.typed == ('"phrase"',)
