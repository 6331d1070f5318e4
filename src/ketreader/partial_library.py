"""Wiring room: a pack being prepared, readable document by document as it renders; no Qt.

The preparing thread adds each draft to a PreparingPack (render.pack_prefix says which
documents are final); the window takes the finished ones in bounded batches into a
PartialLibrary, which it shows like any pack. A document not yet finished is a stand-in
page that says so. Search covers the finished documents only, as of the latest partial
index, built on the preparing thread once search is used, and again each time the number
of finished documents has doubled while it is.
"""

from __future__ import annotations

import html
import posixpath
import sqlite3
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ketreader.content.pack import Pack
from ketreader.deeplink import section_from_link
from ketreader.library import Library
from ketreader.navigator import Navigator, Place
from ketreader.render.draft import DocumentDraft
from ketreader.render.model import Mark, RenderedDocument, RenderedPack, Section
from ketreader.render.pack_prefix import PrefixAssembler, ReadyDocument

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# A stand-in's id: no slug holds a space, so it is never one of the pack's own ids.
STAND_IN_PREFIX = "preparing "
STILL_PREPARING = (
    "This part of the guide is still being prepared. It appears here when it is ready."
)


def stand_in_id(number: int) -> str:
    return f"{STAND_IN_PREFIX}{number}"


def is_stand_in(section_id: str | None) -> bool:
    return bool(section_id) and str(section_id).startswith(STAND_IN_PREFIX)


class PreparingPack:
    """The finished documents of a pack being prepared, shared by two threads.

    ``add`` runs on the preparing thread; ``take`` and ``search_index`` on the window's.
    """

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.total = len(pack.documents)
        # Made here, on the preparing thread: the window shows them all at once.
        self.stand_ins = tuple(stand_in_section(pack, n) for n in range(self.total))
        self._assembler = PrefixAssembler(pack)
        self._lock = threading.Lock()
        self._ready: dict[int, ReadyDocument] = {}
        self._new: list[ReadyDocument] = []
        self._owners: dict[str, int] = {}  # final heading id -> its document
        self._index: tuple[SearchIndex, int] | None = None
        self._indexed = 0
        self._indexing = False
        self._indexing_count = 0

    def add(self, draft: DocumentDraft) -> None:
        """The next document's draft (preparing thread), in reading order."""
        number = self._assembler.received
        ready = self._assembler.add(draft)
        owned = self._assembler.final_ids(draft)
        with self._lock:
            for section_id in owned:
                self._owners[section_id] = number
            for document in ready:
                self._ready[document.number] = document
            self._new.extend(ready)

    def owner(self, section_id: str) -> int | None:
        """The document whose heading has this (final) id, finished or not."""
        with self._lock:
            return self._owners.get(section_id)

    def want_index(self) -> None:
        """Search is being used (window thread): index what is finished, on a thread of its own.

        Only then, and again only once the finished documents have doubled since the last
        index: a reader who never searches costs the preparation nothing, and one who does
        at most about one more index (about 1 ms a section, competing with the preparation).
        """
        with self._lock:
            if self._indexing or len(self._ready) < max(1, 2 * self._indexed):
                return
            self._indexing = True
            ready = dict(self._ready)
            self._indexing_count = len(ready)
        threading.Thread(
            target=self._build_index, args=(ready,), name="partial index", daemon=True
        ).start()

    def first_index_pending(self) -> int:
        """How many documents the first index is being built over; 0 once there is one,
        or while none is being built."""
        with self._lock:
            return self._indexing_count if self._indexing and self._index is None else 0

    def _build_index(self, ready: dict[int, ReadyDocument]) -> None:
        from ketreader.search.index import SearchIndex, SearchUnavailableError

        try:
            index = SearchIndex.build(snapshot(self.pack, ready))
            with self._lock:
                self._index = (index, len(ready))
                self._indexed = len(ready)
        except (SearchUnavailableError, sqlite3.Error):
            pass  # the whole pack's search says why, once it is prepared
        finally:
            with self._lock:
                self._indexing = False

    def finished(self) -> dict[int, RenderedDocument]:
        """Every document given out so far, by its index."""
        with self._lock:
            return {n: r.document for n, r in self._ready.items()}

    def is_ready(self, number: int) -> bool:
        """Whether document ``number`` is finished (taken by the window or not)."""
        with self._lock:
            return number in self._ready

    def pending(self) -> int:
        """How many finished documents the window has not taken yet."""
        with self._lock:
            return len(self._new)

    def take(self, sections: int) -> list[ReadyDocument]:
        """Finished documents not yet taken, up to about ``sections`` sections' worth."""
        with self._lock:
            taken, count = 0, 0
            while taken < len(self._new) and (taken == 0 or count < sections):
                count += len(self._new[taken].sections)
                taken += 1
            batch = self._new[:taken]
            del self._new[:taken]
        return batch

    def search_index(self) -> tuple[SearchIndex, int] | None:
        """The latest partial index, and how many documents it covers."""
        with self._lock:
            return self._index


def stand_in(pack: Pack, number: int) -> tuple[RenderedDocument, Section]:
    """The page and the outline entry of a document that is not finished yet."""
    section = stand_in_section(pack, number)
    page = (
        f'<h1 id="{html.escape(section.id)}">{html.escape(section.title)}</h1>'
        f"<p>{html.escape(STILL_PREPARING)}</p>"
    )
    path = pack.documents[number].path
    return RenderedDocument(path, section.id, page, "", (Mark(None, section.id),)), section


def stand_in_section(pack: Pack, number: int) -> Section:
    # Plain string functions: thousands of these are made as the pack is first shown.
    stem = posixpath.splitext(posixpath.basename(pack.documents[number].path))[0]
    return Section(stand_in_id(number), f"{stem} (preparing…)", 1, None, number, ())


def snapshot(pack: Pack, ready: dict[int, ReadyDocument]) -> RenderedPack:
    """The finished documents as a RenderedPack (stand-ins fill the gaps, with no sections)."""
    documents = tuple(
        ready[n].document if n in ready else stand_in(pack, n)[0]
        for n in range(len(pack.documents))
    )
    sections = tuple(s for n in sorted(ready) for s in ready[n].sections)
    return RenderedPack(
        root=pack.root,
        title=pack.title,
        version=pack.version,
        language=pack.language,
        fingerprint=pack.fingerprint,
        sections=sections,
        documents=documents,
        warnings=pack.warnings,
        note=pack.note,
    )


class PartialLibrary(Library):
    """A pack being prepared, as the window shows it: finished documents and stand-ins.

    Only the window's thread touches it: ``show`` adds the documents it has taken.
    """

    def __init__(self, preparing: PreparingPack) -> None:
        pack = preparing.pack
        # ``rendered`` is overridden; the loader given here holds no reference to self, so
        # the finished documents are freed as soon as the window lets go of this pack.
        super().__init__(pack.root, lambda: snapshot(pack, {}))
        self.preparing = preparing
        self._source_pack = pack
        self._shown: dict[int, ReadyDocument] = {}
        self._outline: list[tuple[Section, ...]]
        self._by_id: dict[str, Section]
        self._outline = [(section,) for section in preparing.stand_ins]
        self._by_id = {section.id: section for section in preparing.stand_ins}
        self._flat: tuple[Section, ...] | None = None
        self._index_used: SearchIndex | None = None
        self._numbers: dict[str, int] | None = None

    @property
    def rendered(self) -> RenderedPack:
        """What is finished so far (export and printing of a pack being prepared)."""
        return snapshot(self._source_pack, self._shown)

    @property
    def title(self) -> str:
        return self._source_pack.title

    @property
    def version(self) -> str | None:
        return self._source_pack.version

    @property
    def language(self) -> str | None:
        return self._source_pack.language

    @property
    def note(self) -> str | None:
        return self._source_pack.note

    @property
    def fingerprint(self) -> str:
        # Not the prepared pack's (that one covers its images and synonyms too): a place
        # saved meanwhile is kept apart from it.
        return f"preparing-{self._source_pack.fingerprint}"

    @property
    def ready_count(self) -> int:
        return len(self._shown)

    def is_ready(self, number: int) -> bool:
        return number in self._shown

    def number_of(self, path: str) -> int | None:
        """The index of the document at ``path`` in the pack."""
        if self._numbers is None:
            self._numbers = {d.path: n for n, d in enumerate(self._source_pack.documents)}
        return self._numbers.get(path)

    def show(self, batch: Sequence[ReadyDocument]) -> None:
        """Make these finished documents readable in place of their stand-ins."""
        for ready in batch:
            self._shown[ready.number] = ready
            self._outline[ready.number] = ready.sections
            for section in ready.sections:
                self._by_id[section.id] = section
            # The stand-in's id stays, leading to the document's top: history and the
            # sidebar may still hold it.
            if ready.sections:
                self._by_id[stand_in_id(ready.number)] = ready.sections[0]
        if batch:
            self._flat = None

    @property
    def sections(self) -> tuple[Section, ...]:
        if self._flat is None:
            self._flat = tuple(s for group in self._outline for s in group)
        return self._flat

    def document_sections(self, number: int) -> tuple[Section, ...]:
        return self._outline[number]

    def section(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    def section_text(self, section: Section) -> str:
        ready = self._shown.get(section.document)
        if ready is None:
            return ""
        text = ready.document.text
        spans = section.spans
        return "\n\n".join(text[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2))

    @property
    def document_count(self) -> int:
        return self.preparing.total

    def document(self, index: int) -> RenderedDocument:
        ready = self._shown.get(index)
        if ready is not None:
            return ready.document
        if not 0 <= index < self.preparing.total:
            raise IndexError(index)
        return stand_in(self._source_pack, index)[0]

    @property
    def search_covers(self) -> int:
        """How many documents search covers now."""
        found = self.preparing.search_index()
        return found[1] if found else 0

    @property
    def index(self) -> SearchIndex:
        """The latest partial index: the finished documents as of its last build."""
        self.preparing.want_index()
        found = self.preparing.search_index()
        if found is None:
            if self._index is None:
                from ketreader.search.index import SearchIndex

                self._index = SearchIndex.build(snapshot(self._source_pack, {}))
            found = (self._index, 0)
        index = found[0]
        if index is not self._index_used:
            from ketreader.search.synonyms import load_synonyms

            index.use_synonyms(load_synonyms(self.source))
            self._index_used = index
        return index


class GrowingNavigator(Navigator):
    """Navigator over a PartialLibrary: sections appear as their documents finish."""

    def __init__(self, library: PartialLibrary, previous: Navigator) -> None:
        super().__init__((), lambda i: library.document(i).marks)
        self._library = library
        self.history = previous.history
        self._seen: tuple[Section, ...] | None = None

    @property
    def home(self) -> str:
        return self._library.sections[0].id

    def place(self, link: str) -> Place | None:
        wanted = section_from_link(link.strip())
        section = self._library.section(wanted)
        if section is None:
            # A link into a document that is not finished: its "still being prepared" page.
            number = self._library.preparing.owner(wanted)
            if number is None or self._library.is_ready(number):
                return None
            return Place(stand_in_id(number), number, None)
        marks = self._library.document(section.document).marks
        anchor = next((m.anchor for m in marks if m.section_id == section.id), None)
        return Place(section.id, section.document, anchor)

    def step(self, current: str | None, step: int) -> str | None:
        sections = self._library.sections
        if sections is not self._seen:
            self._seen = sections
            self._order = [s.id for s in sections]
            self._position = {section_id: i for i, section_id in enumerate(self._order)}
        return super().step(current, step)
