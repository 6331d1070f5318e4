"""Render room: a loaded pack to a RenderedPack with pack-wide unique section ids."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from urllib.parse import unquote

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import Pack
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.markdown_html import slugify
from ketreader.render.model import Mark, RenderedDocument, RenderedPack, Section
from ketreader.render.scan import HEADING, ROOT, LinkEnd, LinkSlot, SectionSlot
from ketreader.textsafe import isolate_bidi_controls

# The only links that may leave the reader (after the user confirms, where allowed).
LEAVING_SCHEMES = ("https:", "mailto:")
_DOCUMENT_SUFFIXES = (".md", ".markdown")


class _IdRegistry:
    """Hands out ids unique across the pack, keeping each document's toc ids when it can.

    O(1) per id however many headings share a name: each base remembers the last suffix
    it tried, and ids only ever get taken, so nothing below it can be free again.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}
        self.by_document: dict[tuple[str, str], str] = {}

    def reserve(self, document: str, local_ids: tuple[str, ...]) -> None:
        for local in local_ids:
            self.by_document[(document, local)] = self.unique(local)

    def unique(self, base: str) -> str:
        n = self._next.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._next[base] = n
        self._used.add(candidate)
        return candidate

    def heading_id(self, document: str, local: str | None) -> str:
        if local is not None and (document, local) in self.by_document:
            return self.by_document[(document, local)]
        return self.unique(slugify(local or "section", "-"))


def render_pack(pack: Pack) -> RenderedPack:
    """Render every document; raise PackError naming a document that cannot be rendered."""
    return assemble(pack, [render_draft(d.path, d.text) for d in pack.documents])


def assemble(
    pack: Pack,
    drafts: Sequence[DocumentDraft],
    given_out: Mapping[int, RenderedDocument] | None = None,
) -> RenderedPack:
    """Join documents rendered one by one (render_draft) into the pack: pack-wide ids, links.

    Only fills the drafts' slots: no HTML is parsed here. Raises PackError naming every
    document whose draft carries a problem. ``given_out``: documents already shown while
    the pack was prepared (render.pack_prefix); where one has the same HTML, its string is
    kept rather than a second copy of it.
    """
    errors = [
        Diagnostic(str(pack.root / d.path), d.problem, line=d.line)
        for d in drafts
        if d.problem is not None
    ]
    if errors:
        raise PackError(errors)

    registry = _IdRegistry()
    for draft in drafts:
        registry.reserve(draft.path, draft.heading_ids)
    single = len(drafts) == 1
    root_titles: dict[str, str] = {}
    title_ids: dict[str, str] = {}
    for draft in drafts:
        path = draft.path
        stem = isolate_bidi_controls(PurePosixPath(path).stem)
        root_titles[path] = pack.title if single else stem
        leading = draft.leading_h1
        if leading is not None and (path, leading) in registry.by_document:
            title_ids[path] = registry.by_document[(path, leading)]
        else:
            title_ids[path] = registry.unique(slugify(root_titles[path], "-"))

    sections: list[Section] = []
    documents: list[RenderedDocument] = []
    problems: list[Diagnostic] = []
    for index, draft in enumerate(drafts):
        path = draft.path
        shown = str(pack.root / path)
        ids: list[str] = []
        for local in draft.sections:
            if local.kind == HEADING:
                ids.append(registry.heading_id(path, local.local_id))
            else:
                ids.append(title_ids[path])
        for local, section_id in zip(draft.sections, ids, strict=True):
            title = local.title or (root_titles[path] if local.kind == ROOT else section_id)
            parent = ids[local.parent] if local.parent >= 0 else None
            sections.append(Section(section_id, title, local.level, parent, index, local.spans))
        links: list[str] = []
        missing: list[str] = []
        remote: list[str] = []
        html_text = _fill(
            draft,
            ids,
            _link_resolver(path, registry, title_ids, links),
            _image_resolver(pack, path, missing, remote),
        )
        early = given_out.get(index) if given_out else None
        if early is not None and early.html == html_text:
            html_text = early.html
        marks = tuple(_mark(draft, ids, m) for m in draft.marks)
        notes = tuple(ids[n.section] + n.suffix for n in draft.notes)
        documents.append(
            RenderedDocument(
                path,
                title_ids[path],
                html_text,
                draft.text,
                marks,
                notes,
                tuple(message for message, _line in draft.warnings),
            )
        )
        problems.extend(
            Diagnostic(shown, message, "warning", line) for message, line in draft.warnings
        )
        problems.extend(Diagnostic(shown, message) for message in links)
        problems.extend(Diagnostic(shown, f"image not found in the pack: {s}") for s in missing)
        problems.extend(
            Diagnostic(shown, f"remote image shown as its alt text: {s}", "warning") for s in remote
        )

    return RenderedPack(
        root=pack.root,
        title=pack.title,
        version=pack.version,
        language=pack.language,
        fingerprint=pack.fingerprint,
        sections=tuple(sections),
        documents=tuple(documents),
        warnings=pack.warnings,
        diagnostics=tuple(problems),
        note=pack.note,
    )


def _mark(draft: DocumentDraft, ids: list[str], mark: SectionSlot) -> Mark:
    section_id = ids[mark.section]
    if not mark.suffix and draft.sections[mark.section].kind == ROOT:
        return Mark(None, section_id)  # the document's top, before any heading
    return Mark(section_id + mark.suffix, section_id)


def _fill(
    draft: DocumentDraft,
    ids: list[str],
    resolve_link: Callable[[str], str | None],
    resolve_image: Callable[[str], str | None],
) -> str:
    """The document's HTML: its pieces with every slot filled (see render.scan)."""
    pieces = draft.pieces
    out = [pieces[0]]
    kept: dict[int, bool] = {}  # link slot -> whether its <a> stays
    for number, slot in enumerate(draft.slots):
        if isinstance(slot, SectionSlot):
            out.append(html.escape(ids[slot.section] + slot.suffix, quote=True))
        elif isinstance(slot, LinkSlot):
            target = resolve_link(slot.href)
            kept[number] = target is not None
            if target is not None:
                out.append(f"{slot.before}{html.escape(target, quote=True)}{slot.after}")
            # Refused or broken: the words stay as plain text, with nothing to click.
        elif isinstance(slot, LinkEnd):
            if kept.get(slot.link, False):
                out.append("</a>")
        else:
            src = resolve_image(slot.src)
            if src is None:
                out.append(slot.alt_html)  # never fetched: the alt text stands in
            else:
                out.append(f"{slot.before}{html.escape(src, quote=True)}{slot.after}")
        out.append(pieces[number + 1])
    return "".join(out)


def _split_target(base_document: str, href: str) -> tuple[str, str]:
    path_part, _, fragment = href.partition("#")
    if not path_part:
        return base_document, unquote(fragment)
    joined = posixpath.join(posixpath.dirname(base_document), unquote(path_part))
    return posixpath.normpath(joined), unquote(fragment)


def _link_resolver(
    document: str, registry: _IdRegistry, title_ids: dict[str, str], problems: list[str]
) -> Callable[[str], str | None]:
    """Links to a pack's own documents and headings become ``#id``; https: and mailto: stay.

    Everything else is refused, so no local path (a .desktop file, /usr/bin/xterm,
    ../../etc/passwd) ever reaches the desktop's opener. Each refusal is reported.
    """

    def resolve(href: str) -> str | None:
        lowered = href.strip().lower()
        if lowered.startswith(LEAVING_SCHEMES):
            return href
        if lowered.startswith("//") or ":" in lowered.split("/", 1)[0].split("#", 1)[0]:
            problems.append(
                f"link refused: {href} (only https: and mailto: links leave the reader)"
            )
            return None
        target, fragment = _split_target(document, href)
        # A bare "#fragment" targets this document, which is always in title_ids.
        if target not in title_ids:
            if (
                href.startswith("/")
                or target.startswith("..")
                or not target.endswith(_DOCUMENT_SUFFIXES)
            ):
                problems.append(
                    f"link refused: {href} (a link inside the pack must point at one of its"
                    " documents)"
                )
            else:
                problems.append(f"link target not found: {href}")
            return None
        if not fragment:
            return f"#{title_ids[target]}"
        found = registry.by_document.get((target, fragment))
        if not found:
            problems.append(f"link target not found: {href}")
        return f"#{found}" if found else None

    return resolve


def _image_resolver(
    pack: Pack, document: str, missing: list[str], remote: list[str]
) -> Callable[[str], str | None]:
    def resolve(src: str) -> str | None:
        if src.startswith("//") or ":" in src.split("/", 1)[0]:
            remote.append(src)
            return None  # by design: shown as its alt text, never fetched
        if not src:
            missing.append("(empty src)")
            return None
        target, _ = _split_target(document, src.partition("?")[0])
        real = pack.resolve_inside(target)
        if real is None or not real.is_file():
            missing.append(src)
            return None
        return target

    return resolve
