"""Search room: the SQLite FTS5 index, its schema, queries and snippets."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ketreader.log import get
from ketreader.render.model import (
    RenderedPack,
    Section,
    document_from_row,
    document_to_row,
)
from ketreader.search.results import Hit, SearchResult
from ketreader.search.synonyms import EMPTY, SynonymTable

if TYPE_CHECKING:
    from ketreader.search.engine import SearchEngine

__all__ = ["Hit", "SearchIndex", "SearchResult", "SearchUnavailableError", "require_fts5"]

_log = get("search")
SCHEMA_VERSION = "7"
TOKENIZER = "porter unicode61 remove_diacritics 2"
TITLE_WEIGHT = 10.0
_WORD = re.compile(r"[^\W_]+")


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
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE sections(
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, level INTEGER, parent TEXT,
    document INTEGER, html TEXT, body TEXT);
CREATE TABLE documents(
    idx INTEGER PRIMARY KEY, row TEXT);
CREATE TABLE words(word TEXT PRIMARY KEY, freq INTEGER, stem TEXT) WITHOUT ROWID;
CREATE INDEX words_stem ON words(stem);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, content='sections', content_rowid='rowid',
    tokenize='{TOKENIZER}', prefix='2 3');
"""


class SearchIndex:
    """FTS5 over a pack's sections, with titles weighted above bodies in bm25."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._stem_probe_ready = False
        self._synonyms = EMPTY
        self._engine: SearchEngine | None = None

    # -- building and opening -------------------------------------------------------------

    @classmethod
    def build(cls, pack: RenderedPack, path: Path | None = None) -> SearchIndex:
        """Index ``pack`` in memory, or into the SQLite file ``path``."""
        require_fts5()
        db = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False)
        db.executescript(_SCHEMA)
        with db:
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("schema", SCHEMA_VERSION),
                    ("fingerprint", pack.fingerprint),
                    ("title", pack.title),
                    ("version", pack.version or ""),
                    ("language", pack.language or ""),
                    ("note", pack.note or ""),
                ],
            )
            db.executemany(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        i,
                        s.id,
                        s.title,
                        s.level,
                        s.parent,
                        s.document,
                        json.dumps(s.spans),  # offsets into the document's text
                        pack.section_text(s),
                    )
                    for i, s in enumerate(pack.sections, 1)
                ),
            )
            db.executemany(
                "INSERT INTO documents VALUES (?, ?)",
                ((i, json.dumps(document_to_row(d))) for i, d in enumerate(pack.documents)),
            )
            db.execute(
                "INSERT INTO fts(rowid, title, body) SELECT rowid, title, body FROM sections"
            )
            counts: Counter[str] = Counter()
            for section in pack.sections:
                counts.update(w.lower() for w in _WORD.findall(section.title))
                counts.update(w.lower() for w in _WORD.findall(pack.section_text(section)))
            index = cls(db)
            stems = index.stems(list(counts))
            db.executemany(
                "INSERT INTO words VALUES (?, ?, ?)",
                ((w, n, stems.get(w, w)) for w, n in counts.items()),
            )
        return index

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> SearchIndex | None:
        """Open a cached index file; None when it is missing, stale or unreadable."""
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            return None
        if meta.get("schema") != SCHEMA_VERSION or meta.get("fingerprint") != fingerprint:
            db.close()
            return None
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def rendered_pack(self, root: Path) -> RenderedPack:
        """Rebuild the rendered pack stored beside the index, so a cached pack skips Markdown."""
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        sections = tuple(
            Section(id_, title, level, parent, document, tuple(json.loads(spans)))
            for id_, title, level, parent, document, spans in self._db.execute(
                "SELECT id, title, level, parent, document, html FROM sections ORDER BY rowid"
            )
        )
        documents = tuple(
            document_from_row(json.loads(row))
            for (row,) in self._db.execute("SELECT row FROM documents ORDER BY idx")
        )
        return RenderedPack(
            root=root,
            title=meta["title"],
            version=meta["version"] or None,
            language=meta["language"] or None,
            fingerprint=meta["fingerprint"],
            sections=sections,
            documents=documents,
            note=meta["note"] or None,
        )

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
            return SearchResult(raw)

    def highlight_words(self, result: SearchResult) -> tuple[str, ...]:
        """Surface words in the pack that the query matched, stemmed forms included.

        Computed when a result is opened, not on every keystroke.
        """
        try:
            return self.engine.highlight_words(result)
        except sqlite3.Error as exc:
            _log.error("highlight words for %r failed: %s", result.query, exc)
            return ()
