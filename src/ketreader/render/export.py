"""Render room: a whole pack as one standalone HTML page, as text, or as a printable body; no Qt."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Protocol

from ketreader.render.model import RenderedDocument, RenderedPack, Section
from ketreader.render.pdf_outline import OutlineEntry
from ketreader.render.stylesheet import export_css

Resources = Callable[[str], bytes | None]

_IMAGE_TYPES = (  # what a browser shows from a data: URI, told by the file's first bytes
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")', re.IGNORECASE)
_LINK = re.compile(r'<a\b[^>]*?\shref="#([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)


class PrintSource(Protocol):
    """What printing reads of a pack: a RenderedPack, or a library read a document at a time."""

    @property
    def title(self) -> str: ...
    @property
    def sections(self) -> tuple[Section, ...]: ...
    @property
    def documents(self) -> Sequence[RenderedDocument]: ...
    def section(self, section_id: str) -> Section | None: ...


class Printable(NamedTuple):
    """What a print or a PDF shows: the body, its title, its notes and its outline."""

    html: str
    title: str
    notes: tuple[str, ...]  # ids of the safety notes in the body, to frame
    outline: tuple[OutlineEntry, ...]
    # Where each pack document's part of ``html`` begins: a long printout is laid out in
    # parts, and a part ends at a document's end where it can.
    starts: tuple[int, ...] = ()


def export_text(pack: RenderedPack) -> str:
    return pack.text.rstrip("\n") + "\n"


def _image_type(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _IMAGE_TYPES if data.startswith(magic)), None)


def _no_resources(_path: str) -> bytes | None:
    return None


def embed_images(body: str, resources: Resources) -> str:
    """Every pack image as a data: URI, so the page needs no files beside it."""

    def embed(match: re.Match[str]) -> str:
        data = resources(html.unescape(match.group(2)))
        kind = _image_type(data) if data else None
        if data is None or kind is None:
            return match.group(0)  # not an image a browser shows: its alt text stands in
        uri = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
        return match.group(1) + uri + match.group(3)

    return _IMG_SRC.sub(embed, body)


def _anchor_of(pack: PrintSource, section: Section) -> str:
    """The anchor where ``section`` starts: its heading's id."""
    document = pack.documents[section.document]
    return next(
        (m.anchor for m in document.marks if m.section_id == section.id and m.anchor),
        section.id,
    )


def _contents(pack: RenderedPack, sections: Iterable[Section]) -> str:
    """A nested list of links to ``sections``, in reading order."""
    out: list[str] = []
    depth = 0
    levels: list[int] = []
    for section in sections:
        while levels and levels[-1] > section.level:
            levels.pop()
            out.append("</li></ul>")
            depth -= 1
        if levels and levels[-1] == section.level:
            out.append("</li>")
        else:
            levels.append(section.level)
            out.append("<ul>")
            depth += 1
        anchor = html.escape(_anchor_of(pack, section), quote=True)
        out.append(f'<li><a href="#{anchor}">{html.escape(section.title)}</a>')
    out.append("</li></ul>" * depth)
    return "".join(out)


def export_html(
    pack: RenderedPack, resources: Resources | None = None, theme: str = "light"
) -> str:
    """One self-contained page: the reader's type, a table of contents, images embedded.

    Without ``resources`` the images cannot be read, and their alt text stands in.
    """
    title = html.escape(pack.title)
    lang = html.escape(pack.language or "en", quote=True)
    body = "\n".join(
        f'<article data-document="{html.escape(d.path, quote=True)}">\n'
        f"{embed_images(d.html, resources or _no_resources)}\n</article>"
        for d in pack.documents
    )
    contents = _contents(pack, pack.sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Offline and inert by construction: no scripts, no remote loads.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{export_css(theme)}</style>\n</head>\n<body>\n"
        f'<nav class="toc" aria-label="Contents">\n<p><strong>Contents</strong></p>\n'
        f"{contents}\n</nav>\n{body}\n</body>\n</html>\n"
    )


# -- print and PDF -------------------------------------------------------------------------


def _tag_start(document_html: str, anchor: str | None) -> int:
    """Where the element with id ``anchor`` starts in the HTML; 0 for the document's top."""
    if anchor is None:
        return 0
    found = re.search(r'\sid="' + re.escape(html.escape(anchor, quote=True)) + '"', document_html)
    if found is None:
        return -1
    return document_html.rfind("<", 0, found.start())


def _outline(pack: PrintSource, sections: list[Section]) -> tuple[OutlineEntry, ...]:
    top = min((s.level for s in sections), default=1)
    return tuple(OutlineEntry(s.title, s.level - top + 1, _anchor_of(pack, s)) for s in sections)


def _ancestors(pack: PrintSource, section_id: str) -> set[str]:
    found: set[str] = set()
    section = pack.section(section_id)
    while section is not None and section.parent is not None:
        found.add(section.parent)
        section = pack.section(section.parent)
    return found


def _runs(document: RenderedDocument, wanted: set[str], closing: set[str]) -> list[str]:
    """The HTML of the runs of ``document`` whose sections are wanted.

    A run is the stretch from one mark (a heading, or a parent's text resuming after its
    subsections) to the next. Runs of ``closing`` sections count too when they follow a
    wanted run directly and nothing else follows them: the text that closes the guide.
    """
    html_text = document.html
    marks = [(m, _tag_start(html_text, m.anchor)) for m in document.marks]
    marks = [(m, at) for m, at in marks if at >= 0]
    pieces: list[str] = []
    previous = False
    for i, (mark, start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else len(html_text)
        rest = [m.section_id for m, _ in marks[i:]]
        previous = mark.section_id in wanted or (
            previous and all(section in closing for section in rest)
        )
        if previous:
            pieces.append(html_text[start:end])
    return pieces


def printable(pack: PrintSource, section_id: str | None = None) -> Printable:
    """The whole pack, or one section with its subsections, ready to lay out on pages.

    A section that reaches the end of the guide brings the guide's closing text with it
    (its safety note): whoever prints the last section prints how the guide ends.
    """
    chosen = pack.section(section_id) if section_id is not None else None
    if chosen is None:
        return Printable(
            "".join(d.html for d in pack.documents),
            pack.title,
            tuple(n for d in pack.documents for n in d.notes),
            _outline(pack, list(pack.sections)),
            _starts(len(d.html) for d in pack.documents),
        )
    wanted = {chosen.id}
    for section in pack.sections:  # reading order: a parent always comes before its children
        if section.parent in wanted:
            wanted.add(section.id)
    closing = _ancestors(pack, chosen.id)
    last = len(pack.documents) - 1
    # Only the documents that hold the sections (and the last, which may close the guide)
    # are read: a library reads each one from its file.
    holding = sorted({s.document for s in pack.sections if s.id in wanted} | {last})
    chosen_documents = [pack.documents[index] for index in holding]
    parts = [
        "".join(_runs(document, wanted, closing if index == last else set()))
        for index, document in zip(holding, chosen_documents, strict=True)
    ]
    anchors = set(re.findall(r'\sid="([^"]*)"', "".join(parts)))
    parts = [  # a link to a section left out would lead nowhere: keep its words
        _LINK.sub(
            lambda m: m.group(0) if m.group(1) in anchors else m.group(2),  # both as written
            part,
        )
        for part in parts
    ]
    body = "".join(parts)
    notes = tuple(n for d in chosen_documents for n in d.notes if f' id="{n}"' in body)
    sections = [s for s in pack.sections if s.id in wanted]
    title = f"{pack.title} — {chosen.title}"
    return Printable(body, title, notes, _outline(pack, sections), _starts(map(len, parts)))


def _starts(lengths: Iterable[int]) -> tuple[int, ...]:
    """The offsets where pieces of ``lengths`` begin, one for each piece that is not empty."""
    found: list[int] = []
    at = 0
    for length in lengths:
        if length:
            found.append(at)
        at += length
    return tuple(found)


def printable_html(pack: RenderedPack, section_id: str | None = None) -> tuple[str, str]:
    """Body HTML and title for printing (see ``printable``)."""
    result = printable(pack, section_id)
    return result.html, result.title
