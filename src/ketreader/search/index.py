"""Search room: the SQLite FTS5 index, its schema, queries and snippets."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ketreader.ketpack.versions import FORMAT_VERSION
from ketreader.log import get
from ketreader.render.model import RenderedPack
from ketreader.search.results import Hit, SearchResult
from ketreader.search.synonyms import EMPTY, SynonymTable

if TYPE_CHECKING:
    from ketreader.search.engine import SearchEngine

__all__ = ["Hit", "SearchIndex", "SearchResult", "SearchUnavailableError", "require_fts5"]

_log = get("search")
SCHEMA_VERSION = str(FORMAT_VERSION)  # the index is part of the compiled pack format
TOKENIZER = "porter unicode61 remove_diacritics 2"
TITLE_WEIGHT = 10.0


class SearchUnavailableError(RuntimeError):
    """This Python's SQLite was built without FTS5."""


def require_fts5() -> None:
    """Fail with a clear message where SQLite lacks FTS5, as some Python builds do."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError as exc:
        raise SearchUnavailableError(
            f"search needs SQLite with FTS5, which this Python's SQLite {sqlite3.sqlite_version}"
            f" lacks ({exc})"
        ) from None
    finally:
        probe.close()


_SCHEMA = f"""
CREATE TABLE sections(
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, level INTEGER, parent TEXT,
    document INTEGER, body TEXT);
CREATE TABLE words(word TEXT PRIMARY KEY, freq INTEGER, stem TEXT) WITHOUT ROWID;
CREATE INDEX words_stem ON words(stem);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, content='',
    tokenize='{TOKENIZER}', prefix='2 3');
"""
# The surface words, as written (lower case, accents kept): fts5vocab counts them in C, so
# no Python loop over every word of the pack is needed.
_SURFACE = """
CREATE VIRTUAL TABLE temp.surface USING fts5(
    t, tokenize='unicode61 remove_diacritics 0', columnsize=0);
CREATE VIRTUAL TABLE temp.surface_terms USING fts5vocab(temp, surface, row);
"""


def normalized(text: str) -> str:
    """NFKC, as queries are (search/query.py): a full-width word finds its plain spelling."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def write_index(db: sqlite3.Connection, pack: RenderedPack) -> None:
    """Create and fill the index tables of ``pack`` in ``db``, inside the caller's transaction.

    Each section's text is stored once, as it is (``body``): ranking reads up to 20,000
    characters of every candidate on each keystroke (search/ranking.py), and decompressing
    them cost a quarter more CPU a query. The FTS table is contentless (it only ranks
    rowids) and indexes the NFKC form of each title and text.
    """
    _script(db, _SCHEMA)
    _script(db, _SURFACE)
    rows = []
    for rowid, section in enumerate(pack.sections, 1):
        text = pack.section_text(section)
        rows.append((rowid, section, text, normalized(section.title), normalized(text)))
    db.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((r, s.id, s.title, s.level, s.parent, s.document, b) for r, s, b, _, _ in rows),
    )
    db.executemany(
        "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
        ((r, title, text) for r, _, _, title, text in rows),
    )
    db.executemany(
        "INSERT INTO temp.surface(t) VALUES (?)",
        ((f"{title}\n{text}",) for _, _, _, title, text in rows),
    )
    del rows
    db.execute("CREATE TEMP TABLE found AS SELECT term, cnt FROM temp.surface_terms")
    probe = SearchIndex(db)
    words = [w for (w,) in db.execute("SELECT term FROM temp.found")]
    stems = probe.stems(words)
    db.executemany(
        "INSERT INTO words VALUES (?, ?, ?)",
        ((w, n, stems.get(w, w)) for w, n in db.execute("SELECT term, cnt FROM temp.found")),
    )
    _script(
        db,
        "DROP TABLE temp.found; DROP TABLE temp.surface_terms; DROP TABLE temp.surface;"
        " DROP TABLE IF EXISTS temp.probe_terms; DROP TABLE IF EXISTS temp.probe",
    )


def _script(db: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript() would commit the caller's transaction first.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


class SearchIndex:
    """FTS5 over a pack's sections, with titles weighted above bodies in bm25."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._stem_probe_ready = False
        self._synonyms = EMPTY
        self._engine: SearchEngine | None = None
        # Called when SQLite reports the file damaged, so a cache is rebuilt next time.
        self.on_damage: Callable[[], None] | None = None

    # -- building and opening -------------------------------------------------------------

    @classmethod
    def build(cls, pack: RenderedPack) -> SearchIndex:
        """Index ``pack`` in memory (a compiled pack holds its own: ketpack/write.py)."""
        require_fts5()
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("PRAGMA temp_store=MEMORY")  # in memory means no file at all, even full
        with db:
            db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("schema", SCHEMA_VERSION), ("language", pack.language or "")],
            )
            write_index(db, pack)
        return cls(db)

    def close(self) -> None:
        self._db.close()

    # -- querying: the engine's only ways into the index --------------------------------------

    @property
    def language(self) -> str | None:
        """The pack's language tag (pack.toml ``language``), which chooses its stop words."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'language'").fetchone()
        return (row[0] or None) if row else None

    def rank(
        self, expression: str, limit: int, *, titles_only: bool = False
    ) -> list[tuple[int, float]]:
        """Rowids of sections matching an FTS5 expression with their bm25 (lower is better).

        Titles weigh TITLE_WEIGHT times bodies; with ``titles_only`` only titles match. At
        most ``limit`` rows, best first.
        """
        if titles_only:
            expression = f"title : ({expression})"
        # bm25() with weights inline is faster than a configured rank (9 ms vs 12 ms for a
        # word in every section of a 10,000-section pack).
        rows = self._db.execute(
            f"SELECT rowid, bm25(fts, {TITLE_WEIGHT}, 1.0) AS score FROM fts"
            " WHERE fts MATCH ? ORDER BY score LIMIT ?",
            (expression, max(1, limit)),
        )
        return [(int(rowid), float(score)) for rowid, score in rows]

    def matching(self, expression: str, limit: int | None = None) -> list[int]:
        """Rowids of sections matching an FTS5 expression, in reading order, unranked."""
        rows = self._db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT ?",
            (expression, -1 if limit is None else max(1, limit)),
        )
        return [int(rowid) for (rowid,) in rows]

    def section_rows(
        self, rowids: Sequence[int], max_chars: int
    ) -> dict[int, tuple[str, str, str | None, str]]:
        """Id, title, parent title and the first ``max_chars`` of the text of each section."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._db.execute(
            f"""SELECT s.rowid, s.id, s.title, p.title, substr(s.body, 1, ?) FROM sections s
            LEFT JOIN sections p ON p.id = s.parent WHERE s.rowid IN ({marks})""",
            (max_chars, *rowids),
        )
        return {rowid: (id_, title, parent, body) for rowid, id_, title, parent, body in rows}

    def section_count(self) -> int:
        """How many sections the pack has."""
        row = self._db.execute("SELECT count(*) FROM sections").fetchone()
        return int(row[0])

    def vocabulary_rows(self) -> list[tuple[str, int, str]]:
        """Every word of the pack (lower case, as written) with its frequency and index stem."""
        return [
            (w, int(f), s) for w, f, s in self._db.execute("SELECT word, freq, stem FROM words")
        ]

    def stems(self, words: list[str]) -> dict[str, str]:
        """The porter stem of each word, as the index's own tokenizer computes it."""
        if not words:
            return {}
        db = self._db
        if not self._stem_probe_ready:
            db.execute(f"CREATE VIRTUAL TABLE temp.probe USING fts5(w, tokenize='{TOKENIZER}')")
            db.execute(
                "CREATE VIRTUAL TABLE temp.probe_terms USING fts5vocab(temp, probe, instance)"
            )
            self._stem_probe_ready = True
        db.execute("DELETE FROM temp.probe")
        db.executemany("INSERT INTO temp.probe(rowid, w) VALUES (?, ?)", enumerate(words))
        stems: dict[str, str] = {}
        for doc, term in db.execute("SELECT doc, term FROM temp.probe_terms ORDER BY doc, offset"):
            stems.setdefault(words[doc], term)
        return stems

    # -- searching: the engine, configured for this pack -------------------------------------

    def use_synonyms(self, synonyms: SynonymTable) -> None:
        """Expand queries with the pack's synonyms (from its synonyms.toml) from now on."""
        self._synonyms = synonyms
        self._engine = None

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            from ketreader.search.engine import SearchEngine

            self._engine = SearchEngine(self, self.language, self._synonyms)
        return self._engine

    def search(self, raw: str, limit: int = 20, *, correct: bool = True) -> SearchResult:
        """Ranked sections for whatever the user typed; never raises for any input."""
        try:
            return self.engine.search(raw, limit, correct=correct)
        except sqlite3.Error as exc:
            # The expression is built from quoted literals only, so this is a defect (or a
            # damaged index), never user input: the reader goes on, and the log says why.
            _log.error("search for %r failed: %s", raw, exc)
            self._report(exc)
            return SearchResult(raw)

    def _report(self, exc: sqlite3.Error) -> None:
        message = str(exc).lower()
        damaged = (
            type(exc) is sqlite3.DatabaseError or "malformed" in message or "corrupt" in message
        )
        if damaged and self.on_damage is not None:
            self.on_damage()

    def highlight_words(self, result: SearchResult) -> tuple[str, ...]:
        """Surface words in the pack that the query matched, stemmed forms included.

        Computed when a result is opened, not on every keystroke.
        """
        try:
            return self.engine.highlight_words(result)
        except sqlite3.Error as exc:
            _log.error("highlight words for %r failed: %s", result.query, exc)
            self._report(exc)
            return ()
