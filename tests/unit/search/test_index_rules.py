"""Search room: the index's storage methods, the words it records, and how it reports failures."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from ketreader.content.pack import load_pack
from ketreader.render.pack_render import render_pack
from ketreader.search import index as index_module
from ketreader.search.index import (
    SearchIndex,
    SearchUnavailableError,
    normalized,
    require_fts5,
)
from ketreader.search.results import Hit, SearchResult
from ketreader.search.synonyms import SynonymTable
from tests.conftest import write_pack

BODY = (
    "# Café guide\n\nIntro about the café.\n\n## Zebra\n\nZebras run. Zebra stripes.\n\n"
    "### Stripes\n\nStripes and more stripes here.\n\n## Ｆｕｌｌ width\n\nＫＥＴＡＭＩＮＥ text.\n"
)


def build(root: Path, body: str = BODY, language: str | None = None) -> SearchIndex:
    write_pack(root, {"a.md": body})
    if language is not None:
        manifest = root / "pack.toml"
        manifest.write_text(manifest.read_text("utf-8") + f'language = "{language}"\n', "utf-8")
    return SearchIndex.build(render_pack(load_pack(root)))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build(tmp_path_factory.mktemp("index") / "p")


def rowid_of(index: SearchIndex, section: str) -> int:
    rows = index.section_rows(range(1, index.section_count() + 1), 100)
    return next(r for r, row in rows.items() if row[0] == section)


def test_sections_are_stored_with_their_parents(index: SearchIndex) -> None:
    assert index.section_count() == 4
    rows = index.section_rows([1, 2, 3, 4], 1000)
    assert [rows[r][:3] for r in (1, 2, 3, 4)] == [
        ("café-guide", "Café guide", None),
        ("zebra", "Zebra", "Café guide"),
        ("stripes", "Stripes", "Zebra"),
        ("ｆｕｌｌ-width", "Ｆｕｌｌ width", "Café guide"),
    ]
    assert rows[3][3] == "Stripes and more stripes here."
    assert index.section_rows([3], 7)[3][3] == "Stripes"
    assert index.section_rows([], 10) == {}


def test_the_words_table_holds_surface_words_counts_and_stems(index: SearchIndex) -> None:
    words = {w: (n, s) for w, n, s in index.vocabulary_rows()}
    assert words["stripes"] == (4, "stripe")
    assert words["zebra"] == (2, "zebra") and words["zebras"] == (1, "zebra")
    assert words["café"] == (2, "cafe")  # accents kept as written, folded in the stem
    assert words["ketamine"] == (1, "ketamin")  # full width read as plain letters
    assert "ＫＥＴＡＭＩＮＥ" not in words and "Stripes" not in words


def test_stems_are_the_index_tokenizers(index: SearchIndex) -> None:
    assert index.stems([]) == {}
    assert index.stems(["running", "Zebras", "café", "!!"]) == {
        "running": "run",
        "Zebras": "zebra",
        "café": "cafe",
    }
    assert index.stems(["stripes"]) == {"stripes": "stripe"}  # the probe is used again


def test_no_scratch_tables_are_left_behind(tmp_path: Path) -> None:
    fresh = build(tmp_path / "p")
    temp = {name for (name,) in fresh._db.execute("SELECT name FROM temp.sqlite_master")}
    assert temp == set()
    assert fresh.rank('"zebra"', 5)


def test_rank_and_matching_bound_their_rows(index: SearchIndex) -> None:
    everything = '("zebra" OR "stripes" OR "cafe" OR "ketamine")'
    assert len(index.rank(everything, 10)) == 4
    assert len(index.rank(everything, 2)) == 2
    assert len(index.rank(everything, 0)) == 1
    assert index.matching(everything) == [1, 2, 3, 4]
    assert index.matching(everything, 2) == [1, 2]
    assert index.matching(everything, 0) == [1]
    best = index.rank('"stripes"', 5)
    assert [r for r, _ in best] == [3, 2] and best[0][1] < best[1][1] < 0


def test_titles_only_ranks_title_matches(index: SearchIndex) -> None:
    assert [r for r, _ in index.rank('"stripes"', 5, titles_only=True)] == [3]
    assert [r for r, _ in index.rank('"zebra" OR "stripes"', 5, titles_only=True)] == [2, 3]


def test_a_title_weighs_ten_bodies(tmp_path: Path) -> None:
    body = "# Top\n\n## Sedation\n\nText.\n\n## Notes\n\n" + "Sedation. " * 9 + "\n"
    index = build(tmp_path / "p", body)
    ranked = index.rank('"sedation"', 5)
    assert ranked[0][0] == rowid_of(index, "sedation")
    assert index_module.TITLE_WEIGHT == 10.0


def test_the_pack_language_is_read_back(tmp_path: Path, index: SearchIndex) -> None:
    assert index.language is None
    assert build(tmp_path / "en", language="en-GB").language == "en-GB"


def test_normalized_reads_compatibility_forms_as_plain() -> None:
    assert normalized("ＫＥＴ ﬁne") == "KET fine"
    plain = "plain text"
    assert normalized(plain) is plain


def test_without_fts5_the_message_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []

    class NoFts:
        def execute(self, sql: str) -> None:
            raise sqlite3.OperationalError("no such module: fts5")

        def close(self) -> None:
            closed.append(True)

    monkeypatch.setattr(sqlite3, "connect", lambda _: NoFts())
    with pytest.raises(SearchUnavailableError) as caught:
        require_fts5()
    assert str(caught.value) == (
        f"search needs SQLite with FTS5, which this Python's SQLite {sqlite3.sqlite_version}"
        " lacks (no such module: fts5)"
    )
    assert closed == [True]


def test_synonyms_change_the_engine(tmp_path: Path) -> None:
    index = build(tmp_path / "p")
    first = index.engine
    assert index.engine is first
    assert [h.id for h in index.search("horse").hits] == []
    index.use_synonyms(SynonymTable({"horse": ("zebra",)}))
    assert index.engine is not first
    assert [h.id for h in index.search("horse").hits] == ["zebra"]


@pytest.mark.parametrize(
    ("error", "damaged"),
    [
        (sqlite3.DatabaseError("file is not a database"), True),
        (sqlite3.OperationalError("database disk image is malformed"), True),
        (sqlite3.OperationalError("Database CORRUPT somewhere"), True),
        (sqlite3.OperationalError("no such column: x"), False),
        (sqlite3.ProgrammingError("closed"), False),
    ],
)
def test_a_damaged_index_is_reported_once_per_failure(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: sqlite3.Error,
    damaged: bool,
) -> None:
    index = build(tmp_path / "p")
    reports: list[bool] = []
    index.on_damage = lambda: reports.append(True)

    def broken(*_: object, **__: object) -> list[object]:
        raise error

    monkeypatch.setattr(index, "rank", broken)
    assert index.search("zebra") == SearchResult("zebra")
    assert reports == ([True] if damaged else [])
    assert [r.getMessage() for r in caplog.records if r.name == "ketreader.search"] == [
        f"search for 'zebra' failed: {error}"
    ]
    caplog.clear()


def test_damage_with_nobody_to_tell_is_only_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    index = build(tmp_path / "p")

    def broken(*_: object, **__: object) -> list[object]:
        raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(index, "rank", broken)
    assert index.search("zebra").hits == ()
    caplog.clear()


def test_highlight_words_fail_quietly_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    index = build(tmp_path / "p")
    result = index.search("zebra")
    assert index.highlight_words(result) == ("zebras", "zebra")
    reports: list[bool] = []
    index.on_damage = lambda: reports.append(True)

    def broken(*_: object, **__: object) -> tuple[str, ...]:
        raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(index.engine, "highlight_words", broken)
    with caplog.at_level(logging.ERROR, logger="ketreader.search"):
        assert index.highlight_words(result) == ()
    assert reports == [True]
    assert [r.getMessage() for r in caplog.records if r.name == "ketreader.search"] == [
        "highlight words for 'zebra' failed: file is not a database"
    ]
    caplog.clear()


def test_a_hit_and_a_result_as_json_and_in_words() -> None:
    hit = Hit("a", "A", None, "<b>x</b>", 1.5, ("Take:", "one", "two"))
    assert hit.answer == "Take: one · two"
    assert Hit("a", "A", None, "", 0.0, ("Alone.",)).answer == "Alone."
    assert Hit("a", "A", None, "", 0.0).answer is None
    assert hit.as_json() == {
        "id": "a",
        "title": "A",
        "snippet": "<b>x</b>",
        "score": 1.5,
        "answer": "Take: one · two",
    }
    result = SearchResult("x", (hit,), "y", complete=1)
    assert result.answer == "Take: one · two" and not result.partial
    assert result.as_json() == {
        "query": "x",
        "hits": [hit.as_json()],
        "suggestion": "y",
        "complete": 1,
        "notices": ["Showing results for y."],
    }
    assert SearchResult("x").answer is None and not SearchResult("x").partial
    assert SearchResult("x", (hit,)).partial


def test_notices_say_what_happened() -> None:
    hit = Hit("a", "A", None, "", 0.0)
    assert SearchResult("  what   is  ", common_words_only=True, suggestion="z").notices() == [
        "“what is” has only common words. Add a word for what you want to know, or put"
        " words in quotes to find them exactly."
    ]
    assert SearchResult("x", (hit,), "y", complete=0).notices() == [
        "Showing results for y.",
        "No section has every word; showing the closest matches.",
    ]
    assert SearchResult("x", (hit,), complete=1).notices() == []
    assert SearchResult("zebra").notices() == ["No results."]
    assert SearchResult("zebra", suggestion="zebu").notices() == [
        "Showing results for zebu.",
        "No results.",
    ]
    assert SearchResult("   ").notices() == []
