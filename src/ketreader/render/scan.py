"""Render room: one pass over a document's sanitized HTML: sections, plain text and slots.

The pass runs where the document is rendered (a worker process), and records everything
that does not depend on the rest of the pack: the sections with their local heading ids, the
plain text (each section a run of it), the scroll-spy marks and the safety notes. What does
depend on the pack (section ids unique across it, link targets, image files) is left as
*slots* between literal pieces of the HTML, so joining the pack fills them without parsing
anything again (see pack_render.assemble).

nh3 serializes a tree it parsed itself, so its output is well nested, every attribute value
is double-quoted with ``&``, ``"``, ``<`` and ``>`` escaped, and ``<`` in text is always
``&lt;``: a tag is exactly ``<`` up to the next ``>``, and one regular expression tokenizes
it (at a fraction of html.parser's cost).
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from ketreader.render.markdown_html import SAFETY_NOTE_CLASS, SECTION_END_CLASS
from ketreader.textsafe import isolate_bidi_controls

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_ATTRIBUTE = re.compile(r'\s([^\s=]+)="([^"]*)"')
_HREF = re.compile(r'\shref="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
_VOID = {"br", "hr", "img"}
_HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p", "li", "pre", "blockquote", "tr", "dt", "dd", "caption", "div", "table", "ul", "ol",
    "hr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
_CELLS = {"td", "th"}
# A list start Qt and Python both read as a plain number; anything else counts from 1.
_MAX_START_DIGITS = 9
# What Qt's rich text lays out slowly, capped so that any document paints in well under a
# second (measured with QTextBrowser, offscreen): each level of tables in tables doubles the
# layout time (20 levels take minutes); a word with no break costs the square of its length
# (50,000 characters, a second); and every id costs in proportion to the ids before it
# (10,000 headings, 20 s). Real documents stay far below each cap.
MAX_TABLE_DEPTH = 4
MAX_WORD = 1000
MAX_ANCHORS = 1000
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")

# Section kinds: the document top before any heading, its leading level-1 heading (both
# take the document's title id), and any other heading.
ROOT, TITLE, HEADING = 0, 1, 2


class SectionSlot(NamedTuple):
    """The id of section ``section`` (pack-wide, known only when joining) plus ``suffix``."""

    section: int
    suffix: str = ""


class LinkSlot(NamedTuple):
    """An ``<a href>`` start tag: kept with its href rewritten, or dropped when refused."""

    before: str  # the tag up to the href value
    href: str  # unescaped
    after: str  # the rest of the tag


class LinkEnd(NamedTuple):
    """The ``</a>`` of the link in slot ``link``: dropped with it, so its text stays plain."""

    link: int


class ImageSlot(NamedTuple):
    """An ``<img>``: kept with its src rewritten, or replaced by its alt text."""

    before: str
    src: str  # unescaped
    after: str
    alt_html: str  # the alt text escaped as text


Slot = SectionSlot | LinkSlot | LinkEnd | ImageSlot


class DraftSection(NamedTuple):
    """A section as one document sees it; ``spans`` are offsets into the document's text."""

    kind: int  # ROOT, TITLE or HEADING
    level: int
    parent: int  # index of the parent section in the same document, -1 for none
    title: str  # "" when the heading has no text: its id stands in
    local_id: str | None  # the heading's id attribute (the toc extension's), if any
    spans: tuple[int, ...]  # start, end, start, end, ...


class Scan(NamedTuple):
    """A document's HTML as literal pieces around slots, and what it holds."""

    pieces: tuple[str, ...]  # len(pieces) == len(slots) + 1
    slots: tuple[Slot, ...]
    text: str
    sections: tuple[DraftSection, ...]
    marks: tuple[SectionSlot, ...]  # suffix "" for a heading, "--resume-N" for a resumed run
    notes: tuple[SectionSlot, ...]
    leading_h1: str | None  # local id of a level-1 heading that opens the document
    warnings: tuple[str, ...]  # what was capped, for ``check`` and the window


class _Open:
    __slots__ = ("index", "level")

    def __init__(self, index: int, level: int) -> None:
        self.index = index
        self.level = level


def scan(source: str) -> Scan:
    """Walk nh3's output of one document once; see the module docstring."""
    return _Scanner(source).run()


class _Scanner:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[str] = []
        self.current: list[str] = []  # literal HTML since the last slot
        self.copied = 0  # source offset up to which the HTML has been taken
        self.slots: list[Slot] = []
        # Per section: kind, level, parent, title, local id; chunks are (text, item, owner).
        self.sections: list[list[object]] = []
        self.chunks: list[tuple[str, bool, int]] = []
        self.open: list[_Open] = []
        self.marks: list[SectionSlot] = []
        self.notes: list[SectionSlot] = []
        self.notes_seen = 0
        self.resumes = 0
        self.block: list[str] = []
        self.heading: int | None = None
        self.title_parts: list[str] = []
        self.pre_depth = 0
        self.lists: list[list[int]] = []
        self.prefix = ""
        self.links: list[int] = []  # per open <a>: its slot, or -1 when kept as it is
        self.leading_h1: str | None = None
        self.position = 0  # where the text being handled starts in the source
        self.tables = 0  # open tables
        self.anchors = 0  # ids given out
        self.warnings: dict[str, None] = {}

    # -- output ----------------------------------------------------------------------------

    def replace(self, start: int, end: int, literal: str) -> None:
        """Source[start:end] becomes ``literal`` in the output."""
        self.current.append(self.source[self.copied : start])
        self.current.append(literal)
        self.copied = end

    def slot(self, start: int, end: int, slot: Slot, before: str = "", after: str = "") -> int:
        """Source[start:end] becomes ``before``, the slot, ``after``; returns the slot index."""
        self.current.append(self.source[self.copied : start])
        self.current.append(before)
        self.pieces.append("".join(self.current))
        self.current = [after]
        self.copied = end
        self.slots.append(slot)
        return len(self.slots) - 1

    # -- the walk --------------------------------------------------------------------------

    def run(self) -> Scan:
        source = self.source
        lead = _TAG.match(source, len(source) - len(source.lstrip()))
        if lead and lead.group(2) == "h1" and not lead.group(1):
            found = re.search(r'\sid="([^"]*)"', lead.group(3))
            self.leading_h1 = html.unescape(found.group(1)) if found else None
        position = 0
        for match in _TAG.finditer(source):
            if match.start() > position:
                self.position = position
                self.data(source[position : match.start()])
            position = match.end()
            closing, tag, attributes = match.groups()
            tag = tag.lower()
            if closing:
                self.end_tag(tag, match)
            else:
                self.start_tag(tag, attributes, match)
        if position < len(source):
            self.position = position
            self.data(source[position:])
        self.flush()
        self.ensure_section()
        self.current.append(source[self.copied :])
        self.pieces.append("".join(self.current))
        text, spans = self.text()
        sections = tuple(
            DraftSection(kind, level, parent, title, local, spans[i])  # type: ignore[arg-type]
            for i, (kind, level, parent, title, local) in enumerate(self.sections)
        )
        return Scan(
            tuple(self.pieces),
            tuple(self.slots),
            text,
            sections,
            tuple(self.marks),
            tuple(self.notes),
            self.leading_h1,
            tuple(self.warnings),
        )

    def text(self) -> tuple[str, list[tuple[int, ...]]]:
        """The document's plain text, and each section's runs of it as offsets."""
        parts: list[str] = []
        spans: list[list[int]] = [[] for _ in self.sections]
        offset = 0
        previous_item: bool | None = None
        previous_owner = -1
        for text, item, owner in self.chunks:
            if previous_item is not None:
                separator = "\n" if item and previous_item else "\n\n"
                parts.append(separator)
                offset += len(separator)
            parts.append(text)
            end = offset + len(text)
            if owner >= 0:
                runs = spans[owner]
                if owner == previous_owner:
                    runs[-1] = end  # the run goes on: the separator is part of it
                else:
                    runs.extend((offset, end))
            previous_owner = owner
            previous_item = item
            offset = end
        return "".join(parts), [tuple(s) for s in spans]

    def start_tag(self, tag: str, attributes: str, match: re.Match[str]) -> None:
        if tag in _TABLE_PARTS and self.flatten_table(tag, match, opening=True):
            return
        level = _HEADING_LEVELS.get(tag)
        if level is not None:
            if self.anchors < MAX_ANCHORS:
                self.start_heading(tag, level, attributes, match)
                return
            self.warn(f"more than {MAX_ANCHORS:,} headings: the rest are not listed as sections")
            self.replace(match.start(), match.end(), f"<{tag}>")
        if tag in _BLOCKS:
            self.flush()
        self.ensure_section()
        if tag == "img":
            self.image(match)
            return
        bad_start = False
        if tag == "a":
            self.link(match)
        elif tag == "ul":
            self.lists.append([])
        elif tag == "ol":
            bad_start = self.ordered_list(attributes)
        elif tag == "li":
            self.prefix = self.list_marker()
        elif tag == "pre":
            self.pre_depth += 1
        elif tag in _CELLS and self.block:
            self.block.append(" | ")
        if "class=" in attributes and self.classes(tag, attributes, match, bad_start):
            return
        if bad_start:
            # "²" is a digit to str.isdigit but not to int(); 5,000 digits overflow int()
            # and Qt: such a list counts from 1.
            tag_html = re.sub(r'\sstart="[^"]*"', "", match.group(0))
            self.replace(match.start(), match.end(), tag_html)

    def end_tag(self, tag: str, match: re.Match[str]) -> None:
        if tag in _VOID:
            return
        if tag in _TABLE_PARTS and self.flatten_table(tag, match, opening=False):
            return
        if tag in _HEADING_LEVELS and self.heading is not None:
            self.end_heading()
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        elif tag == "a" and self.links:
            link = self.links.pop()
            if link >= 0:
                self.slot(match.start(), match.end(), LinkEnd(link))

    def data(self, raw: str) -> None:
        data = html.unescape(raw) if "&" in raw else raw
        if len(data) > MAX_WORD and _LONG_WORD.search(data):
            data = _LONG_WORD.sub(self.cut_word, data)
            self.replace(self.position, self.position + len(raw), html.escape(data, quote=False))
        if self.heading is None:
            if not data.strip():
                self.block.append(data)
                return
            self.ensure_section()
        else:
            self.title_parts.append(data)
        self.block.append(data)

    # -- pieces ----------------------------------------------------------------------------

    def ensure_section(self) -> None:
        if not self.open:
            self.sections.append([ROOT, 1, -1, "", None])
            self.open.append(_Open(len(self.sections) - 1, 1))
            self.marks.append(SectionSlot(len(self.sections) - 1))

    def start_heading(self, tag: str, level: int, attributes: str, match: re.Match[str]) -> None:
        if self.heading is not None:
            self.end_heading()
        self.flush()
        while self.open and self.open[-1].level >= level:
            self.open.pop()
        if not self.open and level > 1:
            self.ensure_section()
        parent = self.open[-1].index if self.open else -1
        kind = TITLE if not self.sections and level == 1 else HEADING
        found = re.search(r'\sid="([^"]*)"', attributes)
        local = html.unescape(found.group(1)) if found else None
        index = len(self.sections)
        self.anchors += 1
        self.sections.append([kind, level, parent, "", local])
        self.open.append(_Open(index, level))
        self.marks.append(SectionSlot(index))
        self.heading = index
        self.title_parts = []
        self.slot(match.start(), match.end(), SectionSlot(index), f'<{tag} id="', '">')

    def end_heading(self) -> None:
        assert self.heading is not None
        title = " ".join("".join(self.title_parts).split())
        # Shown in the sidebar, search results and the window title: no override reaches out.
        self.sections[self.heading][3] = isolate_bidi_controls(title)
        self.block = []
        if title:
            self.chunks.append((title, False, -1))
        self.heading = None

    def classes(self, tag: str, attributes: str, match: re.Match[str], bad_start: bool) -> bool:
        """Resumed runs and safety notes get ids; False when the tag has neither class."""
        values = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(attributes)}
        classes = values.get("class", "").split()
        if SECTION_END_CLASS not in classes and SAFETY_NOTE_CLASS not in classes:
            return False
        if self.anchors >= MAX_ANCHORS:
            self.warn(f"more than {MAX_ANCHORS:,} headings and notes: the rest have no anchor")
            return False
        self.anchors += 1
        if bad_start:
            values.pop("start", None)
        suffix = ""
        if SECTION_END_CLASS in classes:
            if len(self.open) > 1:
                self.open.pop()
            self.resumes += 1
            suffix = f"--resume-{self.resumes}"
            self.marks.append(SectionSlot(self.open[-1].index, suffix))
            kept = [c for c in classes if c == SAFETY_NOTE_CLASS]
            if kept:
                values["class"] = " ".join(kept)
            else:
                values.pop("class", None)
        if SAFETY_NOTE_CLASS in classes:
            # The view frames notes (Qt rich text has no padding on paragraphs): it finds
            # them by id.
            if not suffix:
                self.notes_seen += 1
                suffix = f"--note-{self.notes_seen}"
            self.notes.append(SectionSlot(self.open[-1].index, suffix))
        rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in values.items())
        self.slot(
            match.start(),
            match.end(),
            SectionSlot(self.open[-1].index, suffix),
            f'<{tag}{rendered} id="',
            '">',
        )
        return True

    def ordered_list(self, attributes: str) -> bool:
        """Open a numbered list; True when its start attribute is unusable."""
        found = re.search(r'\sstart="([^"]*)"', attributes)
        start = found.group(1) if found else "1"
        if start.isascii() and start.isdigit() and len(start) <= _MAX_START_DIGITS:
            self.lists.append([int(start)])
            return False
        self.lists.append([1])
        return True

    def link(self, match: re.Match[str]) -> None:
        found = _HREF.search(match.group(0))
        if found is None:
            self.links.append(-1)  # no href (the sanitizer dropped it): nothing to resolve
            return
        tag = match.group(0)
        self.links.append(
            self.slot(
                match.start(),
                match.end(),
                LinkSlot(tag[: found.start(1)], html.unescape(found.group(1)), tag[found.end(1) :]),
            )
        )

    def image(self, match: re.Match[str]) -> None:
        tag = match.group(0)
        alt_found = _ALT.search(tag)
        alt = html.unescape(alt_found.group(1)) if alt_found else ""
        found = _SRC.search(tag)
        if found is None:
            slot = ImageSlot(tag[:-1] + ' src="', "", '">', html.escape(alt, quote=False))
        else:
            before, after = tag[: found.start(1)], tag[found.end(1) :]
            slot = ImageSlot(
                before, html.unescape(found.group(1)), after, html.escape(alt, quote=False)
            )
        self.slot(match.start(), match.end(), slot)
        if alt:
            if self.heading is not None:
                self.title_parts.append(alt)
            self.block.append(alt)

    def warn(self, message: str) -> None:
        self.warnings[message] = None

    def cut_word(self, match: re.Match[str]) -> str:
        self.warn(f"a word longer than {MAX_WORD:,} characters is shown cut short")
        word = match.group(0)
        return f"{word[:MAX_WORD]} … ({len(word) - MAX_WORD:,} more characters not shown)"

    def flatten_table(self, tag: str, match: re.Match[str], *, opening: bool) -> bool:
        """Drop the tags of tables nested deeper than MAX_TABLE_DEPTH; True when dropped."""
        if tag == "table" and opening:
            self.tables += 1
        deep = self.tables > MAX_TABLE_DEPTH
        if tag == "table" and not opening:
            self.tables = max(0, self.tables - 1)
        if not deep:
            return False
        self.warn(f"tables nested deeper than {MAX_TABLE_DEPTH} levels are shown flattened")
        if tag in _BLOCKS:
            self.flush()
        self.replace(match.start(), match.end(), " " if tag in _CELLS else "")
        return True

    def list_marker(self) -> str:
        if not self.lists or not self.lists[-1]:
            return "- "
        number = self.lists[-1][0]
        self.lists[-1][0] = number + 1
        return f"{number}. "

    def flush(self) -> None:
        if self.heading is not None:
            return
        raw = "".join(self.block)
        self.block = []
        text = raw.strip("\n") if self.pre_depth else " ".join(raw.split())
        if not text:
            return
        is_item = bool(self.prefix)
        text = self.prefix + text
        self.prefix = ""
        self.chunks.append((text, is_item, self.open[-1].index if self.open else -1))
