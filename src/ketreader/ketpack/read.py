"""Storage room: a compiled pack opened read-only, checked on open, read a row at a time."""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.ketpack import format as fmt
from ketreader.render.model import RenderedDocument, RenderedPack, Section, document_from_row

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex


# The tables every compiled pack holds; SQLite's own schema row says whether they exist.
_TABLES = frozenset({"meta", "outline", "documents", "images", "sections", "fts", "words"})

# Row hashes are checksums an author can recompute (format.py), so a crafted file may hold
# HTML that no build writes. These bounds are what a build guarantees (render/bounds.py,
# render/scan.py), with room to spare; past them Qt's layout takes minutes (issue 11).
_MAX_DEPTH = 256  # open tags inside each other; lists and quotes nest at most 64 levels
_MAX_TABLE_DEPTH = 4  # render/scan.py flattens deeper tables
_LONG_RUN = 8000  # characters without a space or a tag; words are cut at 1,000
_SPACED_TAGS = str.maketrans({"<": " ", ">": " "})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_VOID = _VOID | {t.upper() for t in _VOID}
_TABLE = frozenset({"table", "TABLE"})


def pack_error(path: Path, message: str) -> PackError:
    return PackError([Diagnostic(str(path), message)])


def outline_section(row: list[Any]) -> Section:
    """A section of the outline, with where its text lies in its document's text."""
    # No conversions: the row's hash was checked, and this runs once per section on open.
    return Section(row[0], row[1], row[2], row[3], row[4], tuple(row[5]))


def outline_sections(rows: Any, documents: int) -> tuple[Section, ...]:
    """The outline's rows as sections; ValueError or TypeError for a row no build writes."""
    if type(rows) is not list:
        raise ValueError("not a list")
    seen: set[str] = set()
    sections: list[Section] = []
    # Plain type checks in one loop: this runs for every section before the first paint.
    for row in rows:
        id_, title, level, parent, document, spans = row
        if not (
            type(id_) is str
            and type(title) is str
            and type(level) is int
            and 0 < level < 7
            and (parent is None or parent in seen)
            and type(document) is int
            and 0 <= document < documents
            and type(spans) is list
            # JSON numbers: a float makes the sum a float; any other type raises TypeError.
            and type(sum(spans, 0)) is int
        ):
            raise ValueError(f"section {len(sections) + 1} is malformed")
        seen.add(id_)
        sections.append(Section(id_, title, level, parent, document, tuple(spans)))
    return tuple(sections)


def html_beyond_bounds(html: str) -> str | None:
    """Why ``html`` would hold the view for long (None when it would not)."""
    # Split in C, linear: a regular expression for a long run backtracks through every
    # start inside every word just short of it (minutes for 8 MB of such words).
    if max(map(len, html.translate(_SPACED_TAGS).split()), default=0) > _LONG_RUN:
        return "a word too long to lay out"
    if html.count("<") <= _MAX_TABLE_DEPTH:
        return None
    depth = tables = 0
    # findall and plain tuples: this runs on every document shown (about 1 ms for 28 KB).
    for closing, tag, self_closing in _TAG.findall(html):
        if self_closing:
            continue
        if closing:
            if depth:
                depth -= 1
            if tables and tag in _TABLE:
                tables -= 1
        elif tag not in _VOID:
            depth += 1
            if tag in _TABLE:
                tables += 1
                if tables > _MAX_TABLE_DEPTH:
                    return "tags nested too deep to lay out"
            if depth > _MAX_DEPTH:
                return "tags nested too deep to lay out"
    return None
    depth = tables = 0
    for match in _TAG.finditer(html):
        closing, tag, self_closing = match.groups()
        tag = tag.lower()
        if self_closing or tag in _VOID:
            continue
        step = -1 if closing else 1
        depth = max(0, depth + step)
        if tag == "table":
            tables = max(0, tables + step)
        if depth > _MAX_DEPTH or tables > _MAX_TABLE_DEPTH:
            return "tags nested too deep to lay out"
    return None


class KetPack:
    """One compiled pack file: its manifest values, outline, documents, images and index.

    Opening checks the header, the format version and the digest over every row hash; each
    document and image is checked against its own hash when it is read.
    """

    def __init__(
        self, path: Path, db: sqlite3.Connection, meta: dict[str, str], documents: int
    ) -> None:
        self.path = path
        self._db = db
        self.meta = meta
        self._document_count = documents

    @classmethod
    def open(cls, path: Path) -> KetPack:
        """Open and verify ``path``; raise PackError with one line naming it."""
        try:
            counter, _ = fmt.read_header(path)
        except fmt.FormatError as exc:
            raise pack_error(path, str(exc)) from None
        db: sqlite3.Connection | None = None
        try:
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not all(type(value) is str for value in meta.values()):
                raise fmt.FormatError("damaged (a manifest value is not text)")
            fmt.check_version(meta)
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not tables >= _TABLES:
                raise sqlite3.OperationalError("no such table")
            if meta.get("counter") != str(counter):
                raise fmt.FormatError("edited after it was built")
            (outline_hash,) = db.execute("SELECT hash FROM outline WHERE id = 1").fetchone()
            documents = db.execute("SELECT idx, path, hash FROM documents ORDER BY idx").fetchall()
            images = db.execute("SELECT path, hash FROM images ORDER BY path").fetchall()
            if fmt.digest(meta, outline_hash, documents, images) != meta.get("digest"):
                raise fmt.FormatError("damaged or edited (its digest does not match)")
        except (fmt.FormatError, sqlite3.Error, TypeError, ValueError) as exc:
            if db is not None:
                db.close()
            reason = str(exc) if isinstance(exc, fmt.FormatError) else f"damaged ({exc})"
            if isinstance(exc, sqlite3.Error) and "no such table" in str(exc):
                reason = "not a compiled pack (its tables are missing)"
            raise pack_error(path, reason) from None
        return cls(path, db, meta, len(documents))

    def close(self) -> None:
        self._db.close()

    # -- the manifest's values -------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.meta["title"]

    def optional(self, key: str) -> str | None:
        return self.meta.get(key) or None

    @property
    def fingerprint(self) -> str:
        return self.meta["fingerprint"]

    @property
    def synonyms(self) -> str | None:
        return self.meta.get("synonyms")

    @property
    def document_count(self) -> int:
        return self._document_count

    # -- rows, each checked against its hash as it is read -----------------------------------

    def _checked(self, what: str, hashed: bytes, data: bytes) -> bytes:
        if fmt.row_hash(data) != hashed:
            raise pack_error(self.path, f"damaged: {what} does not match its hash")
        return data

    def _unpacked(self, what: str, hashed: bytes, data: bytes) -> Any:
        try:
            return json.loads(zlib.decompress(self._checked(what, hashed, data)))
        except (zlib.error, ValueError) as exc:
            raise pack_error(self.path, f"damaged: {what} cannot be read ({exc})") from None

    def _row(self, sql: str, args: tuple[object, ...], what: str) -> tuple[Any, ...]:
        try:
            row = self._db.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            raise pack_error(self.path, f"damaged: {what} cannot be read ({exc})") from None
        if row is None:
            raise pack_error(self.path, f"damaged: {what} is missing")
        return tuple(row)

    def outline(self) -> tuple[Section, ...]:
        hashed, data = self._row("SELECT hash, data FROM outline WHERE id = 1", (), "the outline")
        rows = self._unpacked("the outline", hashed, data)
        try:
            return outline_sections(rows, self._document_count)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise pack_error(self.path, f"damaged: the outline cannot be read ({exc})") from None

    def document(self, index: int) -> RenderedDocument:
        what = f"document {index + 1}"
        hashed, data = self._row("SELECT hash, data FROM documents WHERE idx = ?", (index,), what)
        try:
            document = document_from_row(self._unpacked(what, hashed, data))
            if not (type(document.html) is str and type(document.text) is str):
                raise TypeError("its text is not text")
        except (TypeError, ValueError) as exc:
            raise pack_error(self.path, f"damaged: {what} cannot be read ({exc})") from None
        beyond = html_beyond_bounds(document.html)
        if beyond:
            raise pack_error(self.path, f"damaged: {what} holds {beyond}")
        return document

    def section_text(self, section_id: str) -> str:
        row = self._row("SELECT body FROM sections WHERE id = ?", (section_id,), "a section")
        return str(row[0] or "")

    def image(self, relative: str) -> bytes | None:
        """An image the documents show, by its path in the pack; None for any other name."""
        try:
            row = self._db.execute(
                "SELECT hash, data FROM images WHERE path = ?", (relative,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return self._checked(f"image {relative}", row[0], row[1])
        except PackError:
            return None  # a damaged image shows as broken, like a missing one

    def quick_check(self) -> str | None:
        """Read every page and check every image: None when whole, else what is wrong.

        Slow on a large pack (it reads the whole file): for `ketreader check`, not opening.
        """
        try:
            rows = [str(r[0]) for r in self._db.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                return "; ".join(rows[:3])
            for path, hashed, data in self._db.execute("SELECT path, hash, data FROM images"):
                if fmt.row_hash(data) != hashed:
                    return f"image {path} does not match its hash"
        except sqlite3.Error as exc:
            return str(exc)
        return None

    def image_hashes(self) -> list[tuple[str, bytes]]:
        return [(str(p), bytes(h)) for p, h in self._db.execute("SELECT path, hash FROM images")]

    def index(self) -> SearchIndex:
        from ketreader.search.index import SearchIndex

        return SearchIndex(self._db)

    def rendered(self, root: Path) -> RenderedPack:
        """Every document and section's text: export and printing need the whole pack."""
        sections = self.outline()
        return RenderedPack(
            root=root,
            title=self.title,
            version=self.optional("version"),
            language=self.optional("language"),
            fingerprint=self.fingerprint,
            sections=sections,
            documents=tuple(self.document(i) for i in range(self.document_count)),
            note=self.optional("note"),
        )
