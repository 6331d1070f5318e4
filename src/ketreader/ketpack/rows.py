"""Storage room: a compiled pack's outline and document rows checked as a build writes them.

Shared by the pack file (read.py) and its start record (start.py); no SQLite here, so the
start record is read without importing it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.render.allowlist import ANY_ATTRIBUTE, TAGS
from ketreader.render.model import RenderedDocument, Section, document_from_row

# Row hashes are checksums an author can recompute (format.py), so a crafted file may hold
# HTML that no build writes. These bounds are what a build guarantees (render/bounds.py,
# render/scan.py), with room to spare; past them Qt's layout takes minutes (issue 11).
_MAX_DEPTH = 256  # open tags inside each other; lists and quotes nest at most 64 levels
_MAX_TABLE_DEPTH = 4  # render/scan.py flattens deeper tables
_LONG_RUN = 8000  # characters without a space or a tag; words are cut at 1,000
_SPACED_TAGS = str.maketrans({"<": " ", ">": " "})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_VOID = _VOID | {t.upper() for t in _VOID}
_TABLE = frozenset({"table", "TABLE"})
# Any "<" that Qt's HTML parser may take for a tag (it skips spaces after "<"), with its
# attributes; a quoted value may hold "<" and ">", as it may for Qt.
_ANY_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_ATTRIBUTE = re.compile(r"([^\s=/\"'<>]+)\s*=")


def pack_error(path: Path, message: str) -> PackError:
    return PackError([Diagnostic(str(path), message)])


def checked_document(path: Path, index: int, row: Any) -> RenderedDocument:
    """Document ``index`` from its row, as a build writes it; PackError naming ``path`` else."""
    what = f"document {index + 1}"
    try:
        document = document_from_row(row)
        if not (type(document.html) is str and type(document.text) is str):
            raise TypeError("its text is not text")
    except (TypeError, ValueError) as exc:
        raise pack_error(path, f"damaged: {what} cannot be read ({exc})") from None
    beyond = html_beyond_bounds(document.html)
    if beyond:
        raise pack_error(path, f"damaged: {what} holds {beyond}")
    return document


def outline_sections(rows: Any, documents: int) -> tuple[Section, ...]:
    """The outline's rows as sections; ValueError or TypeError for a row no build writes."""
    if type(rows) is not list:
        raise ValueError("not a list")
    seen: set[str] = set()
    sections: list[Section] = []
    # Plain type checks in one loop: this runs for every section before the first paint.
    for row in rows:
        id_, title, level, parent, document, spans = row
        if not (
            type(id_) is str
            and type(title) is str
            and type(level) is int
            and 0 < level < 7
            and (parent is None or parent in seen)
            and type(document) is int
            and 0 <= document < documents
            and type(spans) is list
            # JSON numbers: a float makes the sum a float; any other type raises TypeError.
            and type(sum(spans, 0)) is int
        ):
            raise ValueError(f"section {len(sections) + 1} is malformed")
        seen.add(id_)
        sections.append(Section(id_, title, level, parent, document, tuple(spans)))
    return tuple(sections)


def markup_no_build_writes(html: str) -> str | None:
    """The first tag or attribute in ``html`` that the sanitizer never lets through, if any.

    A forged row could otherwise bring a stylesheet, a background image or a linked sheet,
    which Qt loads from the disk by itself, whatever the view's resource loader says.
    """
    tags = _ANY_TAG.findall(html)  # in C: this runs on every document shown
    for name in {name.lower() for name, _ in tags} - TAGS:
        return f"markup no build writes (a <{name}> tag)"
    # Each tag's quoted values go before its attribute names are read, tag by tag.
    inside = "\n".join(_QUOTED.sub('""', rest) for _, rest in tags if "=" in rest)
    for attribute in {a.lower() for a in _ATTRIBUTE.findall(inside)} - ANY_ATTRIBUTE:
        return f"markup no build writes (a {attribute} attribute)"
    return None


def html_beyond_bounds(html: str) -> str | None:
    """Why ``html`` cannot be shown: markup no build writes, or a shape that would hold the
    view for long (None when neither)."""
    # Split in C, linear: a regular expression for a long run backtracks through every
    # start inside every word just short of it (minutes for 8 MB of such words).
    if max(map(len, html.translate(_SPACED_TAGS).split()), default=0) > _LONG_RUN:
        return "a word too long to lay out"
    forged = markup_no_build_writes(html)
    if forged:
        return forged
    if html.count("<") <= _MAX_TABLE_DEPTH:
        return None
    depth = tables = 0
    # findall and plain tuples: this runs on every document shown (about 1 ms for 28 KB).
    for closing, tag, self_closing in _TAG.findall(html):
        if self_closing:
            continue
        if closing:
            if depth:
                depth -= 1
            if tables and tag in _TABLE:
                tables -= 1
        elif tag not in _VOID:
            depth += 1
            if tag in _TABLE:
                tables += 1
                if tables > _MAX_TABLE_DEPTH:
                    return "tags nested too deep to lay out"
            if depth > _MAX_DEPTH:
                return "tags nested too deep to lay out"
    return None
