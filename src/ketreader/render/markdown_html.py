"""Render room: one Markdown document to sanitized HTML plus its heading ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import markdown
import nh3
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

from ketreader.render.allowlist import ATTRIBUTES, HEADINGS, TAGS

# Block classes a pack may use (see docs/content-packs.md); every other class is dropped.
SECTION_END_CLASS = "section-end"
SAFETY_NOTE_CLASS = "safety-note"
_PACK_CLASSES = {SECTION_END_CLASS, SAFETY_NOTE_CLASS}

_ALLOWED_TAGS = set(TAGS)
_HEADINGS = HEADINGS
_ALLOWED_ATTRIBUTES = {tag: set(names) for tag, names in ATTRIBUTES.items()}
_ALLOWED_CLASSES = {tag: _PACK_CLASSES for tag in ("p", "div", "blockquote", "ul", "ol")}
# Relative URLs stay (pack files and anchors). Absolute ones of these schemes reach the link
# and image resolvers (pack_render), which keep only https: and mailto: links and never load a
# remote image, and say so in `ketreader check`; any other scheme is dropped here silently.
_URL_SCHEMES = {
    "http", "https", "mailto", "file", "ftp", "ftps", "sftp", "ssh", "smb", "tel", "sms",
    "news", "irc", "data", "javascript", "vbscript", "ms-settings", "shell", "ketreader",
}  # fmt: skip
# Python-Markdown uses STX/ETX as its own placeholders; content must not forge them.
_PLACEHOLDER_CHARS = str.maketrans({"\x02": "\ufffd", "\x03": "\ufffd"})


# Python-Markdown recurses once per list or quote level and slows down sharply past a few
# hundred levels (2,000 nested list items take about a minute before a RecursionError), so
# deeper nesting is refused up front. No real document comes near this.
MAX_NESTING = 64
# What may open a nested block at the start of a line: indentation, quote marks, and list
# markers, several of which on one line ("1. 1. 1. x") open one list inside another.
_PREFIX = re.compile(r"(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t])")
_RULE = re.compile(r" {0,3}(?:([-*_])[ \t]*){3,}$")  # "- - -" is a rule, not nested lists


def nesting_problem(text: str) -> tuple[int, str] | None:
    """The first line nested deeper than MAX_NESTING, with a description, or None."""
    for number, line in enumerate(text.splitlines(), 1):
        prefix = _PREFIX.match(line)
        if prefix is None or prefix.end() < 2 * MAX_NESTING or _RULE.match(line):
            continue
        lead = prefix.group(0)
        quotes = lead.count(">")
        markers = len(_MARKER.findall(lead))
        indent = len(_MARKER.sub("", lead).replace(">", "").expandtabs(4))
        if quotes > MAX_NESTING or markers > MAX_NESTING or indent // 2 > 2 * MAX_NESTING:
            return number, f"nests deeper than {MAX_NESTING} levels"
    return None


def slugify(value: str, separator: str) -> str:
    # Emoji-only headings slugify to "" and would get opaque ids like "_1".
    return slugify_unicode(value, separator) or "section"


@dataclass(frozen=True)
class DocumentHtml:
    """Sanitized HTML of one document and the heading ids the toc extension gave it."""

    html: str
    heading_ids: tuple[str, ...]


# Every inline pattern Python-Markdown registers for this extension set, with the text that
# must be in a string for it to match there: backtick and escape, links and references,
# images, autolinks and inline HTML, a hard line break, entities, emphasis.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}
_INLINE_MARKUP = re.compile(r"[`\\\[<&*_]|  \n")


class _TriggeredInline(InlineProcessor):
    """Python-Markdown's inline processor, trying only the patterns that could match.

    The stock processor calls each of its 14 patterns on every piece of text; most text has
    no markup, and most of the rest only one or two kinds. A pattern is skipped when its
    trigger (see _TRIGGERS) is nowhere in the string, which is exactly when it cannot match:
    the output is identical (tests/unit/render compares it with the stock processor's).
    This replaces ``InlineProcessor.__handleInline``, a private method of Python-Markdown
    3.x, keeping its loop as it is (a pattern that matched is tried again on the new string;
    one that did not hands over to the next with ``startIndex`` 0, as ``__applyPattern``
    returns it). MarkdownRenderer installs it only when the registered patterns are exactly
    those of _TRIGGERS, so a new pattern is never skipped.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        by_object = {id(md.inlinePatterns[name]): t for name, t in _TRIGGERS.items()}
        patterns = md.inlinePatterns
        self._triggers = [by_object[id(patterns[i])] for i in range(len(patterns))]

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, AtomicString) or _INLINE_MARKUP.search(data) is None:
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self.inlinePatterns
        triggers = self._triggers
        index = patternIndex
        start = 0
        count = len(patterns)
        while index < count:
            if not any(t in data for t in triggers[index]):
                index += 1
                start = 0
                continue
            data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data


class MarkdownRenderer:
    """Converts Markdown with the pack's fixed extension set; reusable across documents."""

    def __init__(self, *, triggered: bool = True) -> None:
        self._md = markdown.Markdown(
            # Instances, not names: names are looked up through package entry points, which
            # costs start-up time and drags importlib.metadata (and socket) into the bundle.
            extensions=[
                TocExtension(slugify=slugify, toc_depth="1-6"),
                TableExtension(use_align_attribute=True),
                FencedCodeExtension(),
                SaneListExtension(),
                AttrListExtension(),
            ],
            output_format="html",
        )
        patterns = self._md.inlinePatterns
        known = len(patterns) == len(_TRIGGERS) and all(name in patterns for name in _TRIGGERS)
        if triggered and known:
            # Same name and priority (20) as the stock one, which it replaces:
            # https://python-markdown.github.io/extensions/api/#registry
            self._md.treeprocessors.register(_TriggeredInline(self._md), "inline", 20)

    def convert(self, text: str) -> DocumentHtml:
        """Render ``text``; raises RecursionError for pathologically nested input."""
        self._md.reset()
        raw = self._md.convert(text.translate(_PLACEHOLDER_CHARS))
        ids = tuple(_flatten_ids(getattr(self._md, "toc_tokens", [])))
        return DocumentHtml(sanitize(raw), ids)


def sanitize(html: str) -> str:
    """Allowlist-sanitize HTML: no scripts, styles, handlers or foreign URL schemes."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        allowed_classes=_ALLOWED_CLASSES,
        link_rel=None,
        strip_comments=True,
    )


def _flatten_ids(tokens: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    stack = list(reversed(tokens))
    while stack:
        token = stack.pop()
        out.append(str(token["id"]))
        stack.extend(reversed(token.get("children", [])))
    return out
