"""Wiring room: an opened pack as the window and the CLI use it; no Qt.

Everything downstream reads a pack through this class only: its outline, each document's
HTML when it is shown, its images, and its search index.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ketreader.ketpack import MAX_IMAGE_BYTES
from ketreader.render.model import RenderedDocument, RenderedPack, Section

if TYPE_CHECKING:
    from ketreader.ketpack.read import KetPack
    from ketreader.ketpack.start import StartRecord
    from ketreader.search.index import SearchIndex

__all__ = ["MAX_IMAGE_BYTES", "Library", "StoredLibrary"]
_DOCUMENTS_KEPT = 4  # documents kept unpacked: the one shown and the last few visited


class Library:
    """An opened pack: its outline, documents, images and search index.

    The rendered pack may come from a loader: it is only loaded when first needed.
    ``fingerprint`` overrides the rendered pack's (the whole pack's, images and synonyms
    included, as pipeline computes it).
    """

    def __init__(
        self,
        source: Path,
        pack: RenderedPack | Callable[[], RenderedPack],
        index: SearchIndex | None = None,
        *,
        fingerprint: str | None = None,
        synonyms: str | None = None,
    ) -> None:
        self.source = source
        self._pack = pack if isinstance(pack, RenderedPack) else None
        self._load = None if isinstance(pack, RenderedPack) else pack
        self._index = index
        self._fingerprint = fingerprint
        self._synonyms_text = synonyms
        self._synonyms_read = False

    @property
    def rendered(self) -> RenderedPack:
        """The whole rendered pack (exports and printing need every document)."""
        if self._pack is None:
            assert self._load is not None
            self._pack = self._load()
        return self._pack

    # -- what the pack is -------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.rendered.title

    @property
    def version(self) -> str | None:
        return self.rendered.version

    @property
    def language(self) -> str | None:
        return self.rendered.language

    @property
    def note(self) -> str | None:
        """The editors' note about this pack (``note`` in pack.toml), for About this guide."""
        return self.rendered.note

    @property
    def fingerprint(self) -> str:
        return self._fingerprint or self.rendered.fingerprint

    # -- outline and documents ----------------------------------------------------------------

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.rendered.sections

    def section(self, section_id: str) -> Section | None:
        return self.rendered.section(section_id)

    def section_text(self, section: Section) -> str:
        """The plain text of one section (its own run, not its subsections')."""
        return self.rendered.section_text(section)

    @property
    def document_count(self) -> int:
        return len(self.rendered.documents)

    def document(self, index: int) -> RenderedDocument:
        return self.rendered.documents[index]

    def document_html(self, index: int) -> str:
        return self.document(index).html

    def resource(self, relative: str) -> bytes | None:
        """An image of the pack by its path inside the pack; None for anything else."""
        from ketreader.ketpack.contents import read_image  # the same containment and cap

        return read_image(self.source, relative)

    # -- search ---------------------------------------------------------------------------

    def _new_index(self) -> SearchIndex:
        from ketreader.search.index import SearchIndex

        return SearchIndex.build(self.rendered)

    @property
    def index(self) -> SearchIndex:
        """Built on first use: the window paints before any search is typed."""
        if self._index is None:
            self._index = self._new_index()
        if not self._synonyms_read:
            # The pack's own synonyms (search/synonyms.py), read with the pack's containment.
            from ketreader.search.synonyms import load_synonyms, parse_synonyms

            if self._synonyms_text is not None:
                table, _ = parse_synonyms(self._synonyms_text, str(self.source))
            else:
                table = load_synonyms(self.source)
            self._index.use_synonyms(table)
            self._synonyms_read = True
        return self._index


class StoredLibrary(Library):
    """A pack read from a compiled file: a .ketpack, or a folder pack's cache.

    Opening reads the manifest's values and the outline only; a document is read when it
    is shown, and the whole rendering only for export and printing. Opened from a start
    record (ketpack/start.py), the file itself is opened and checked only when something
    the record does not hold is first needed.
    """

    def __init__(
        self, source: Path, stored: KetPack | None, record: StartRecord | None = None
    ) -> None:
        if record is not None:
            meta = record.meta
        elif stored is not None:
            meta = stored.meta
        else:
            raise ValueError("a stored library needs its pack file or its start record")
        super().__init__(
            source,
            lambda: self.stored.rendered(source),
            fingerprint=meta["fingerprint"],
            synonyms=meta.get("synonyms") or "",
        )
        self._stored = stored
        self._meta = meta
        self._record = record
        self._sections: tuple[Section, ...] | None = record.sections if record else None
        self._by_id: dict[str, Section] | None = None
        self._documents: OrderedDict[int, RenderedDocument] = OrderedDict()
        # Set by pipeline for a folder pack's cache: called when a row turns out damaged
        # (the cache is dropped), and where the pack is then rendered from its sources.
        self.on_damage: Callable[[], None] | None = None
        self.fallback: Callable[[], RenderedPack] | None = None
        self._outline_damage: str | None = None  # why the outline could not be read

    @property
    def stored(self) -> KetPack:
        """The pack file, opened and checked on first use; PackError if it cannot be."""
        if self._stored is None:
            from ketreader.ketpack.read import KetPack

            self._stored = KetPack.open(self.source)
        return self._stored

    @property
    def title(self) -> str:
        return self._meta["title"]

    @property
    def version(self) -> str | None:
        return self._meta.get("version") or None

    @property
    def language(self) -> str | None:
        return self._meta.get("language") or None

    @property
    def note(self) -> str | None:
        return self._meta.get("note") or None

    @property
    def sections(self) -> tuple[Section, ...]:
        if self._pack is not None:
            return self._pack.sections
        if self._sections is None:
            from ketreader.content.diagnostics import PackError

            try:
                self._sections = self.stored.outline()
            except PackError as exc:
                # Read at the first paint, not on open (a CLI search never needs it): a
                # cache is rendered again; a compiled pack shows one page saying why.
                if self.on_damage is not None:
                    self.on_damage()
                if self.fallback is not None:
                    self._pack = self.fallback()
                    return self._pack.sections
                import logging

                logging.getLogger(__name__).warning("%s", exc)
                self._outline_damage = str(exc)
                self._sections = (Section("damaged", "This pack is damaged", 1, None, 0, ()),)
        return self._sections

    def section(self, section_id: str) -> Section | None:
        if self._by_id is None:
            self._by_id = {s.id: s for s in self.sections}
        return self._by_id.get(section_id)

    def section_text(self, section: Section) -> str:
        if self._pack is not None:
            return self._pack.section_text(section)
        return self.stored.section_text(section.id)

    @property
    def document_count(self) -> int:
        if self._record is not None:
            return self._record.document_count
        return self.stored.document_count

    def document(self, index: int) -> RenderedDocument:
        if self._pack is not None:
            return self._pack.documents[index]
        if self._outline_damage is not None and self.sections:
            return self._damaged(index, self._outline_damage)
        cached = self._documents.get(index)
        if cached is None:
            from ketreader.content.diagnostics import PackError

            if not 0 <= index < self.document_count:
                raise IndexError(index)
            try:
                cached = self._read_document(index)
            except PackError as exc:
                if self.on_damage is not None:
                    self.on_damage()
                if self.fallback is None:
                    # A compiled pack has no sources to render again: the window shows
                    # the damage on that page (check and export read the rows and refuse).
                    import logging

                    logging.getLogger(__name__).warning("%s", exc)
                    cached = self._damaged(index, str(exc))
                else:
                    self._pack = self.fallback()
                    return self._pack.documents[index]
            self._documents[index] = cached
            while len(self._documents) > _DOCUMENTS_KEPT:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(index)
        return cached

    def _read_document(self, index: int) -> RenderedDocument:
        row = self._record.documents.get(index) if self._record is not None else None
        if row is None:
            return self.stored.document(index)
        from ketreader.ketpack.rows import checked_document

        return checked_document(self.source, index, row)  # as a row of the pack file is

    def _damaged(self, index: int, reason: str) -> RenderedDocument:
        import html

        own = [s for s in self.sections if s.document == index]
        anchor = own[0].id if own else f"damaged-{index}"
        title = own[0].title if own else "Damaged"
        return RenderedDocument(
            path=f"damaged-{index}",
            title_id=anchor,
            html=f'<h1 id="{html.escape(anchor)}">{html.escape(title)}</h1>'
            f"<p>This part of the pack is damaged and cannot be shown: {html.escape(reason)}</p>",
            text="",
            marks=(),
        )

    def resource(self, relative: str) -> bytes | None:
        from ketreader.content.diagnostics import PackError

        try:
            return self.stored.image(relative)
        except PackError:
            return None  # shown as a broken image; the pages say why the pack is damaged

    def _new_index(self) -> SearchIndex:
        from ketreader.content.diagnostics import PackError
        from ketreader.search.index import SearchUnavailableError, require_fts5

        require_fts5()  # the stored index needs FTS5 to be read: say so, not "no results"
        try:
            stored = self.stored
        except PackError as exc:
            raise SearchUnavailableError(str(exc)) from None
        index = stored.index()
        index.on_damage = self.on_damage
        return index


def unavailable_library(reason: str) -> Library:
    """One page saying why the bundled guide cannot be shown: the window still opens."""
    import html

    from ketreader.render.model import Mark

    title = "The guide cannot be shown"
    text = f"{title}\n\n{reason}\n\n{_REINSTALL}"
    page = RenderedDocument(
        path="unavailable",
        title_id="unavailable",
        html=f'<h1 id="unavailable">{title}</h1><p>{html.escape(reason)}</p><p>{_REINSTALL}</p>',
        text=text,
        marks=(Mark(None, "unavailable"),),
    )
    section = Section("unavailable", title, 1, None, 0, (0, len(text)))
    pack = RenderedPack(Path(), title, None, None, "unavailable", (section,), (page,))
    return Library(Path(), pack, fingerprint="unavailable")


_REINSTALL = "Install ketreader again, or ask whoever looks after this computer."
