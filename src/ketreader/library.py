"""Wiring room: an opened pack as the window and the CLI use it; no Qt.

Everything downstream reads a pack through this class only: its outline, each document's
HTML when it is shown, its images, and its search index.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ketreader.content.pack import resolve_inside
from ketreader.render.model import RenderedDocument, RenderedPack, Section

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

MAX_IMAGE_BYTES = 16 * 1024 * 1024


class Library:
    """An opened pack: its outline, documents, images and search index.

    The rendered pack may come from a cache loader: it is only loaded when first needed.
    """

    def __init__(
        self,
        source: Path,
        pack: RenderedPack | Callable[[], RenderedPack],
        index: SearchIndex | None = None,
    ) -> None:
        self.source = source
        self._pack = pack if isinstance(pack, RenderedPack) else None
        self._load = None if isinstance(pack, RenderedPack) else pack
        self._index = index
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
        return self.rendered.fingerprint

    # -- outline and documents ----------------------------------------------------------------

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.rendered.sections

    def section(self, section_id: str) -> Section | None:
        return self.rendered.section(section_id)

    @property
    def document_count(self) -> int:
        return len(self.rendered.documents)

    def document(self, index: int) -> RenderedDocument:
        return self.rendered.documents[index]

    def document_html(self, index: int) -> str:
        return self.rendered.documents[index].html

    def resource(self, relative: str) -> bytes | None:
        """An image of the pack by its path inside the pack; None for anything else."""
        root = self.rendered.root
        path = resolve_inside(root, relative)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_IMAGE_BYTES + 1)
        except OSError:
            return None
        return data if len(data) <= MAX_IMAGE_BYTES else None

    # -- search ---------------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """Built on first use: the window paints before any search is typed."""
        if self._index is None:
            from ketreader.search.index import SearchIndex

            self._index = SearchIndex.build(self.rendered)
        if not self._synonyms_read:
            # The pack's own synonyms (search/synonyms.py), read with the pack's containment.
            from ketreader.search.synonyms import load_synonyms

            self._index.use_synonyms(load_synonyms(self.source))
            self._synonyms_read = True
        return self._index
