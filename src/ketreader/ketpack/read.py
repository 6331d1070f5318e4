"""Storage room: a compiled pack opened read-only, checked on open, read a row at a time."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketreader.content.diagnostics import PackError
from ketreader.ketpack import MAX_IMAGE_BYTES
from ketreader.ketpack import format as fmt
from ketreader.ketpack.rows import checked_document, outline_sections, pack_error
from ketreader.render.model import RenderedDocument, RenderedPack, Section

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex


# A row inflated: a document's HTML and text, from a document of at most 8 MiB, or the
# outline of at most 5,000 documents (content/pack.py), with room to spare.
MAX_ROW_BYTES = 64 * 1024 * 1024

# The tables every compiled pack holds; SQLite's own schema row says whether they exist.
_TABLES = frozenset({"meta", "outline", "documents", "images", "sections", "fts", "words"})


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
        # Inflated with a bound: a forged row of a few MB can inflate a thousandfold.
        inflate = zlib.decompressobj()
        try:
            raw = inflate.decompress(self._checked(what, hashed, data), MAX_ROW_BYTES)
            if inflate.unconsumed_tail:
                raise pack_error(self.path, f"damaged: {what} is larger than any build writes")
            return json.loads(raw)
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
        return checked_document(self.path, index, self._unpacked(what, hashed, data))

    def section_text(self, section_id: str) -> str:
        row = self._row("SELECT body FROM sections WHERE id = ?", (section_id,), "a section")
        return str(row[0] or "")

    def image(self, relative: str) -> bytes | None:
        """An image the documents show, by its path in the pack; None for any other name."""
        try:
            row = self._db.execute(  # an image over the cap is never read into memory
                "SELECT hash, data FROM images WHERE path = ? AND length(data) <= ?",
                (relative, MAX_IMAGE_BYTES),
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
