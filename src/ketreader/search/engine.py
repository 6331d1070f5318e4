"""Search room: a typed query to ranked sections, the closest matches, snippets and an answer.

The engine reaches the index only through a few storage methods of SearchIndex (``rank``,
``matching``, ``section_rows``, ``vocabulary_rows``, ``stems``, ``section_count`` and
``language``), so the storage behind them can change.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ketreader.search.answers import SectionUnits, best_answer, prepared_units
from ketreader.search.lexicon import Lexicon
from ketreader.search.plan import Concept, Planner, QueryPlan
from ketreader.search.query import normalize, parse_query, words_of
from ketreader.search.ranking import Ranked, Ranking, Row
from ketreader.search.results import Hit, SearchResult
from ketreader.search.snippets import Marker, reading_line, snippet_beside, snippet_html
from ketreader.search.spelling import Vocabulary, edit_distance
from ketreader.search.stopwords import stop_words
from ketreader.search.synonyms import EMPTY, SynonymTable, key_of

if TYPE_CHECKING:
    from ketreader.search.index import SearchIndex

# Sections whose sentences weigh the words when choosing an answer.
ANSWER_SECTIONS = 5
# Words this short are corrected only when nothing else of the query matches: "uk" is not a
# misspelling of "up".
MIN_CORRECTED_CHARS = 4
NEVER_CORRECTED_BELOW = 3  # one or two letters are too few to guess from
# From this length, two slips in a word are corrected even beside words that match.
LONG_WORD_CHARS = 8
MAX_HIGHLIGHT_COMPLETIONS = 200
MAX_REMEMBERED = 4096  # spelling suggestions kept between keystrokes
MAX_REMEMBERED_SECTIONS = 512  # sections whose prepared text is kept between keystrokes


class SearchEngine:
    """Queries as people write them, over one pack's index, stop words and synonyms."""

    def __init__(
        self,
        index: SearchIndex,
        language: str | None = None,
        synonyms: SynonymTable = EMPTY,
    ) -> None:
        self._index = index
        self.lexicon = Lexicon(index.vocabulary_rows(), index.stems, index.section_count())
        self.synonyms = synonyms
        self.stop_words = stop_words(language)
        self.planner = Planner(self.lexicon, synonyms, self.stop_words, self._exists)
        keys = {k: 1 for k in synonyms.single_words() if k not in self.stop_words}
        self._key_vocabulary = Vocabulary(keys)
        self._total_words = sum(self.lexicon.vocabulary.frequencies.values())
        self._suggestions: dict[tuple[str, int], str | None] = {}
        self._texts = SectionTexts()

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
        ranking = Ranking(self._index, plan.concepts, limit)
        ranked, complete = ranking.run()
        suggestion = _corrected_query(raw, plan.corrections) if plan.corrections else None
        if not ranked:
            return SearchResult(raw, suggestion=suggestion, plan=plan)
        hits = tuple(self._hits(plan, ranking, ranked, complete))
        return SearchResult(raw, hits, suggestion, complete=min(complete, len(hits)), plan=plan)

    def _exists(self, expression: str) -> bool:
        return bool(self._index.matching(expression, 1))

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
            short = len(concept.word) < MIN_CORRECTED_CHARS
            if len(concept.word) < NEVER_CORRECTED_BELOW or (short and not nothing_else):
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
            self.planner.concept(corrections[c.word])
            if c.word in corrections and not c.alive
            else c
            for c in plan.concepts
        )
        return replace(plan, concepts=concepts, corrections=corrections)

    def _suggest(self, word: str, limit: int) -> str | None:
        """The pack word, or synonym key, closest to ``word``; the pack's own word on a tie.

        Remembered: while a question is typed, its earlier words are looked up again on
        every keystroke.
        """
        key = (word, limit)
        if key not in self._suggestions:
            if len(self._suggestions) > MAX_REMEMBERED:
                self._suggestions.clear()
            self._suggestions[key] = self._closest_word(word, limit)
        return self._suggestions[key]

    def _closest_word(self, word: str, limit: int) -> str | None:
        found = [
            s
            for s in (
                self.lexicon.vocabulary.suggest(word, limit),
                self._key_vocabulary.suggest(word, limit),
            )
            if s is not None and s not in self.stop_words
        ]
        distances = [(edit_distance(word, s, limit), i, s) for i, s in enumerate(found)]
        best = min(distances, default=None)
        return best[2] if best is not None and best[0] <= limit else None

    # -- what is shown -------------------------------------------------------------------------

    def _hits(self, plan: QueryPlan, ranking: Ranking, ranked: Ranked, complete: int) -> list[Hit]:
        rows = ranking.fetch(rowid for rowid, _ in ranked)
        ranked = _titles_first(plan, ranked[:complete], rows) + ranked[complete:]
        marker = marker_for(plan.concepts)
        texts = self._texts
        hits = []
        for rowid, score in ranked:
            section_id, title, parent, body = rows[rowid]
            snippet = snippet_html(texts.line(rowid, body), marker)
            hits.append(Hit(section_id, title, parent, snippet, round(-score, 4)))
        if plan.question and hits:
            units = [texts.units(r, rows[r][3]) for r, _ in ranked[:ANSWER_SECTIONS]]
            parts = best_answer(units, marker, self._weights(plan.concepts))
            if parts:
                top = replace(hits[0], answer_parts=parts)
                line = texts.line(ranked[0][0], rows[ranked[0][0]][3])
                assert top.answer is not None
                # The answer is shown above the snippet: the snippet shows something else.
                hits[0] = replace(top, snippet=snippet_beside(line, marker, top.answer))
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


class SectionTexts:
    """Each recent section's reading line and answer units, made once: while a query is
    typed, the same sections come back on every keystroke."""

    def __init__(self) -> None:
        self._lines: dict[int, str] = {}
        self._units: dict[int, SectionUnits] = {}

    def line(self, rowid: int, text: str) -> str:
        if rowid not in self._lines:
            if len(self._lines) > MAX_REMEMBERED_SECTIONS:
                self._lines.clear()
            self._lines[rowid] = reading_line(text)
        return self._lines[rowid]

    def units(self, rowid: int, text: str) -> SectionUnits:
        if rowid not in self._units:
            if len(self._units) > MAX_REMEMBERED_SECTIONS:
                self._units.clear()
            self._units[rowid] = prepared_units(text)
        return self._units[rowid]


@functools.lru_cache(maxsize=256)
def marker_for(concepts: tuple[Concept, ...]) -> Marker:
    """What to mark in snippets and answers: every word each concept matches in the pack.

    Kept for the last few queries: compiling its pattern costs as much as using it.
    """
    return Marker(
        [c.marks | c.synonym_marks for c in concepts],
        {i: c.prefix for i, c in enumerate(concepts) if c.prefix},
    )


def _titles_first(plan: QueryPlan, ranked: Ranked, rows: dict[int, Row]) -> Ranked:
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


def _corrected_query(raw: str, corrections: dict[str, str]) -> str:
    """The query as typed, with each corrected word replaced: what the results are for."""
    text = " ".join(normalize(raw).split())
    for wrong, right in corrections.items():
        text = re.sub(rf"(?<![^\W_]){re.escape(wrong)}(?![^\W_])", right, text, flags=re.I)
    return text
