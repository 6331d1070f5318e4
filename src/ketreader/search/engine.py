"""Search room: a typed query to ranked sections, the closest matches, snippets and an answer.

The engine reaches the index only through a few storage methods of SearchIndex (``rank``,
``section_rows``, ``vocabulary_rows``, ``stems``), so the storage behind them can change.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ketreader.search.answers import best_answer
from ketreader.search.lexicon import Lexicon
from ketreader.search.plan import Concept, Planner, QueryPlan
from ketreader.search.query import normalize, parse_query, words_of
from ketreader.search.results import Hit, SearchResult
from ketreader.search.snippets import Marker, snippet_html
from ketreader.search.spelling import Vocabulary, edit_distance
from ketreader.search.stopwords import stop_words
from ketreader.search.synonyms import EMPTY, SynonymTable, key_of

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# With fewer sections than this holding every word, the closest matches follow them: one
# section with every word is often not the one the reader wants ("how dose ketamine work").
ENOUGH_COMPLETE = 3
# Sections considered for "the closest matches": the best by bm25 of any word, re-ranked by
# how many of the query's words each one has.
CLOSEST_CANDIDATES = 64
# Sections whose sentences weigh the words when choosing an answer.
ANSWER_SECTIONS = 5
# Words this short are corrected only when nothing else of the query matches: "uk" is not a
# misspelling of "up".
MIN_CORRECTED_CHARS = 4
# From this length, two slips in a word are corrected even beside words that match.
LONG_WORD_CHARS = 8
MAX_HIGHLIGHT_COMPLETIONS = 200

Ranked = list[tuple[int, float]]


class SearchEngine:
    """Queries as people write them, over one pack's index, stop words and synonyms."""

    def __init__(
        self,
        index: SearchIndex,
        language: str | None = None,
        synonyms: SynonymTable = EMPTY,
    ) -> None:
        self._index = index
        self.lexicon = Lexicon(index.vocabulary_rows(), index.stems)
        self.synonyms = synonyms
        self.stop_words = stop_words(language)
        self.planner = Planner(self.lexicon, synonyms, self.stop_words, self._exists)
        keys = {k: 1 for k in synonyms.single_words() if k not in self.stop_words}
        self._key_vocabulary = Vocabulary(keys)
        self._total_words = sum(self.lexicon.vocabulary.frequencies.values())

    # -- searching ---------------------------------------------------------------------------

    def search(self, raw: str, limit: int = 20, *, correct: bool = True) -> SearchResult:
        """Ranked sections for whatever the user typed. ``correct=False`` searches as typed."""
        limit = max(1, limit)
        terms = parse_query(raw)
        if not terms:
            return SearchResult(raw)
        plan = self.planner.plan(raw, terms)
        if plan.only_common_words:
            return SearchResult(raw, common_words_only=True, plan=plan)
        if correct:
            plan = self._corrected(plan)
        ranked, complete = self._rank(plan, limit)
        suggestion = _corrected_query(raw, plan.corrections) if plan.corrections else None
        if not ranked:
            return SearchResult(raw, suggestion=suggestion, plan=plan)
        hits = tuple(self._hits(plan, ranked, complete))
        return SearchResult(raw, hits, suggestion, complete=min(complete, len(hits)), plan=plan)

    def _rank(self, plan: QueryPlan, limit: int) -> tuple[Ranked, int]:
        """Sections with every concept first; the closest matches after them, when few have.

        Returns the ranking and how many of its sections have every concept.
        """
        concepts = plan.concepts
        live = [c for c in concepts if c.alive]
        if not live:
            return [], 0
        every: Ranked = []
        if len(live) == len(concepts):
            every = self._every(concepts, limit)
            if len(every) >= ENOUGH_COMPLETE or len(concepts) == 1:
                return every, len(every)
        seen = {rowid for rowid, _ in every}
        # After sections with every concept, only those missing just one are worth reading;
        # with none, the closest matches are all there is.
        least = max(2, len(concepts) - 1) if every else 1
        closest = [r for r in self._closest(live, limit, least) if r[0] not in seen]
        return (every + closest)[:limit], len(every)

    def _every(self, concepts: tuple[Concept, ...], limit: int) -> Ranked:
        """Sections with every concept: those with the typed words first, then via synonyms."""
        rank = self._index.rank
        typed: Ranked = []
        if all(c.typed_alive for c in concepts):
            typed = rank(_all(c.expression(typed_only=True) for c in concepts), limit)
        if not any(c.synonyms_alive for c in concepts) or len(typed) >= limit:
            return typed
        wider = rank(_all(c.expression() for c in concepts), limit + len(typed))
        seen = {rowid for rowid, _ in typed}
        return (typed + [r for r in wider if r[0] not in seen])[:limit]

    def _closest(self, live: list[Concept], limit: int, least: int = 1) -> Ranked:
        """Sections with most of the concepts (a coordination boost over bm25 of any of them).

        Only sections with at least ``least`` of the concepts are kept.
        """
        rank = self._index.rank
        if len(live) < least:
            return []
        if len(live) == 1:
            return rank(live[0].expression(), limit)
        count = max(CLOSEST_CANDIDATES, limit)
        candidates = rank(" OR ".join(c.expression() for c in live), count)
        rowids = [rowid for rowid, _ in candidates]
        matched: Counter[int] = Counter()
        typed: Counter[int] = Counter()
        for concept in live:
            found = {r for r, _ in rank(concept.expression(), count, rowids)}
            matched.update(found)
            if concept.synonyms_alive and concept.typed_alive:
                found = {r for r, _ in rank(concept.expression(typed_only=True), count, rowids)}
            if concept.typed_alive:
                typed.update(found)
        order = sorted(candidates, key=lambda r: (-matched[r[0]], -typed[r[0]], r[1]))
        return [r for r in order if matched[r[0]] >= least][:limit]

    def _exists(self, expression: str) -> bool:
        return bool(self._index.rank(expression, 1))

    # -- spelling --------------------------------------------------------------------------

    def _corrected(self, plan: QueryPlan) -> QueryPlan:
        """Replace each word that matches nothing with the closest word the search knows."""
        dead = [c for c in plan.concepts if not c.alive and c.word]
        if not dead:
            return plan
        nothing_else = all(not c.alive for c in plan.concepts)
        corrections: dict[str, str] = {}
        for concept in dead:
            assert concept.word is not None
            if len(concept.word) < MIN_CORRECTED_CHARS and not nothing_else:
                continue
            # Beside words that match, a word of the reader's own ("start", "status") is
            # likelier than a typo two letters away: only one slip is corrected there.
            close = nothing_else or len(concept.word) >= LONG_WORD_CHARS
            suggestion = self._suggest(concept.word, 2 if close else 1)
            if suggestion is not None:
                corrections[concept.word] = suggestion
        if not corrections:
            return plan
        concepts = tuple(
            self.planner.word(corrections[c.word]) if c.word in corrections and not c.alive else c
            for c in plan.concepts
        )
        return replace(plan, concepts=concepts, corrections=corrections)

    def _suggest(self, word: str, limit: int) -> str | None:
        """The pack word, or synonym key, closest to ``word``; the pack's own word on a tie."""
        found = [
            s
            for s in (self.lexicon.vocabulary.suggest(word), self._key_vocabulary.suggest(word))
            if s is not None and s not in self.stop_words
        ]
        distances = [(edit_distance(word, s, limit), i, s) for i, s in enumerate(found)]
        best = min(distances, default=None)
        return best[2] if best is not None and best[0] <= limit else None

    # -- what is shown -------------------------------------------------------------------------

    def _hits(self, plan: QueryPlan, ranked: Ranked, complete: int) -> list[Hit]:
        rows = self._index.section_rows([rowid for rowid, _ in ranked])
        ranked = _titles_first(plan, ranked[:complete], rows) + ranked[complete:]
        marker = marker_for(plan.concepts)
        hits = []
        for rowid, score in ranked:
            section_id, title, parent, body = rows[rowid]
            hits.append(
                Hit(section_id, title, parent, snippet_html(body, marker), round(-score, 4))
            )
        if plan.question and hits:
            texts = [rows[rowid][3] for rowid, _ in ranked[:ANSWER_SECTIONS]]
            parts = best_answer(texts, marker, self._weights(plan.concepts))
            if parts:
                hits[0] = replace(hits[0], answer_parts=parts)
        return hits

    def _weights(self, concepts: tuple[Concept, ...]) -> list[float]:
        """How much each concept says, from how often its words occur in the whole pack."""
        frequencies = self.lexicon.vocabulary.frequencies
        total = self._total_words
        out = []
        for concept in concepts:
            count = sum(frequencies.get(w, 0) for w in concept.marks | concept.synonym_marks)
            out.append(math.log(1 + (total - count + 0.5) / (count + 0.5)))
        return out

    def highlight_words(self, result: SearchResult) -> tuple[str, ...]:
        """Surface words of the pack that the query matched, stemmed forms and synonyms too."""
        plan = result.plan
        if plan is None or not result.hits:
            return ()
        words: set[str] = set()
        vocabulary = self.lexicon.vocabulary
        for concept in plan.concepts:
            words.update(concept.marks)
            words.update(concept.synonym_marks)
            if concept.prefix:
                completions = vocabulary.completions(
                    concept.prefix, limit=MAX_HIGHLIGHT_COMPLETIONS
                )
                words.update(completions)
                words.update(self.lexicon.forms(completions))
        return tuple(sorted(words, key=lambda w: (-len(w), w)))


def marker_for(concepts: tuple[Concept, ...]) -> Marker:
    """What to mark in snippets and answers: every word each concept matches in the pack."""
    return Marker(
        [c.marks | c.synonym_marks for c in concepts],
        {i: c.prefix for i, c in enumerate(concepts) if c.prefix},
    )


def _titles_first(
    plan: QueryPlan, ranked: Ranked, rows: dict[int, tuple[str, str, str | None, str]]
) -> Ranked:
    """A section whose title holds every word as typed, in order, comes first.

    "What is ketamine?" is the title of the guide's lead, although a word-by-word ranking
    puts shorter sections with "ketamine" in their titles above it. Stop words count here.
    """
    typed = plan.words
    if len(typed) < 2:
        return ranked
    width = len(typed)

    def holds(title: str) -> bool:
        words = [key_of([w]) for w in words_of(normalize(title))]
        return any(tuple(words[i : i + width]) == typed for i in range(len(words) - width + 1))

    first = [r for r in ranked if holds(rows[r[0]][1])]
    return first + [r for r in ranked if r not in first] if first else ranked


def _all(expressions: Iterable[str]) -> str:
    return " AND ".join(e for e in expressions if e)


def _corrected_query(raw: str, corrections: dict[str, str]) -> str:
    """The query as typed, with each corrected word replaced: what the results are for."""
    text = " ".join(normalize(raw).split())
    for wrong, right in corrections.items():
        text = re.sub(rf"(?<![^\W_]){re.escape(wrong)}(?![^\W_])", right, text, flags=re.I)
    return text
