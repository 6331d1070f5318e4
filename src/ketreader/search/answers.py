"""Search room: the sentence that best answers a question, by bm25 over sentences; no model."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ketreader.search.snippets import Marker, text_lines

K1, B = 1.2, 0.75
MIN_SENTENCE_WORDS = 3
MAX_UNIT_CHARS = 400  # longer "sentences" (code, tables flattened) are never offered as answers
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
    candidates: Sequence[str], marker: Marker, weights: Sequence[float]
) -> tuple[str, ...] | None:
    """The answer unit of ``candidates[0]`` scoring best by bm25 over the units of them all.

    Every section among ``candidates`` (the top results' texts) supplies the sentence
    statistics, so a word found in every top section (the guide's subject) weighs little;
    ``weights`` (one per concept, from how rare its words are in the whole pack) keep that
    true when only one or two sections matched. The answer itself comes from the first
    section, which is the result it is shown on. None when no sentence there has a word of
    the query: a lead line that does not answer is worse than none.
    """
    if not candidates or not weights:
        return None
    per_section = [answer_units(text) for text in candidates]
    scored: list[tuple[tuple[str, ...], Counter[int], int]] = []
    document_frequency: Counter[int] = Counter()
    for units in per_section:
        for unit in units:
            joined = " ".join(unit)
            found = Counter(m.concept for m in marker.find(joined) if m.concept >= 0)
            length = len(_WORD.findall(unit[0]))  # a list counts as its lead-in sentence
            document_frequency.update(found.keys())
            scored.append((unit, found, max(1, length)))
    if not scored:
        return None
    total = len(scored)
    average = sum(length for _, _, length in scored) / total
    best: tuple[float, tuple[str, ...]] | None = None
    for unit, found, length in scored[: len(per_section[0])]:
        if not found or len(" ".join(unit)) > MAX_UNIT_CHARS * max(1, len(unit) // 2):
            continue
        score = 0.0
        for concept, frequency in found.items():
            n = document_frequency[concept]
            idf = math.log(1 + (total - n + 0.5) / (n + 0.5)) * weights[concept]
            score += idf * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average))
        if best is None or score > best[0]:
            best = (score, unit)
    return best[1] if best else None
