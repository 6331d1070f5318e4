"""Search room: the sentence that best answers a question, by bm25 over sentences; no model."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from ketreader.search.snippets import Marker, text_lines

K1, B = 1.2, 0.75
MIN_SENTENCE_WORDS = 3
# Longer "sentences" (code, flattened tables) are never offered as answers.
MAX_UNIT_CHARS = 400
# Of each top section: answers come from what a section starts with, at bounded cost.
MAX_SCANNED_CHARS = 6000
_WORD = re.compile(r"[^\W_]+")
_OPENERS = "\"'“‘([«"


def sentences(line: str) -> list[str]:
    """Split a paragraph into sentences: at . ! ? followed by space and a capital or digit."""
    out: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"'”’)\]]*\s+", line):
        following = line[match.end() : match.end() + 2].lstrip(_OPENERS)[:1]
        if following and (following.isupper() or following.isdigit()):
            out.append(line[start : match.end()].strip())
            start = match.end()
    tail = line[start:].strip()
    if tail:
        out.append(tail)
    return out


def answer_units(text: str) -> list[tuple[str, ...]]:
    """A section's candidate answers; see ``_units``. Only its start is read, at bounded cost."""
    return _units(text[:MAX_SCANNED_CHARS])


def _units(text: str) -> list[tuple[str, ...]]:
    """A section's candidate answers, each as the pieces of text the view can find.

    A sentence that ends in a colon carries the list items that follow it ("Common short-term
    effects include:" and its four effects); every other sentence and item stands alone.
    """
    units: list[tuple[str, ...]] = []
    lead: int | None = None  # index of the unit a following list belongs to
    for line, item in text_lines(text):
        if item and lead is not None:
            units[lead] = (*units[lead], _item_text(line))
            continue
        if item:
            units.append((_item_text(line),))
            continue
        lead = None
        for sentence in _joined_short(sentences(line)):
            units.append((sentence,))
        if units and units[-1][0].endswith(":"):
            lead = len(units) - 1
    return units


def _joined_short(found: list[str]) -> list[str]:
    """A sentence of one or two words ("No.") is read with the sentence after it."""
    out: list[str] = []
    carry = ""
    for sentence in found:
        text = f"{carry} {sentence}" if carry else sentence
        if len(_WORD.findall(text)) < MIN_SENTENCE_WORDS:
            carry = text
            continue
        out.append(text)
        carry = ""
    if carry:
        out.append(carry)
    return out


def _item_text(line: str) -> str:
    # The view shows an ordered list's number as list formatting, not as text to find.
    head, _, rest = line.partition(" ")
    return rest if head[:-1].isdigit() and head[-1:] in ".)" and rest else line


class SectionUnits(NamedTuple):
    """A section's candidate answers, prepared once: their text in one string for a single
    pass of the marker, where each starts in it, and each one's length in words."""

    units: list[tuple[str, ...]]
    text: str
    starts: list[int]
    lengths: list[int]


def prepared_units(text: str) -> SectionUnits:
    """``answer_units`` of a section, ready for ``best_answer``."""
    units = answer_units(text)
    joined = [" ".join(unit) for unit in units]
    starts = list(itertools.accumulate((len(j) + 1 for j in joined), initial=0))
    # A list counts as long as its lead-in sentence: its items are what the sentence says.
    lengths = [max(1, len(_WORD.findall(unit[0]))) for unit in units]
    return SectionUnits(units, "\n".join(joined), starts, lengths)


def best_answer(
    per_section: Sequence[SectionUnits], marker: Marker, weights: Sequence[float]
) -> tuple[str, ...] | None:
    """The answer unit of the first section scoring best by bm25 over the units of them all.

    ``per_section`` holds the prepared units of the top results, best first. Every one of
    those sections supplies the sentence statistics, so a word found in every top section
    (the guide's subject) weighs little; ``weights`` (one per concept, from how rare its
    words are in the whole pack) keep that true when only one or two sections matched. The
    answer itself comes from the first section, which is the result it is shown on. None
    when no sentence there has a word of the query: a lead line that does not answer is
    worse than none.
    """
    if not per_section or not weights or not per_section[0].units:
        return None
    total = sum(len(section.units) for section in per_section)
    average = sum(sum(section.lengths) for section in per_section) / total
    document_frequency: Counter[int] = Counter()
    first: dict[int, Counter[int]] = {}  # unit of the first section -> its concepts
    for number, section in enumerate(per_section):
        # One pass of the marker over the section, its matches then shared out by unit.
        seen: dict[int, set[int]] = {}
        for match in marker.find(section.text):
            if match.concept < 0:
                continue
            unit = bisect.bisect_right(section.starts, match.start) - 1
            seen.setdefault(unit, set()).add(match.concept)
            if number == 0:
                first.setdefault(unit, Counter())[match.concept] += 1
        for concepts in seen.values():
            document_frequency.update(concepts)
    best: tuple[float, int] | None = None
    units, lengths = per_section[0].units, per_section[0].lengths
    for unit, counts in sorted(first.items()):
        if len(" ".join(units[unit])) > MAX_UNIT_CHARS * max(1, len(units[unit]) // 2):
            continue
        norm = K1 * (1 - B + B * lengths[unit] / average)
        score = 0.0
        for concept, frequency in counts.items():
            n = document_frequency[concept]
            idf = math.log(1 + (total - n + 0.5) / (n + 0.5)) * weights[concept]
            score += idf * frequency * (K1 + 1) / (frequency + norm)
        if best is None or score > best[0]:
            best = (score, unit)
    return units[best[1]] if best else None
