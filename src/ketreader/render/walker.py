"""Render room: one pass over sanitized HTML that splits it into sections and plain text."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ketreader.render.markdown_html import SAFETY_NOTE_CLASS, SECTION_END_CLASS
from ketreader.render.model import Mark

_VOID = {"br", "hr", "img"}
_HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p", "li", "pre", "blockquote", "tr", "dt", "dd", "caption", "div", "table", "ul", "ol",
    "hr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
_CELLS = {"td", "th"}

# A link target as the walker hands it back: the rewritten href, or None when it is broken.
LinkResolver = Callable[[str], str | None]
# An image source: the src to keep, or None to show the alt text instead.
ImageResolver = Callable[[str], str | None]


@dataclass
class SectionDraft:
    """A section while its HTML and text are still being collected."""

    id: str
    title: str
    level: int
    parent: str | None
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass
class _Chunk:
    text: str
    list_item: bool


class SectionWalker(HTMLParser):
    """Walks one document's sanitized HTML and re-serializes it, section by section.

    Re-serializing every token (rather than slicing the input) keeps escaping in one place
    and lets links, images and resume anchors be rewritten on the way through.
    """

    def __init__(
        self,
        *,
        heading_id: Callable[[str | None], str],
        root_id: str,
        root_title: str,
        resolve_link: LinkResolver,
        resolve_image: ImageResolver,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self._heading_id = heading_id
        self._root_id = root_id
        self._root_title = root_title
        self._resolve_link = resolve_link
        self._resolve_image = resolve_image
        self.sections: list[SectionDraft] = []
        self.marks: list[Mark] = []
        self.notes: list[str] = []  # ids of safety notes, in document order
        self._notes_seen = 0
        self._open: list[SectionDraft] = []
        self._html: list[str] = []
        self._chunks: list[_Chunk] = []
        self._block: list[str] = []
        self._heading: SectionDraft | None = None
        self._heading_tag = ""
        self._title_parts: list[str] = []
        self._pre_depth = 0
        self._lists: list[list[int]] = []  # per open list: [next number] or [] when unordered
        self._prefix = ""
        self._tag_stack: list[str] = []
        self._resumes = 0

    # -- results -------------------------------------------------------------------------

    def finish(self) -> tuple[str, str]:
        """Close the walk; return the document's HTML and plain text."""
        self.close()
        self._flush()
        self._ensure_section()
        while self._tag_stack:
            self._emit(f"</{self._tag_stack.pop()}>")
        parts: list[str] = []
        previous: _Chunk | None = None
        for chunk in self._chunks:
            if previous is not None:
                parts.append("\n" if chunk.list_item and previous.list_item else "\n\n")
            parts.append(chunk.text)
            previous = chunk
        return "".join(self._html), "".join(parts)

    # -- HTMLParser hooks ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        level = _HEADING_LEVELS.get(tag)
        if level is not None:
            self._start_heading(tag, level, attributes)
            return
        if tag in _BLOCKS:
            self._flush()
        self._ensure_section()
        classes = set(attributes.get("class", "").split())
        if SECTION_END_CLASS in classes:
            self._resume_parent(attributes)
        if SAFETY_NOTE_CLASS in classes:
            self._note(attributes)
        if tag == "img":
            self._image(attributes)
            return
        if tag == "a":
            self._link(attributes)
        elif tag in ("ul", "ol"):
            start = attributes.get("start", "1")
            self._lists.append([int(start) if start.isdigit() else 1] if tag == "ol" else [])
        elif tag == "li":
            self._prefix = self._list_marker()
        elif tag == "pre":
            self._pre_depth += 1
        elif tag in _CELLS and self._block:
            self._block.append(" | ")
        self._emit_start(tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in _HEADING_LEVELS and self._heading is not None:
            self._end_heading(tag)
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in self._tag_stack:
            self._close_tag(tag)

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if self._heading is None and data.strip():
            self._ensure_section()
        self._emit(html.escape(data, quote=False))
        if self._heading is not None:
            self._title_parts.append(data)
        self._block.append(data)

    # -- pieces ----------------------------------------------------------------------------

    def _emit(self, fragment: str) -> None:
        self._html.append(fragment)
        if self._open:
            self._open[-1].html.append(fragment)

    def _emit_start(self, tag: str, attributes: dict[str, str]) -> None:
        rendered = "".join(
            f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items()
        )
        self._emit(f"<{tag}{rendered}>")
        if tag not in _VOID:
            self._tag_stack.append(tag)

    def _ensure_section(self) -> None:
        if not self._open:
            draft = SectionDraft(self._root_id, self._root_title, 1, None)
            self.sections.append(draft)
            self._open.append(draft)
            self.marks.append(Mark(None, draft.id))

    def _start_heading(self, tag: str, level: int, attributes: dict[str, str]) -> None:
        if self._heading is not None:
            self._end_heading(self._heading_tag)
        self._flush()
        while self._open and self._open[-1].level >= level:
            self._open.pop()
        if not self._open and level > 1:
            self._ensure_section()
        parent = self._open[-1].id if self._open else None
        if not self.sections and level == 1:
            section_id = self._root_id  # the document's title heading, id reserved up front
        else:
            section_id = self._heading_id(attributes.get("id"))
        draft = SectionDraft(section_id, "", level, parent)
        self.sections.append(draft)
        self._open.append(draft)
        self.marks.append(Mark(draft.id, draft.id))
        self._heading = draft
        self._heading_tag = tag
        self._title_parts = []
        self._emit_start(tag, {"id": draft.id})

    def _end_heading(self, tag: str) -> None:
        assert self._heading is not None
        title = " ".join("".join(self._title_parts).split())
        if not title:
            title = self._heading.id
        self._heading.title = title
        self._block = []
        self._chunks.append(_Chunk(title, False))
        self._heading = None
        self._close_tag(tag)

    def _close_tag(self, tag: str) -> None:
        # Sanitized input is well nested, but closing everything above ``tag`` keeps the
        # output balanced whatever arrives.
        while self._tag_stack:
            open_tag = self._tag_stack.pop()
            self._emit(f"</{open_tag}>")
            if open_tag == tag:
                break

    def _resume_parent(self, attributes: dict[str, str]) -> None:
        if len(self._open) > 1:
            self._open.pop()
        self._resumes += 1
        anchor = f"{self._open[-1].id}--resume-{self._resumes}"
        attributes["id"] = anchor
        self.marks.append(Mark(anchor, self._open[-1].id))
        kept = [c for c in attributes.get("class", "").split() if c == SAFETY_NOTE_CLASS]
        if kept:
            attributes["class"] = " ".join(kept)
        else:
            attributes.pop("class", None)

    def _note(self, attributes: dict[str, str]) -> None:
        # The view frames notes (Qt rich text has no padding on paragraphs): it finds them by id.
        if "id" not in attributes:
            self._notes_seen += 1
            attributes["id"] = f"{self._open[-1].id}--note-{self._notes_seen}"
        self.notes.append(attributes["id"])

    def _link(self, attributes: dict[str, str]) -> None:
        href = attributes.get("href")
        if href is None:
            return
        resolved = self._resolve_link(href)
        if resolved is None:
            # Refused or broken: the text stays, but there is nothing left to click.
            del attributes["href"]
            attributes.pop("title", None)
        else:
            attributes["href"] = resolved

    def _image(self, attributes: dict[str, str]) -> None:
        src = self._resolve_image(attributes.get("src", ""))
        alt = attributes.get("alt", "")
        if src is None:
            # A remote or missing image is never fetched: its alt text stands in.
            if alt:
                self.handle_data(alt)
            return
        attributes["src"] = src
        self._emit_start("img", attributes)
        if alt:
            self._block.append(alt)

    def _list_marker(self) -> str:
        if not self._lists or not self._lists[-1]:
            return "- "
        number = self._lists[-1][0]
        self._lists[-1][0] = number + 1
        return f"{number}. "

    def _flush(self) -> None:
        if self._heading is not None:
            return
        raw = "".join(self._block)
        self._block = []
        text = raw.strip("\n") if self._pre_depth else " ".join(raw.split())
        if not text:
            return
        is_item = bool(self._prefix)
        text = self._prefix + text
        self._prefix = ""
        self._chunks.append(_Chunk(text, is_item))
        if self._open:
            self._open[-1].text.append(text)
