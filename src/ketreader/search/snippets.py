"""Search room: snippets built in Python from a section's rendered text, with matches in <b>."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SNIPPET_CHARS = 180
SCAN_CHARS = 1500
_LEAD_IN = 50  # at most this much text before the first match, back to a sentence start
_ITEM = re.compile(r"^(?:[-*+•]|(\d{1,9}[.)]))[ \t]+")
# Controls carry no text; dropping them also means none can pose as markup in a snippet.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD_CHAR = r"[^\W_]"
ITEM_JOIN = " · "  # between list items, when a section's text becomes one line


def text_lines(text: str) -> list[tuple[str, bool]]:
    """Each paragraph or list item of a section's rendered text, and whether it is an item.

    The rendered text puts each block on its own line and starts list items with "- " or
    "1. "; bullets are dropped (they are not the editors' words), numbers kept.
    """
    out: list[tuple[str, bool]] = []
    for raw in _CONTROLS.sub("", text).split("\n"):
        line = raw.strip()
        if not line:
            continue
        item = _ITEM.match(line)
        if item is None:
            out.append((line, False))
        else:
            out.append(
                (
                    f"{item.group(1)} {line[item.end() :]}"
                    if item.group(1)
                    else line[item.end() :],
                    True,
                )
            )
    return out


def reading_line(text: str) -> str:
    """A section's rendered text as one line: list dashes gone, items set apart by " · "."""
    parts: list[str] = []
    previous_item = False
    for line, item in text_lines(text):
        if parts:
            lead_in = parts[-1].endswith(":")
            parts.append(ITEM_JOIN if (item or previous_item) and not lead_in else " ")
        parts.append(line)
        previous_item = item
    return "".join(parts)


@dataclass(frozen=True)
class Match:
    """One matched word in a text: where it is and which part of the query it answers."""

    start: int
    end: int
    concept: int


class Marker:
    """Finds the words a query matched, by surface form, in any text; no index involved."""

    def __init__(self, words_by_concept: Iterable[Iterable[str]], prefixes: dict[int, str]) -> None:
        self._concept_of: dict[str, int] = {}
        for index, words in enumerate(words_by_concept):
            for word in words:
                self._concept_of.setdefault(word.lower(), index)
        self._prefixes = sorted(
            ((c, p.lower()) for c, p in prefixes.items()), key=lambda item: -len(item[1])
        )
        alternatives = sorted(self._concept_of, key=lambda w: (-len(w), w))
        alternatives = [re.escape(w) for w in alternatives]
        alternatives += [re.escape(p) + _WORD_CHAR + "*" for _, p in self._prefixes]
        source = rf"(?<!{_WORD_CHAR})(?:{'|'.join(alternatives)})(?!{_WORD_CHAR})"
        # Matching lower-cased text is a third faster than matching ignoring case; text whose
        # length lower-casing changes ("İ") is matched ignoring case instead.
        self._patterns = (
            (re.compile(source), re.compile(source, re.IGNORECASE)) if alternatives else None
        )

    def find(self, text: str, first_only: bool = False) -> list[Match]:
        if self._patterns is None:
            return []
        lower, any_case = self._patterns
        lowered = text.lower()
        same = len(lowered) == len(text)
        matches = lower.finditer(lowered) if same else any_case.finditer(text)
        found: list[Match] = []
        for match in matches:
            if first_only and found:
                break
            word = match.group(0).lower()
            concept = self._concept_of.get(word)
            if concept is None:
                concept = next((c for c, p in self._prefixes if word.startswith(p)), -1)
            found.append(Match(match.start(), match.end(), concept))
        return found


def snippet_html(line: str, marker: Marker, width: int = SNIPPET_CHARS) -> str:
    """The part of a section's reading line (see ``reading_line``) with the most of the
    query's words, escaped, with its matches in <b>."""
    return _snippet(line, marker, width, 0, len(line))


def snippet_beside(line: str, marker: Marker, shown: str, width: int = SNIPPET_CHARS) -> str:
    """A snippet that does not repeat ``shown`` (the answer, already shown above it): from
    the text after it when the query's words are there, else from the text before it."""
    at = line.find(shown)
    if at < 0:
        return snippet_html(line, marker, width)
    after, before = (at + len(shown), len(line)), (0, at)
    for low, high in (after, before):
        if marker.find(line[low:high], first_only=True):
            return _snippet(line, marker, width, low, high)
    low, high = max((after, before), key=lambda r: r[1] - r[0])
    if high - low < _LEAD_IN:
        return snippet_html(line, marker, width)
    return _snippet(line, marker, width, low, high)


def _snippet(line: str, marker: Marker, width: int, low: int, high: int) -> str:
    """The best window of ``line[low:high]``."""
    part = line[low:high].lstrip(" ·:")
    offset = high - len(part)
    # The best window is sought near the start, where a section says what it is about: a
    # long section costs no more than a short one. Past that, the first match will do.
    matches = marker.find(part[:SCAN_CHARS])
    if not matches:
        matches = marker.find(part, first_only=True)
    start = _best_window(matches, width - _LEAD_IN)
    begin = _window_start(part, matches[start].start if matches else 0)
    end = _cut(part, begin + width)
    pieces = ["…"] if begin + offset > 0 else []
    at = begin
    for match in matches:
        if match.start < begin or match.end > end:
            continue
        pieces.append(html.escape(part[at : match.start], quote=False))
        pieces.append(f"<b>{html.escape(part[match.start : match.end], quote=False)}</b>")
        at = match.end
    pieces.append(html.escape(part[at:end], quote=False))
    if end + offset < len(line):
        pieces.append("…")
    return "".join(pieces).strip()


def _best_window(matches: list[Match], width: int) -> int:
    """Index of the first match of the window holding the most distinct concepts."""
    best, best_key = 0, (0, 0)
    inside: Counter[int] = Counter()
    right = 0
    for left, first in enumerate(matches):
        while right < len(matches) and matches[right].end <= first.start + width:
            inside[matches[right].concept] += 1
            right += 1
        key = (len(inside), right - left)
        if key > best_key:
            best, best_key = left, key
        inside[first.concept] -= 1
        if not inside[first.concept]:
            del inside[first.concept]
    return best


def _window_start(line: str, first: int) -> int:
    """Start at the sentence of the first match if it is close, else a few words before."""
    if first <= _LEAD_IN:
        return 0
    sentence = max(line.rfind(". ", 0, first), line.rfind(ITEM_JOIN, 0, first))
    if sentence >= 0 and first - sentence <= _LEAD_IN:
        return sentence + 2 if line[sentence] == "." else sentence + len(ITEM_JOIN)
    space = line.find(" ", first - _LEAD_IN // 2, first)
    return space + 1 if space >= 0 else first


def _cut(line: str, end: int) -> int:
    """End a snippet at a word boundary at or before ``end``."""
    if end >= len(line):
        return len(line)
    space = line.rfind(" ", 0, end)
    return space if space > 0 else end
