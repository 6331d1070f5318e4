"""Render room: the markup a pack's HTML may hold, for the sanitizer and for compiled packs.

The sanitizer (markdown_html.py) keeps only these tags and attributes; a compiled pack's rows
are checked against the same lists when they are read (ketpack/rows.py), so a forged row
cannot bring a stylesheet, a background image or any other way to make Qt load a file.
"""

from __future__ import annotations

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    **{h: {"id"} for h in HEADINGS},
}
# What rendering adds after the sanitizer: block classes, and ids where sections start.
ADDED_ATTRIBUTES = frozenset({"class", "id"})
ANY_ATTRIBUTE = frozenset().union(*ATTRIBUTES.values()) | ADDED_ATTRIBUTES
