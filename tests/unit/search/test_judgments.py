"""Search room tests: the judged queries and the guide's synonyms are well-formed and kept."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from benchmarks.search_quality import (
    JUDGMENTS,
    KINDS,
    evaluate,
    load_judgments,
    reader_search,
    summary,
)

from ketreader.content.pack import load_pack
from ketreader.render.pack_render import render_pack
from tests.conftest import GUIDE

SYNONYMS = GUIDE / "synonyms.toml"
QUESTION_WORDS = ("what", "how", "can", "is", "why", "when", "does", "should")


@pytest.fixture(scope="module")
def guide_sections() -> dict[str, str]:
    """Each section id of the bundled guide, with its title and text as the index holds them."""
    pack = render_pack(load_pack(GUIDE))
    return {s.id: f"{s.title}\n{pack.section_text(s)}" for s in pack.sections}


def _tables(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def test_judgment_tables_have_only_known_keys_and_values() -> None:
    data = _tables(JUDGMENTS)
    assert set(data) == set(KINDS)
    for kind in KINDS:
        for row in data[kind]:
            assert set(row) in ({"query", "expect"}, {"query", "expect", "why"}), row
            texts = [row["query"], *row["expect"], *([row["why"]] if "why" in row else [])]
            assert all(isinstance(t, str) and t.strip() for t in texts), row
            assert row["expect"] and len(set(row["expect"])) == len(row["expect"]), row


def test_every_judged_id_is_a_section_of_the_guide(guide_sections: dict[str, str]) -> None:
    unknown = {
        (j.query, section)
        for j in load_judgments(JUDGMENTS)
        for section in j.expect
        if section not in guide_sections
    }
    assert not unknown


def test_enough_questions_of_every_kind() -> None:
    questions = [j.query for j in load_judgments(JUDGMENTS) if j.kind == "question"]
    assert len(questions) >= 60
    openings = {q.lower().split()[0] for q in questions}
    assert set(QUESTION_WORDS) <= openings


def test_no_query_is_judged_twice() -> None:
    seen: set[str] = set()
    for judgment in load_judgments(JUDGMENTS):
        key = " ".join(judgment.query.lower().split())
        assert key not in seen, judgment.query
        seen.add(key)


def test_keyword_judgments_hold_on_the_reader_search() -> None:
    """The keyword behaviour is kept: each keyword's first result is an acceptable section."""
    search = reader_search(GUIDE)
    broken: dict[str, list[str]] = {}
    for judgment in load_judgments(JUDGMENTS):
        if judgment.kind == "keyword":
            returned = search(judgment.query)
            if not returned or returned[0] not in judgment.expect:
                broken[judgment.query] = returned[:3]
    assert not broken


def test_question_targets_hold_on_the_reader_search() -> None:
    """The figures docs/search.md reports cannot slip: questions answered in the top 3 at
    least 90% of the time, with a mean reciprocal rank of at least 0.8."""
    questions = [j for j in load_judgments(JUDGMENTS) if j.kind == "question"]
    figures = summary(evaluate(questions, reader_search(GUIDE)))
    assert figures["success_at_3"] >= 0.9, figures
    assert figures["mrr"] >= 0.8, figures
    assert figures["empty"] == 0, figures


def _synonyms() -> dict[str, Any]:
    data = _tables(SYNONYMS)
    assert set(data) == {"synonyms"}
    synonyms = data["synonyms"]
    assert isinstance(synonyms, dict)
    return synonyms


def test_synonyms_map_lower_case_terms_to_distinct_other_terms() -> None:
    synonyms = _synonyms()
    assert len(synonyms) >= 40
    for key, values in synonyms.items():
        assert key == " ".join(key.lower().split()) and key, key
        assert isinstance(values, list) and values, key
        assert all(isinstance(v, str) and v.strip() for v in values), key
        assert len({v.lower() for v in values}) == len(values), key
        assert key not in {v.lower() for v in values}, key


def test_every_synonym_occurs_in_the_guide(guide_sections: dict[str, str]) -> None:
    """A synonym the guide never uses could only ever add noise, never a match."""
    text = " ".join(" ".join(guide_sections.values()).lower().split())
    missing = {
        value
        for values in _synonyms().values()
        for value in values
        if not re.search(rf"(?<![\w-]){re.escape(value.lower())}(?![\w-])", text)
    }
    assert not missing
