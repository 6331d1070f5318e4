"""Render room: the rendered pack's data types, shared by search, export and the UI."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ketreader.content.diagnostics import Diagnostic


class Section(NamedTuple):
    """One heading and the content that belongs to it, in reading order.

    Its text is not a copy: ``spans`` are offsets into its document's text (start, end,
    start, end, ...; a parent resumed after a subsection has more than one run), read
    through ``RenderedPack.section_text``.
    """

    id: str
    title: str
    level: int
    parent: str | None
    document: int  # index into RenderedPack.documents
    spans: tuple[int, ...] = ()

    def outline_entry(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "level": self.level, "parent": self.parent}


class Mark(NamedTuple):
    """Where a section's run starts in a document; anchor None means the document top."""

    anchor: str | None
    section_id: str


class RenderedDocument(NamedTuple):
    """One document as the view shows it, plus the anchors scroll-spy needs."""

    path: str
    title_id: str
    html: str
    text: str
    marks: tuple[Mark, ...]
    notes: tuple[str, ...] = ()  # ids of the blocks set apart as safety notes
    simplified: tuple[str, ...] = ()  # what was shown simplified, so it could not hurt


class RenderedPack:
    """Everything downstream needs: sections in reading order and per-document HTML.

    A plain class with slots, like the NamedTuples above: dataclass creation costs about a
    millisecond each on the window's start-up path.
    """

    __slots__ = (
        "_by_id",
        "diagnostics",
        "documents",
        "fingerprint",
        "language",
        "note",
        "root",
        "sections",
        "title",
        "version",
        "warnings",
    )

    def __init__(
        self,
        root: Path,
        title: str,
        version: str | None,
        language: str | None,
        fingerprint: str,
        sections: tuple[Section, ...],
        documents: tuple[RenderedDocument, ...],
        warnings: tuple[Diagnostic, ...] = (),
        diagnostics: tuple[Diagnostic, ...] = (),  # broken links, images
        note: str | None = None,
    ) -> None:
        self.root = root
        self.title = title
        self.version = version
        self.language = language
        self.fingerprint = fingerprint
        self.sections = sections
        self.documents = documents
        self.warnings = warnings
        self.diagnostics = diagnostics
        self.note = note
        self._by_id: dict[str, Section] | None = None

    def section(self, section_id: str) -> Section | None:
        if self._by_id is None:
            self._by_id = {s.id: s for s in self.sections}
        return self._by_id.get(section_id)

    def section_text(self, section: Section) -> str:
        """The plain text of one section (its own runs, not its subsections')."""
        text = self.documents[section.document].text
        spans = section.spans
        if len(spans) == 2:
            return text[spans[0] : spans[1]]
        return "\n\n".join(text[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2))

    @property
    def text(self) -> str:
        return "\n\n".join(d.text for d in self.documents)


def document_to_row(document: RenderedDocument) -> list[Any]:
    """A document as plain lists and strings, for the caches (marshal and SQLite)."""
    d = document
    marks = [[m.anchor, m.section_id] for m in d.marks]
    return [d.path, d.title_id, d.html, d.text, marks, list(d.notes), list(d.simplified)]


def document_from_row(row: list[Any]) -> RenderedDocument:
    """Inverse of document_to_row."""
    path, title_id, html, text, marks, notes, simplified = row
    return RenderedDocument(
        path,
        title_id,
        html,
        text,
        tuple(Mark(a, s) for a, s in marks),
        tuple(notes),
        tuple(simplified),
    )


def pack_to_json(pack: RenderedPack) -> dict[str, object]:
    """A JSON-ready form of the rendered pack, for the start-up render cache."""
    return {
        "title": pack.title,
        "version": pack.version,
        "language": pack.language,
        "note": pack.note,
        "fingerprint": pack.fingerprint,
        "sections": [
            [s.id, s.title, s.level, s.parent, s.document, list(s.spans)] for s in pack.sections
        ],
        "documents": [document_to_row(d) for d in pack.documents],
    }


def pack_from_json(data: dict[str, Any], root: Path) -> RenderedPack:
    """Inverse of pack_to_json; raises KeyError, TypeError or ValueError on a bad cache."""
    return RenderedPack(
        root=root,
        title=str(data["title"]),
        version=data["version"],
        language=data["language"],
        fingerprint=str(data["fingerprint"]),
        sections=tuple(_section_from_row(row) for row in data["sections"]),
        documents=tuple(document_from_row(row) for row in data["documents"]),
        note=data["note"],
    )


def _section_from_row(row: list[Any]) -> Section:
    # A cache written before sections held offsets has seven columns: refuse it.
    if len(row) != 6 or not all(isinstance(n, int) for n in row[5]):
        raise ValueError("not a section row")
    section_id, title, level, parent, document, spans = row
    return Section(section_id, title, level, parent, document, tuple(spans))
