"""Search room: ranking sections for a query's concepts, within a frame on any pack size.

bm25 costs time in proportion to the sections it scores, about a microsecond each: a word
in all 10,000 sections of a large pack takes most of a frame. So each query ranks by its
rarer concepts, up to a budget of sections, and checks its most common ones in the text of
the few candidate sections instead; a query of only very common words ranks the sections
with them in their titles first, then the others in reading order. On the guide every
concept is within the budget, and the ranking is plain bm25.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ketreader.search.plan import Concept

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# Sections bm25 may score in one query (about 2 ms on a 2-core machine), counted as the sum
# over its concepts of the sections each is in.
RANK_BUDGET = 2_000
# With fewer sections than this holding every word, the sections missing only one word
# follow them: one section with every word is often not the one the reader wants.
ENOUGH_COMPLETE = 3
# Sections considered where a query is checked beyond bm25: for the closest matches, and
# for sections that must also hold a very common word.
CANDIDATES = 64
# Characters of a section read for checks, snippets and answers: a huge section costs no
# more than a large one.
MAX_SECTION_CHARS = 20_000

Ranked = list[tuple[int, float]]
# A section as shown: id, title, parent title and (the start of) its rendered text.
Row = tuple[str, str, str | None, str]


class Ranking:
    """Ranks sections for one query; keeps the rows it read, for snippets and the answer."""

    def __init__(self, index: SearchIndex, concepts: Sequence[Concept], limit: int) -> None:
        self._index = index
        self.concepts = tuple(concepts)
        self.limit = limit
        self.rows: dict[int, Row] = {}
        self._lowered: dict[int, str] = {}

    def run(self) -> tuple[Ranked, int]:
        """Sections with every concept first; after them, when few, those missing one.

        Returns the ranking and how many of its sections have every concept.
        """
        live = [c for c in self.concepts if c.alive]
        if not live:
            return [], 0
        every: Ranked = []
        if len(live) == len(self.concepts):
            every = self._every(live)
            if len(every) >= ENOUGH_COMPLETE or len(live) == 1:
                return every, len(every)
        seen = {rowid for rowid, _ in every}
        # After sections with every concept, only those missing just one are worth reading;
        # with none, the closest matches are all there is.
        least = max(2, len(self.concepts) - 1) if every else 1
        closest = [r for r in self._closest(live, least) if r[0] not in seen]
        return (every + closest)[: self.limit], len(every)

    def fetch(self, rowids: Iterable[int]) -> dict[int, Row]:
        """The rows of these sections, read once per query."""
        missing = [r for r in dict.fromkeys(rowids) if r not in self.rows]
        if missing:
            self.rows.update(self._index.section_rows(missing, MAX_SECTION_CHARS))
        return self.rows

    # -- every concept ---------------------------------------------------------------------

    def _every(self, concepts: list[Concept]) -> Ranked:
        cheap, dear = _split(concepts)
        pool = max(CANDIDATES, self.limit) if dear else self.limit
        if cheap:
            ranked = self._typed_first(cheap, pool)
        else:
            ranked = self._browse(_joined(" AND ", (c.expression() for c in concepts)), pool)
        if dear:
            self.fetch(rowid for rowid, _ in ranked)
            ranked = [r for r in ranked if all(self.has(c, r[0]) for c in dear)]
        return ranked[: self.limit]

    def _typed_first(self, concepts: list[Concept], count: int) -> Ranked:
        """Sections with the typed words first, then those matching through synonyms."""
        rank = self._index.rank
        typed: Ranked = []
        if all(c.typed_alive for c in concepts):
            typed = rank(_joined(" AND ", (c.expression(True) for c in concepts)), count)
        if not any(c.synonyms_alive for c in concepts) or len(typed) >= count:
            return typed
        wider = rank(_joined(" AND ", (c.expression() for c in concepts)), count + len(typed))
        seen = {rowid for rowid, _ in typed}
        return (typed + [r for r in wider if r[0] not in seen])[:count]

    # -- the closest matches ----------------------------------------------------------------

    def _closest(self, live: list[Concept], least: int) -> Ranked:
        """Sections with most of the concepts: a coordination boost over bm25 of any of them.

        Among sections with as many concepts, those with more typed words (not synonyms)
        come first, then bm25 decides. Only sections with ``least`` concepts are kept.
        """
        if len(live) < least:
            return []
        cheap, dear = _split(live)
        count = max(CANDIDATES, self.limit)
        candidates: Ranked = []
        if cheap:
            candidates = self._index.rank(_joined(" OR ", (c.expression() for c in cheap)), count)
        if dear and len(candidates) < count:
            # Sections with only common words may still be among the closest: after the rest.
            seen = {rowid for rowid, _ in candidates}
            more = self._browse(_joined(" OR ", (c.expression() for c in dear)), count)
            candidates += [r for r in more if r[0] not in seen][: count - len(candidates)]
        if len(live) == 1:
            return candidates[: self.limit]
        rowids = [rowid for rowid, _ in candidates]
        matched: Counter[int] = Counter()
        typed: Counter[int] = Counter()
        for concept in cheap:
            found = set(self._index.matching(concept.expression())) & set(rowids)
            matched.update(found)
            if concept.typed_alive:
                if concept.synonyms_alive:
                    found &= set(self._index.matching(concept.expression(typed_only=True)))
                typed.update(found)
        if dear:
            self.fetch(rowids)
            for concept in dear:
                found = {r for r in rowids if self.has(concept, r)}
                matched.update(found)
                typed.update(r for r in found if self.has(concept, r, typed_only=True))
        order = sorted(candidates, key=lambda r: (-matched[r[0]], -typed[r[0]], r[1]))
        # The closest have the most concepts or one fewer, and at least half of them: a
        # section with one word of a question (the pack's subject, say) is not close to it.
        most = max(matched.values(), default=0)
        least = min(most, max(least, most - 1, (len(live) + 1) // 2))
        return [r for r in order if matched[r[0]] >= least][: self.limit]

    def _browse(self, expression: str, count: int) -> Ranked:
        """Sections whose titles match, best first, then the others in reading order.

        For words too common to rank: matching titles are few, and reading order costs
        nothing to compute. Sections in reading order get the worst possible score, 0.
        """
        titled = self._index.rank(expression, count, titles_only=True)
        seen = {rowid for rowid, _ in titled}
        rest = [(r, 0.0) for r in self._index.matching(expression, count) if r not in seen]
        return (titled + rest)[:count]

    # -- checking a fetched section's text ------------------------------------------------------

    def has(self, concept: Concept, rowid: int, typed_only: bool = False) -> bool:
        """Whether a fetched section's title or text holds a word of ``concept``."""
        text = self._lowered.get(rowid)
        if text is None:
            _, title, _, body = self.rows[rowid]
            text = self._lowered[rowid] = f"{title}\n{body}".lower()
        words = concept.marks if typed_only else concept.marks | concept.synonym_marks
        if any(_has_word(text, word) for word in words):
            return True
        prefix = concept.prefix
        return prefix is not None and _has_word(text, prefix.lower(), prefix=True)


def _has_word(text: str, word: str, prefix: bool = False) -> bool:
    """``word`` (lower case) stands whole, or starts a word, somewhere in ``text``."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and (prefix or not after.isalnum()):
            return True
        at = text.find(word, at + 1)
    return False


def _split(concepts: list[Concept]) -> tuple[list[Concept], list[Concept]]:
    """Concepts bm25 can rank within the budget (the rarest first), and the rest."""
    cheap: list[Concept] = []
    spent = 0
    for concept in sorted(concepts, key=lambda c: c.cost):
        if spent + concept.cost > RANK_BUDGET:
            break
        cheap.append(concept)
        spent += concept.cost
    return cheap, [c for c in concepts if c not in cheap]


def _joined(operator: str, expressions: Iterable[str]) -> str:
    return operator.join(e for e in expressions if e)
