"""Search room: the sentence that best answers a question, by bm25 over sentences; no model."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

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


def best_answer(
    per_section: Sequence[list[tuple[str, ...]]], marker: Marker, weights: Sequence[float]
) -> tuple[str, ...] | None:
    """The answer unit of the first section scoring best by bm25 over the units of them all.

    ``per_section`` holds the answer units (see ``answer_units``) of the top results, best
    first. Every one of those sections supplies the sentence
    statistics, so a word found in every top section (the guide's subject) weighs little;
    ``weights`` (one per concept, from how rare its words are in the whole pack) keep that
    true when only one or two sections matched. The answer itself comes from the first
    section, which is the result it is shown on. None when no sentence there has a word of
    the query: a lead line that does not answer is worse than none.
    """
    if not per_section or not weights:
        return None
    scored: list[tuple[tuple[str, ...], Counter[int], int]] = []
    document_frequency: Counter[int] = Counter()
    for units in per_section:
        # One pass of the marker over the section, its matches then shared out by unit.
        joined = [" ".join(unit) for unit in units]
        starts = list(itertools.accumulate((len(j) + 1 for j in joined), initial=0))
        found: list[Counter[int]] = [Counter() for _ in units]
        for match in marker.find("\n".join(joined)):
            if match.concept >= 0:
                found[bisect.bisect_right(starts, match.start) - 1][match.concept] += 1
        for unit, counts in zip(units, found, strict=True):
            length = len(_WORD.findall(unit[0]))  # a list counts as its lead-in sentence
            document_frequency.update(counts.keys())
            scored.append((unit, counts, max(1, length)))
    if not scored:
        return None
    total = len(scored)
    average = sum(length for _, _, length in scored) / total
    best: tuple[float, tuple[str, ...]] | None = None
    for unit, counts, length in scored[: len(per_section[0])]:
        if not counts or len(" ".join(unit)) > MAX_UNIT_CHARS * max(1, len(unit) // 2):
            continue
        score = 0.0
        for concept, frequency in counts.items():
            n = document_frequency[concept]
            idf = math.log(1 + (total - n + 0.5) / (n + 0.5)) * weights[concept]
            score += idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average))
        if best is None or score > best[0]:
            best = (score, unit)
    return best[1] if best else None
