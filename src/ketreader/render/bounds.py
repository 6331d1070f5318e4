"""Render room: Markdown whose rendering cost would explode, bounded before it is rendered.

Python-Markdown is quadratic in a few shapes a small hostile or broken file can hold: a
block of thousands of heading, rule or setext lines with no blank line between them (each
processor takes the first line and pushes the rest back), a paragraph of thousands of
unclosed ``[`` (each scanned to the end of the paragraph, in Python), or of inline markup
characters (``&amp;`` x 100,000, runs of backticks). Such blocks are rewritten here, outside
fenced code: heading and rule lines get the blank line after them that changes nothing in
Markdown, and a paragraph over the inline budget is shown as its own source text, as
plain text, with a warning. Real documents are far below every limit.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from markdown.extensions.fenced_code import FencedBlockPreprocessor

# Lines of one block that split it (headings, rules, setext underlines) before the block is
# cut into one block per such line: below this the quadratic cost is a few milliseconds.
MAX_SPLITTING_LINES = 64
# Heading and rule lines in a whole document: more ids than this also slow Qt down (see
# render.scan.MAX_ANCHORS), and identical headings make the toc extension quadratic.
MAX_SPLITTING_LINES_IN_ALL = 1000
# Characters scanned to close every "[" (see _bracket_cost): 10^6 is about 0.2 s.
MAX_BRACKET_COST = 1_000_000
# Inline markup characters times the block's length: 4 * 10^8 is about 0.5 s.
MAX_MARKUP_COST = 400_000_000

# Unclosed "<" times the block's length: each one makes Python's HTML parser scan on to the
# end of the block, so they cost far more than other markup: 5 * 10^7 is about 0.7 s.
MAX_TAG_COST = 50_000_000
# A paragraph shown as plain text keeps this much of itself, and of each of its words.
MAX_TEXT = 20_000
MAX_WORD = 1000
# Tags open inside each other: Python-Markdown's raw HTML handling and Qt's layout both slow
# down sharply with depth (20,000 nested divs take minutes), and no real document nests
# deeper than a few levels. Tables nested up to this depth are flattened later, by the scan.
MAX_HTML_DEPTH = 128
# A code fence is three or more backticks or tildes; longer than this, it is cut to this.
MAX_FENCE = 32
FENCE_WARNING = "a code fence line with a long run of fence characters or spaces is shortened"
_FENCE_LINE = re.compile(r"^( {0,3})(`{3,}|~{3,})([^\n]*)", re.M)
_SPACE_RUN = re.compile(rf"[ \t]{{{MAX_FENCE + 1},}}")

_SPLITTING = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$|(?:[-*_][ \t]*){3,}$)")
_MARKUP = re.compile(r"[`\\<&*_]")
_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param",
}  # fmt: skip
_HTML_BLOCK = re.compile(r" {0,3}<([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
    "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip


class Bounded(NamedTuple):
    """The Markdown to render, and a warning (message, line) per block that was bounded."""

    text: str
    warnings: tuple[tuple[str, int | None], ...]


class _State:
    __slots__ = ("out", "splitting", "warnings")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.warnings: dict[str, int | None] = {}
        self.splitting = 0  # heading and rule lines kept so far


def bound(text: str) -> Bounded:
    """``text`` with every block whose rendering cost would explode rewritten (see above)."""
    if len(text) < 1000:  # nothing this small can cost more than a few milliseconds
        return Bounded(text, ())
    text, fences = _shorten_fences(text)
    bounded = _bound(text)
    if fences is None:
        return bounded
    return Bounded(bounded.text, ((FENCE_WARNING, fences), *bounded.warnings))


def _shorten_fences(text: str) -> tuple[str, int | None]:
    """Fence lines cut down: the fence to MAX_FENCE, runs of spaces after it to one.

    Python-Markdown's fenced-code expression has two space runs side by side after the
    fence, and backtracks over every split of them for every length of the fence: a fence
    then 30,000 spaces takes 40 s. Opening and closing fences are cut alike, so a fence that
    closed still closes. Returns the line of the first fence cut, if any.
    """
    first: int | None = None

    def cut(match: re.Match[str]) -> str:
        nonlocal first
        fence, rest = match.group(2), match.group(3)
        shorter = fence[:MAX_FENCE] + _SPACE_RUN.sub(" ", rest)
        if shorter == fence + rest:
            return match.group(0)
        if first is None:
            first = text.count("\n", 0, match.start()) + 1
        return match.group(1) + shorter

    shortened = _FENCE_LINE.sub(cut, text)
    return shortened, first


def _bound(text: str) -> Bounded:
    depth = _html_depth(text)
    if depth > MAX_HTML_DEPTH:
        blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
        message = f"HTML nested {depth:,} levels deep is shown as plain text"
        return Bounded("\n\n".join(as_text(b) for b in blocks), ((message, None),))
    lines = text.split("\n")
    code = _code_lines(text, len(lines))
    state = _State()
    out = state.out
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines):
        if code[number] or not line.strip():
            _flush(block, start, state)
            block = []
            out.append(line)
            continue
        if not block:
            start = number
        block.append(line)
    _flush(block, start, state)
    if not state.warnings and len(out) == len(lines):
        return Bounded(text, ())
    return Bounded("\n".join(out), tuple(state.warnings.items()))


def _flush(block: list[str], start: int, state: _State) -> None:
    """Write one block (lines between blank lines), bounded, to ``state.out``."""
    if not block:
        return
    splitting = [bool(_SPLITTING.match(line)) for line in block]
    count = sum(splitting)
    if not count:
        _paragraph(block, start, state)
        return
    for index, splits in enumerate(splitting):
        if splits and state.splitting >= MAX_SPLITTING_LINES_IN_ALL:
            # Shown as the text it is: a backslash keeps "#", "=", "-", "*" or "_" literal.
            line = block[index]
            indent = len(line) - len(line.lstrip())
            block[index] = f"{line[:indent]}\\{line[indent:]}"
            splitting[index] = False
            state.warnings.setdefault(
                f"more than {MAX_SPLITTING_LINES_IN_ALL:,} headings and rules: the rest are"
                " shown as plain text",
                start + index + 1,
            )
        elif splits:
            state.splitting += 1
    if sum(splitting) <= MAX_SPLITTING_LINES:
        _paragraph(block, start, state)
        return
    # One block per heading or rule line: the blank line after each changes nothing.
    run: list[str] = []
    run_start = start
    for index, (line, splits) in enumerate(zip(block, splitting, strict=True)):
        if not splits:
            if not run:
                run_start = start + index
            run.append(line)
            continue
        run.append(line)
        _paragraph(run, run_start, state)
        state.out.append("")
        run = []
    _paragraph(run, run_start, state)


def _paragraph(block: list[str], start: int, state: _State) -> None:
    if not block:
        return
    joined = "\n".join(block)
    size = len(joined)
    if size > 500 and not _is_table(block):
        # In a raw HTML block, Python-Markdown still renders the text after its tags as
        # Markdown: that text is what costs, so it is what is measured.
        probe = _TAG.sub(" ", joined) if _is_html_block(block[0]) else joined
        brackets = _bracket_cost(probe) if "[" in probe else 0
        markup = len(_MARKUP.findall(probe)) if size * size > MAX_MARKUP_COST else 0
        # Only a "<" that opens no complete tag sends the parser to the end of the block.
        tags = _TAG.sub(" ", probe).count("<") if size * size > MAX_TAG_COST else 0
        if brackets > MAX_BRACKET_COST or markup * size > MAX_MARKUP_COST:
            what = "'[' brackets" if brackets > MAX_BRACKET_COST else "inline markup characters"
        elif tags * size > MAX_TAG_COST:
            what = "'<' characters"
        else:
            what = ""
        if what:
            state.warnings.setdefault(
                f"a paragraph of {size:,} characters with too many {what} is shown as"
                " plain text (as Markdown it would take minutes to render)",
                start + 1,
            )
            state.out.extend(("", as_text(joined), ""))
            return
    state.out.extend(block)


def as_text(source: str) -> str:
    """Markdown source as a block of plain text, its size capped.

    Long words and a long paragraph are cut short, because the cost does not end with
    Python-Markdown: html5ever (in nh3) appends each character reference to its text node
    one at a time, and 100,000 ``&amp;`` in one node take seconds.
    """
    text = _WORD.sub(_cut, " ".join(source.split()))
    if len(text) > MAX_TEXT:
        text = f"{text[:MAX_TEXT]}… ({len(text) - MAX_TEXT:,} more characters not shown)"
    return f"<div>{html.escape(text, quote=False)}</div>"


def _cut(match: re.Match[str]) -> str:
    word = match.group(0)
    return f"{word[:MAX_WORD]} … ({len(word) - MAX_WORD:,} more characters not shown)"


def _is_html_block(line: str) -> bool:
    # Python-Markdown passes a block that opens with a block-level tag through as it is,
    # without inline processing (nh3 then parses it, in linear time).
    found = _HTML_BLOCK.match(line)
    return found is not None and found.group(1).lower() in _BLOCK_TAGS


def _code_lines(text: str, count: int) -> bytearray:
    """1 for each line inside a fenced code block, found as Python-Markdown finds them.

    Its own expression, so that a fence it would not close (and so renders as Markdown)
    is bounded like any other text.
    """
    code = bytearray(count)
    line = 0
    position = 0
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text):
        line += text.count("\n", position, match.start())
        last = line + text.count("\n", match.start(), match.end())
        code[line : last + 1] = b"\x01" * (last + 1 - line)
        line, position = last, match.end()
    return code


def _html_depth(text: str) -> int:
    """The deepest nesting of HTML tags in ``text`` (an overestimate: code counts too)."""
    if text.count("<") < MAX_HTML_DEPTH:
        return 0
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, tag, self_closing = match.groups()
        if self_closing or tag.lower() in _VOID:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _is_table(block: list[str]) -> bool:
    # Cells are rendered one by one, so a long table costs nothing quadratic.
    return len(block) > 1 and "|" in block[0] and set(block[1].strip()) <= set("|:- ")


def _bracket_cost(text: str) -> int:
    """Characters Python-Markdown scans, one by one, to find where each "[" closes.

    That is the distance to the matching "]", or to the end of the text for one that never
    closes: 10,000 unclosed "[" cost 5 * 10^7 steps, and so do 5,000 nested pairs.
    """
    cost = 0
    opened: list[int] = []
    for match in re.finditer(r"\\.|[\[\]]", text):
        if match.group(0) == "[":
            opened.append(match.start())
        elif match.group(0) == "]" and opened:
            cost += match.start() - opened.pop()
    return cost + sum(len(text) - start for start in opened)
