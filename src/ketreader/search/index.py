"""Search room: the SQLite FTS5 index, its schema, queries and snippets."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ketreader.log import get
from ketreader.render.model import (
    RenderedPack,
    Section,
    document_from_row,
    document_to_row,
)
from ketreader.search.query import Term, parse_query, term_expression
from ketreader.search.spelling import Vocabulary

_log = get("search")
SCHEMA_VERSION = "6"
TOKENIZER = "porter unicode61 remove_diacritics 2"
TITLE_WEIGHT = 10.0
_WORD = re.compile(r"[^\W_]+")
_MAX_EXACT_COMPLETIONS = 8
_SNIPPET_OPEN, _SNIPPET_CLOSE = "\x02", "\x03"  # never in rendered text: see markdown_html


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


@dataclass(frozen=True)
class Hit:
    """One ranked section; ``snippet`` is HTML-escaped except for its <b> emphasis."""

    id: str
    title: str
    parent_title: str | None
    snippet: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "snippet": self.snippet, "score": self.score}


@dataclass(frozen=True)
class SearchResult:
    """Hits best first, the spelling suggestion used (if any) and the terms searched."""

    query: str
    hits: tuple[Hit, ...] = ()
    suggestion: str | None = None
    terms: tuple[Term, ...] = field(default=())  # as searched, after any correction

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "hits": [h.as_json() for h in self.hits],
            "suggestion": self.suggestion,
        }


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
        self._vocabulary: Vocabulary | None = None
        self._stem_of: dict[str, str] = {}
        self._stem_probe_ready = False

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
                    (i, s.id, s.title, s.level, s.parent, s.document, s.html, s.text)
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
                counts.update(w.lower() for w in _WORD.findall(section.text))
            index = cls(db)
            stems = index._stems(list(counts))
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
            Section(*row)
            for row in self._db.execute(
                "SELECT id, title, level, parent, document, html, body FROM sections ORDER BY rowid"
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

    # -- querying -------------------------------------------------------------------------

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            rows = self._db.execute("SELECT word, freq, stem FROM words").fetchall()
            self._vocabulary = Vocabulary({w: f for w, f, _ in rows})
            self._stem_of = {w: s for w, _, s in rows}
        return self._vocabulary

    def search(self, raw: str, limit: int = 20) -> SearchResult:
        """Ranked sections for whatever the user typed; never raises for any input."""
        try:
            return self._search(raw, limit)
        except sqlite3.Error as exc:
            # The expression is built from quoted literals only, so this is a defect (or a
            # damaged index), never user input: the reader goes on, and the log says why.
            _log.error("search for %r failed: %s", raw, exc)
            return SearchResult(raw)

    def _search(self, raw: str, limit: int) -> SearchResult:
        terms = parse_query(raw)
        if not terms:
            return SearchResult(raw)
        hits = self._run(self._expression(terms), limit)
        suggestion = None
        if not hits:
            corrected = self._corrected(terms)
            if corrected is not None:
                hits = self._run(self._expression(corrected), limit)
                if hits:
                    terms = corrected
                    suggestion = " ".join(f'"{t.text}"' if t.phrase else t.text for t in terms)
        return SearchResult(raw, tuple(hits), suggestion, tuple(terms))

    def _expression(self, terms: list[Term]) -> str:
        vocabulary = self.vocabulary
        parts = []
        for term in terms:
            if term.phrase:
                parts.append(term_expression([term.text], []))
            elif term.prefix:
                word = term.words[0]
                completions = self.vocabulary.completions(word, limit=_MAX_EXACT_COMPLETIONS + 1)
                if 0 < len(completions) <= _MAX_EXACT_COMPLETIONS:
                    # Every pack word with this prefix, by name: an exact term ranks much
                    # faster than a prefix scan of the index, and matches the same sections.
                    parts.append(term_expression(completions, []))
                else:
                    parts.append(term_expression(self._uncovered_completions(word), [word]))
            else:
                parts.append(term_expression(vocabulary.variants(term.words[0]), []))
        return " AND ".join(parts)

    def _uncovered_completions(self, prefix: str) -> list[str]:
        """Pack words starting with ``prefix`` that the stemmed prefix query would miss.

        FTS5 stems a prefix term too: "hospita"* becomes hospita*, which misses "hospitals"
        (stored as hospit), so such words are added by name. Words the prefix query already
        covers are left out: every extra OR branch is another full posting list to rank.
        """
        completions = self.vocabulary.completions(prefix)
        if not completions:
            return []
        stem = self._stems([prefix]).get(prefix, prefix)
        return [w for w in completions if not self._stem_of.get(w, w).startswith(stem)]

    def _run(self, expression: str, limit: int) -> list[Hit]:
        # Two steps: rank every match, then make snippets for the few shown. With snippet()
        # in the ranking query SQLite builds one for every match before sorting (24 ms
        # instead of 13 ms for a word in all 10,000 sections of the benchmark pack).
        # bm25() with weights inline is also faster than a configured rank (9 ms vs 12 ms).
        ranked = self._db.execute(
            f"SELECT rowid, bm25(fts, {TITLE_WEIGHT}, 1.0) AS score FROM fts"
            " WHERE fts MATCH ? ORDER BY score LIMIT ?",
            (expression, max(1, limit)),
        ).fetchall()
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self._db.execute(
            f"""
            SELECT fts.rowid, s.id, s.title, p.title,
                   snippet(fts, 1, '{_SNIPPET_OPEN}', '{_SNIPPET_CLOSE}', '…', 14)
            FROM fts JOIN sections s ON s.rowid = fts.rowid
            LEFT JOIN sections p ON p.id = s.parent
            WHERE fts MATCH ? AND fts.rowid IN ({marks})
            """,
            (expression, *(rowid for rowid, _ in ranked)),
        ).fetchall()
        by_rowid = {row[0]: row[1:] for row in rows}
        return [
            Hit(id_, title, parent, _snippet_html(snippet), round(-score, 4))
            for rowid, score in ranked
            for id_, title, parent, snippet in [by_rowid[rowid]]
        ]

    def _matches(self, expression: str) -> bool:
        row = self._db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (expression,))
        return row.fetchone() is not None

    def _corrected(self, terms: list[Term]) -> list[Term] | None:
        """Replace each word that matches nothing with its closest pack word."""
        changed = False
        out: list[Term] = []
        for term in terms:
            if term.phrase or self._matches(self._expression([term])):
                out.append(term)
                continue
            suggestion = self.vocabulary.suggest(term.words[0])
            if suggestion is None:
                return None
            out.append(Term((suggestion,)))
            changed = True
        return out if changed else None

    def highlight_words(self, result: SearchResult) -> tuple[str, ...]:
        """Surface words in the pack that the query matched, stemmed forms included.

        Computed when a result is opened, not on every keystroke.
        """
        if not result.hits:
            return ()
        try:
            return self._highlight_words(list(result.terms))
        except sqlite3.Error as exc:
            _log.error("highlight words for %r failed: %s", result.query, exc)
            return ()

    def _highlight_words(self, terms: list[Term]) -> tuple[str, ...]:
        words: set[str] = set()
        vocabulary = self.vocabulary
        for term in terms:
            if term.phrase:
                words.update(term.words)
                continue
            word = term.words[0]
            candidates = [v for piece in _WORD.findall(word) for v in vocabulary.variants(piece)]
            if term.prefix:
                candidates = candidates + vocabulary.completions(word, limit=200)
            stems = set(self._stems(candidates).values())
            words.update(w for w in candidates if w in vocabulary)
            if stems:
                marks = ",".join("?" * len(stems))
                rows = self._db.execute(
                    f"SELECT word FROM words WHERE stem IN ({marks})", list(stems)
                )
                words.update(w for (w,) in rows)
        return tuple(sorted(words, key=lambda w: (-len(w), w)))

    def _stems(self, words: list[str]) -> dict[str, str]:
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


def _snippet_html(snippet: str | None) -> str:
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_SNIPPET_OPEN, "<b>").replace(_SNIPPET_CLOSE, "</b>")
