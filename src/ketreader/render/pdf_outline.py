"""Render room: a PDF outline (bookmarks) added to a finished PDF by an incremental update; no Qt.

Qt's PDF writer has no outline API (https://doc.qt.io/qt-6/qpdfwriter-members.html), but it
writes a named destination for every anchor it paints and links internal hrefs to them.
The outline is added afterwards, as ISO 32000-1 allows any writer to do: new objects and a
new catalog are appended after the original file with a cross-reference section of their
own whose trailer points back at the original one (§7.5.6, "Incremental Updates"). Each
outline item (§12.3.3) goes to a named destination (§12.3.2.3) that Qt wrote.
See https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Sequence
from typing import NamedTuple


class OutlineEntry(NamedTuple):
    """One bookmark: its title, its depth (1 = top), and the anchor it goes to."""

    title: str
    level: int
    anchor: str


class PdfStructureError(ValueError):
    """The PDF is not laid out as Qt writes it: a classic cross-reference table."""


def text_string(text: str) -> bytes:
    """A PDF text string in UTF-16BE with a byte order mark, written in hex (§7.9.2.2)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


PdfBytes = bytes | mmap.mmap  # a finished PDF, read whole or mapped

_TAIL = 4096  # "startxref", its offset and "%%EOF" are the file's last bytes


def _last_trailer(pdf: PdfBytes) -> tuple[int, bytes]:
    """The offset of the last cross-reference section, and the trailer dictionary after it."""
    # Only the end is searched: a search of a long PDF's every byte takes a while.
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf[-_TAIL:])
    if found is None:
        raise PdfStructureError("no startxref at the end of the file")
    start = int(found.group(1))
    if pdf[start : start + 4] != b"xref":
        raise PdfStructureError("the cross-reference section is not a table")
    trailer = pdf.find(b"trailer", start)
    end = pdf.find(b"startxref", trailer)
    if trailer < 0 or end < 0:
        raise PdfStructureError("no trailer dictionary")
    return start, pdf[trailer + len(b"trailer") : end]


def _reference(dictionary: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", dictionary)
    return int(found.group(1)) if found else None


def _object_body(pdf: PdfBytes, number: int) -> bytes:
    """The dictionary of object ``number`` (the last definition in the file wins)."""
    # The last "N 0 obj" at the start of a line: found from the end, byte by byte rather
    # than by a regular expression, which takes seconds on a PDF of 100 MB.
    needle = str(number).encode() + b" 0 obj"
    at = len(pdf)
    while True:
        at = pdf.rfind(needle, 0, at)
        if at < 0:
            raise PdfStructureError(f"object {number} not found")
        if at == 0 or pdf[at - 1 : at] in (b"\r", b"\n"):
            break
    begin = at + len(needle)
    end = pdf.find(b"endobj", begin)
    body = pdf[begin:end].strip()
    if not (body.startswith(b"<<") and body.endswith(b">>")):
        raise PdfStructureError(f"object {number} is not a dictionary")
    return body


def add_outline(pdf: bytes, entries: Sequence[OutlineEntry]) -> bytes:
    """``pdf`` with an outline of ``entries`` (in reading order), shown when it opens."""
    return pdf + outline_update(pdf, entries)


def outline_update(pdf: PdfBytes, entries: Sequence[OutlineEntry]) -> bytes:
    """What ``add_outline`` appends to ``pdf``: a long PDF need not be copied or rewritten.

    ``pdf`` may be a memory map of the file: only its end and its catalog are read.
    """
    if not entries:
        return b""
    previous_xref, trailer = _last_trailer(pdf)
    size_match = re.search(rb"/Size\s+(\d+)", trailer)
    root = _reference(trailer, b"Root")
    if size_match is None or root is None:
        raise PdfStructureError("the trailer names no /Size or /Root")
    size = int(size_match.group(1))
    catalog = _object_body(pdf, root)
    if b"/Outlines" in catalog:
        raise PdfStructureError("the PDF already has an outline")

    outlines = size  # the outline dictionary, then one object per entry
    numbers = [size + 1 + i for i in range(len(entries))]
    parents: list[int] = []
    children: dict[int, list[int]] = {outlines: []}
    stack: list[tuple[int, int]] = []  # (level, object number) of the open ancestors
    for entry, number in zip(entries, numbers, strict=True):
        while stack and stack[-1][0] >= entry.level:
            stack.pop()
        parent = stack[-1][1] if stack else outlines
        parents.append(parent)
        children.setdefault(parent, []).append(number)
        children[number] = []
        stack.append((entry.level, number))

    opened = {outlines} | {n for e, n in zip(entries, numbers, strict=True) if e.level <= 1}

    def visible(number: int) -> int:
        """Items shown under ``number`` when it is open (§12.3.3, Table 153, Count)."""
        return sum(1 + (visible(c) if c in opened else 0) for c in children[number])

    objects: dict[int, bytes] = {}
    top = children[outlines]
    objects[outlines] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        top[0],
        top[-1],
        visible(outlines),
    )
    for entry, number, parent in zip(entries, numbers, parents, strict=True):
        siblings = children[parent]
        at = siblings.index(number)
        parts = [
            b"<< /Title " + text_string(entry.title),
            b"/Parent %d 0 R" % parent,
            b"/Dest " + text_string(entry.anchor),  # Qt names its destinations in UTF-16
        ]
        if at > 0:
            parts.append(b"/Prev %d 0 R" % siblings[at - 1])
        if at + 1 < len(siblings):
            parts.append(b"/Next %d 0 R" % siblings[at + 1])
        if children[number]:
            kids = children[number]
            # The top level opens on its sections; deeper items start closed (negative).
            count = visible(number) if number in opened else -len(kids)
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (kids[0], kids[-1], count))
        objects[number] = b"\n".join(parts) + b" >>"
    objects[root] = catalog[:-2].rstrip() + b"\n/Outlines %d 0 R\n/PageMode /UseOutlines\n>>" % (
        outlines
    )

    base = len(pdf)
    out = bytearray(b"" if pdf[-1:] == b"\n" else b"\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = base + len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = base + len(out)
    out += b"xref\n"
    for number in sorted(offsets):  # one subsection per object: simple and always valid
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    new_size = max(size, max(offsets) + 1)
    kept = b"".join(
        b"\n/" + key + b" " + value
        for key, value in re.findall(rb"/(Info|ID)\s+(\d+\s+0\s+R|\[[^\]]*\])", trailer)
    )
    out += b"trailer\n<<\n/Size %d\n/Root %d 0 R%s\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (
        new_size,
        root,
        kept,
        previous_xref,
        xref,
    )
    return bytes(out)
