"""Render room: a pack's documents given out one by one, each only once it is final.

A pack being prepared renders its documents in reading order. assemble() (pack_render.py)
joins them only when all are rendered, so PrefixAssembler says, as each draft arrives,
which documents assemble() can no longer change, and gives them exactly as it will give
them: the same HTML, ids, marks, notes and sections, byte for byte.

Why a document can be final early, and when it cannot (see pack_render._IdRegistry):

- assemble() first reserves every document's heading ids, in reading order. A document's
  headings therefore have their final ids as soon as it and every document before it
  are in: the later ones only take ids after them.
- A document's top takes its leading H1's reserved id when it has one (final then too).
  Otherwise assemble() picks it only after every document's headings are reserved, and a
  later heading may take the name first: such a document waits for the end. So does one
  with a heading whose id was not reserved (its id is picked at the end as well).
- A link into another document needs that document's reserved ids, so the linking
  document waits until the target is in; a link to a document's top needs that top's id
  to be final.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import NamedTuple

from ketreader.content.pack import Pack
from ketreader.render.draft import DocumentDraft
from ketreader.render.model import RenderedDocument, Section
from ketreader.render.pack_render import (
    _fill,
    _IdRegistry,
    _image_resolver,
    _link_resolver,
    _mark,
    _split_target,
)
from ketreader.render.scan import HEADING, ROOT
from ketreader.textsafe import isolate_bidi_controls

_AT_END = ""  # what a document waits for when only the whole pack decides its ids


class ReadyDocument(NamedTuple):
    """One document exactly as assemble() gives it, with its sections."""

    number: int  # the document's index in the pack
    document: RenderedDocument
    sections: tuple[Section, ...]


class _Wait(Exception):  # noqa: N818 - control flow, never seen outside this module
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path  # the document waited for; _AT_END for the end of the pack


class _FinalTitles(Mapping[str, str]):
    """assemble()'s ``title_ids`` as far as they are final: every document is known to be
    in the pack (so links are judged as assemble() judges them), but reading an id that is
    not yet final stops the assembly of the document that reads it."""

    def __init__(self, paths: Mapping[str, int], final: dict[str, str]) -> None:
        self._paths = paths
        self._final = final

    def __contains__(self, key: object) -> bool:
        return key in self._paths

    def __getitem__(self, key: str) -> str:
        if key not in self._paths:
            raise KeyError(key)
        found = self._final.get(key)
        if found is None:
            raise _Wait(_AT_END)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class PrefixAssembler:
    """Takes drafts in reading order and gives back each document as soon as it is final."""

    def __init__(self, pack: Pack) -> None:
        self._pack = pack
        self._index_of = {d.path: i for i, d in enumerate(pack.documents)}
        self._single = len(pack.documents) == 1
        self._registry = _IdRegistry()
        self._drafts: list[DocumentDraft] = []
        self._title_ids: dict[str, str] = {}  # the final ones only
        self._titles = _FinalTitles(self._index_of, self._title_ids)
        self._waiting: dict[str, list[int]] = {}  # document waited for -> documents waiting

    @property
    def received(self) -> int:
        return len(self._drafts)

    def final_ids(self, draft: DocumentDraft) -> list[str]:
        """The ids of ``draft``'s headings (added last) that are already final."""
        found = [self._registry.by_document.get((draft.path, local)) for local in draft.heading_ids]
        return [section_id for section_id in found if section_id is not None]

    def add(self, draft: DocumentDraft) -> list[ReadyDocument]:
        """Take the next document's draft; the documents now final, in reading order."""
        index = len(self._drafts)
        self._drafts.append(draft)
        if draft.problem is not None:
            return []  # assemble() refuses the whole pack at the end, naming it
        path = draft.path
        self._registry.reserve(path, draft.heading_ids)
        leading = draft.leading_h1
        if leading is not None and (path, leading) in self._registry.by_document:
            self._title_ids[path] = self._registry.by_document[(path, leading)]
        ready: list[ReadyDocument] = []
        for candidate in [index, *self._waiting.pop(path, [])]:
            try:
                ready.append(self._assemble(candidate))
            except _Wait as wait:
                if wait.path != _AT_END:
                    self._waiting.setdefault(wait.path, []).append(candidate)
        ready.sort(key=lambda r: r.number)
        return ready

    def _assemble(self, index: int) -> ReadyDocument:
        """Document ``index`` as assemble() joins it; _Wait when that may still change."""
        draft = self._drafts[index]
        path = draft.path
        by_document = self._registry.by_document
        ids: list[str] = []
        for local in draft.sections:
            if local.kind == HEADING:
                if local.local_id is None or (path, local.local_id) not in by_document:
                    raise _Wait(_AT_END)  # assemble() picks this id after every reservation
                ids.append(by_document[(path, local.local_id)])
            else:
                ids.append(self._titles[path])
        stem = self._pack.title if self._single else isolate_bidi_controls(_stem(path))
        sections = tuple(
            Section(
                section_id,
                local.title or (stem if local.kind == ROOT else section_id),
                local.level,
                ids[local.parent] if local.parent >= 0 else None,
                index,
                local.spans,
            )
            for local, section_id in zip(draft.sections, ids, strict=True)
        )
        resolve_link = _link_resolver(path, self._registry, self._titles, [])  # type: ignore[arg-type]

        def resolve(href: str) -> str | None:
            at = self._index_of.get(_split_target(path, href)[0])
            if at is not None and at >= len(self._drafts):
                raise _Wait(self._pack.documents[at].path)  # its ids are not reserved yet
            return resolve_link(href)

        html_text = _fill(draft, ids, resolve, _image_resolver(self._pack, path, [], []))
        document = RenderedDocument(
            path,
            self._titles[path],
            html_text,
            draft.text,
            tuple(_mark(draft, ids, m) for m in draft.marks),
            tuple(ids[n.section] + n.suffix for n in draft.notes),
            tuple(message for message, _line in draft.warnings),
        )
        return ReadyDocument(index, document, sections)


def _stem(path: str) -> str:
    return PurePosixPath(path).stem
