"""Render room: a loaded pack to a RenderedPack with pack-wide unique section ids."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from urllib.parse import unquote

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import Pack
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.markdown_html import DocumentHtml, slugify
from ketreader.render.model import RenderedDocument, RenderedPack, Section
from ketreader.render.walker import SectionWalker

# The only links that may leave the reader (after the user confirms, where allowed).
LEAVING_SCHEMES = ("https:", "mailto:")
_DOCUMENT_SUFFIXES = (".md", ".markdown")
# nh3 normalizes its output, so a leading title heading always reads exactly like this.
_LEADING_H1 = re.compile(r'\s*<h1 id="([^"]*)"')


class _IdRegistry:
    """Hands out ids unique across the pack, keeping each document's toc ids when it can."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self.by_document: dict[tuple[str, str], str] = {}

    def reserve(self, document: str, local_ids: tuple[str, ...]) -> None:
        for local in local_ids:
            self.by_document[(document, local)] = self.unique(local)

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return candidate

    def heading_id(self, document: str, local: str | None) -> str:
        if local is not None and (document, local) in self.by_document:
            return self.by_document[(document, local)]
        return self.unique(slugify(local or "section", "-"))


def render_pack(pack: Pack) -> RenderedPack:
    """Render every document; raise PackError naming a document that cannot be rendered."""
    return assemble(pack, [render_draft(d.path, d.text) for d in pack.documents])


def assemble(pack: Pack, drafts: Sequence[DocumentDraft]) -> RenderedPack:
    """Join documents rendered one by one (render_draft) into the pack: pack-wide ids, links.

    Raises PackError naming every document whose draft carries a problem.
    """
    errors = [
        Diagnostic(str(pack.root / d.path), d.problem, line=d.line)
        for d in drafts
        if d.problem is not None
    ]
    if errors:
        raise PackError(errors)
    converted = [DocumentHtml(d.html, d.heading_ids) for d in drafts]

    registry = _IdRegistry()
    for document, doc_html in zip(pack.documents, converted, strict=True):
        registry.reserve(document.path, doc_html.heading_ids)
    single = len(pack.documents) == 1
    root_titles: dict[str, str] = {}
    title_ids: dict[str, str] = {}
    for document, doc_html in zip(pack.documents, converted, strict=True):
        root_titles[document.path] = pack.title if single else PurePosixPath(document.path).stem
        leading = _LEADING_H1.match(doc_html.html)
        if leading and (document.path, leading.group(1)) in registry.by_document:
            title_ids[document.path] = registry.by_document[(document.path, leading.group(1))]
        else:
            title_ids[document.path] = registry.unique(slugify(root_titles[document.path], "-"))

    sections: list[Section] = []
    documents: list[RenderedDocument] = []
    problems: list[Diagnostic] = []
    for index, (document, doc_html) in enumerate(zip(pack.documents, converted, strict=True)):
        path = document.path
        missing: list[str] = []
        remote: list[str] = []
        links: list[str] = []
        walker = SectionWalker(
            heading_id=lambda local, _path=path: registry.heading_id(_path, local),  # type: ignore[misc]
            root_id=title_ids[path],
            root_title=root_titles[path],
            resolve_link=_link_resolver(path, registry, title_ids, links),
            resolve_image=_image_resolver(pack, path, missing, remote),
        )
        walker.feed(doc_html.html)
        html_text, plain = walker.finish()
        documents.append(
            RenderedDocument(
                path, title_ids[path], html_text, plain, tuple(walker.marks), tuple(walker.notes)
            )
        )
        sections.extend(
            Section(d.id, d.title, d.level, d.parent, index, "".join(d.html), "\n".join(d.text))
            for d in walker.sections
        )
        shown = str(pack.root / path)
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
        if target not in title_ids:
            if (
                href.startswith("/")
                or target.startswith("..")
                or not (target.endswith(_DOCUMENT_SUFFIXES) or href.startswith("#"))
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
