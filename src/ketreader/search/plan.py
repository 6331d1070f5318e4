"""Search room: what a typed query asks for, as concepts: typed words, their spellings, synonyms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from ketreader.search.lexicon import Lexicon
from ketreader.search.query import Term, quote, words_of
from ketreader.search.stopwords import is_stop_word
from ketreader.search.synonyms import SynonymTable, key_of

# Completions of a prefix searched by name; past this many the prefix itself is searched.
MAX_EXACT_COMPLETIONS = 8
# Synonym keys a prefix may complete to while typing ("addic" -> addictive -> dependence).
MAX_PREFIX_KEYS = 8
# Pack words a prefix marks in snippets beyond the prefix itself (its other spellings).
MAX_MARKED_COMPLETIONS = 50
MAX_REMEMBERED = 4096  # concepts kept between keystrokes

# Whether an FTS5 expression matches any section: for phrases, whose words may all be in the
# pack without ever standing together.
Exists = Callable[[str], bool]


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: the words as typed, or any of the pack's synonyms for them.

    ``typed`` and ``synonyms`` are FTS5 alternatives; ``marks`` and ``synonym_marks`` are the
    surface words of the pack that they match, for snippets, answers and highlights.
    """

    label: str
    typed: tuple[str, ...]
    typed_alive: bool
    marks: frozenset[str] = frozenset()
    synonyms: tuple[str, ...] = ()
    synonyms_alive: bool = False
    synonym_marks: frozenset[str] = frozenset()
    prefix: str | None = None  # the last word while typing, matched as a prefix
    word: str | None = None  # a single bare word, which a spelling suggestion may replace
    cost: int = 0  # about how many sections hold its words: what bm25 must score

    @property
    def alive(self) -> bool:
        """True when something in the pack can match this concept."""
        return self.typed_alive or self.synonyms_alive

    def expression(self, typed_only: bool = False) -> str:
        """The FTS5 expression for this concept; empty when nothing of it can match."""
        parts = list(self.typed if self.typed_alive else ())
        if not typed_only and self.synonyms_alive:
            parts += [s for s in self.synonyms if s not in parts]
        if len(parts) <= 1:
            return "".join(parts)
        return "(" + " OR ".join(parts) + ")"


@dataclass(frozen=True)
class QueryPlan:
    """The concepts of a query, the stop words left out of it, and what kind of query it is."""

    raw: str
    concepts: tuple[Concept, ...] = ()
    dropped: tuple[str, ...] = ()
    question: bool = False
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> replacement
    words: tuple[str, ...] = ()  # every word typed outside quotes, stop words included

    @property
    def only_common_words(self) -> bool:
        return not self.concepts and bool(self.dropped)


class Planner:
    """Turns parsed terms into concepts against one pack's words, synonyms and stop words."""

    def __init__(
        self,
        lexicon: Lexicon,
        synonyms: SynonymTable,
        stop_words: frozenset[str],
        exists: Exists,
    ) -> None:
        self.lexicon = lexicon
        self.synonyms = synonyms
        self.stop_words = stop_words
        self._exists = exists
        self._longest_key = synonyms.longest
        self._made: dict[tuple[object, ...], Concept] = {}
        self._single_keys = synonyms.single_words()

    def plan(self, raw: str, terms: list[Term]) -> QueryPlan:
        concepts: list[Concept] = []
        dropped: list[str] = []
        i = 0
        while i < len(terms):
            term = terms[i]
            if term.phrase:
                make = partial(self._phrase, term.words, term.prefix)
                concepts.append(self._remembered(("phrase", term.words, term.prefix), make))
                i += 1
                continue
            span, key = self._key_at(terms, i)
            if key:
                words = tuple(w for t in terms[i : i + span] for w in t.words)
                prefix = span == 1 and term.prefix
                make = partial(self._keyed, words, key, prefix)
                # Tagged: a key may be spelled like a tag ("phrase", "word").
                concepts.append(self._remembered(("key", key, words, prefix), make))
                i += span
                continue
            word = term.words[0]
            if is_stop_word(word, self.stop_words):
                dropped.append(word)
            else:
                concepts.append(self.concept(word, term.prefix))
            i += 1
        question = raw.rstrip().endswith("?") or bool(dropped and concepts)
        typed = tuple(key_of([w]) for t in terms for w in t.words)
        return QueryPlan(raw, tuple(concepts), tuple(dropped), question, words=typed)

    def concept(self, word: str, prefix: bool = False) -> Concept:
        """The concept of one typed word, with its cost."""
        return self._remembered(("word", word, prefix), partial(self.word, word, prefix))

    def _remembered(self, key: tuple[object, ...], make: Callable[[], Concept]) -> Concept:
        """A concept made once: while a query is typed, its words come back on every key."""
        found = self._made.get(key)
        if found is None:
            if len(self._made) > MAX_REMEMBERED:
                self._made.clear()
            found = self._made[key] = self.costed(make())
        return found

    def costed(self, concept: Concept) -> Concept:
        """The concept with its cost: about how many sections hold its words."""
        lexicon = self.lexicon
        frequencies = lexicon.vocabulary.frequencies
        cost = sum(
            lexicon.spread(frequencies.get(w, 0)) for w in concept.marks | concept.synonym_marks
        )
        if concept.prefix and any(t.endswith("*") for t in concept.typed):
            cost += lexicon.spread(lexicon.vocabulary.prefix_count(concept.prefix))
        return replace(concept, cost=cost)

    def _key_at(self, terms: list[Term], start: int) -> tuple[int, str]:
        """The longest run of bare words from ``start`` that is a synonym key, if any."""
        longest = min(self._longest_key, len(terms) - start)
        for span in range(longest, 0, -1):
            run = terms[start : start + span]
            if any(t.phrase for t in run):
                continue
            key = key_of([w for t in run for w in t.words])
            if key in self.synonyms.entries:
                return span, key
        return 0, ""

    # -- concepts ----------------------------------------------------------------------------

    def word(self, word: str, prefix: bool) -> Concept:
        """A bare word: itself and its spellings in the pack, or a prefix while typing."""
        pieces = [p for p in word.replace("’", "'").split("-") if p]
        if len(pieces) > 1:  # record-keeping: the phrase of its parts, the last one a prefix
            *whole, last = pieces
            alive = all(self.lexicon.in_pack(p) for p in whole) and (
                bool(self.lexicon.vocabulary.completions(last, 1))
                if prefix
                else self.lexicon.in_pack(last)
            )
            expression = quote(word) + ("*" if prefix else "")
            return Concept(word, (expression,), alive, self._marks(pieces))
        if prefix:
            return self._prefix(word)
        key = key_of([word])
        if key in self.synonyms.entries:
            return self._keyed((word,), key, prefix=False)
        return self._bare(word)

    def _prefix(self, word: str) -> Concept:
        vocabulary = self.lexicon.vocabulary
        completions = vocabulary.completions(word, limit=MAX_EXACT_COMPLETIONS + 1)
        if 0 < len(completions) <= MAX_EXACT_COMPLETIONS:
            # Every pack word with this prefix, by name: an exact term ranks much faster than
            # a prefix scan of the index, and matches the same sections.
            typed = tuple(quote(c) for c in completions)
        else:
            typed = (*(quote(c) for c in self._uncovered(word)), quote(word) + "*")
        marks = set(vocabulary.completions(word, limit=MAX_MARKED_COMPLETIONS))
        whole = self.lexicon.in_pack(word)  # "regulated": no completion, but its stem matches
        if whole:
            marks |= self.lexicon.forms([word])
        keys = [k for k in self._single_keys if k.startswith(word)][:MAX_PREFIX_KEYS]
        values = tuple(dict.fromkeys(v for k in keys for v in self.synonyms.get(k)))
        synonyms_alive, synonyms, synonym_marks = self._synonym_parts(values)
        return Concept(
            word,
            typed,
            bool(completions) or whole,
            frozenset(marks),
            synonyms,
            synonyms_alive,
            synonym_marks,
            prefix=word,
            word=word,
        )

    def _uncovered(self, prefix: str) -> list[str]:
        """Pack words starting with ``prefix`` that the stemmed prefix query would miss.

        FTS5 stems a prefix term too: "hospita"* becomes hospita*, which misses "hospitals"
        (stored as hospit), so such words are added by name. Words the prefix query already
        covers are left out: every extra OR branch is another full posting list to rank.
        """
        completions = self.lexicon.vocabulary.completions(prefix)
        if not completions:
            return []
        stems = self.lexicon.stems([prefix, *completions])
        stem = stems[prefix]
        return [w for w in completions if not stems[w].startswith(stem)]

    def _phrase(self, words: tuple[str, ...], prefix: bool = False) -> Concept:
        """Words side by side; with ``prefix``, the last one still being typed."""
        text = " ".join(words)
        if not prefix:
            expression = quote(text)
            alive = all(self.lexicon.in_pack(w) for w in words) and (
                len(words) == 1 or self._exists(expression)
            )
            return Concept(text, (expression,), alive, self._marks(words))
        *whole, last = words
        # As for a bare prefix, the words the stemmed prefix misses are added by name.
        typed = (
            *(quote(" ".join([*whole, w])) for w in self._uncovered(last)),
            quote(text) + "*",
        )
        completions = self.lexicon.vocabulary.completions(last, limit=MAX_MARKED_COMPLETIONS)
        alive = (
            bool(completions)
            and all(self.lexicon.in_pack(w) for w in whole)
            and self._exists(" OR ".join(typed))
        )
        marks = self._marks(whole) | frozenset(completions)
        return Concept(text, typed, alive, marks)

    def _keyed(self, words: tuple[str, ...], key: str, prefix: bool) -> Concept:
        """Words that are a synonym key: the words as typed, or any of the key's values."""
        if prefix:  # the prefix completes to this key and any longer ones, values and all
            return self._prefix(words[0])
        base = self._bare(words[0]) if len(words) == 1 else self._phrase(words)
        alive, synonyms, marks = self._synonym_parts(self.synonyms.get(key))
        return Concept(
            base.label,
            base.typed,
            base.typed_alive,
            base.marks,
            synonyms,
            alive,
            marks,
            word=base.word,
        )

    def _bare(self, word: str) -> Concept:
        variants = self.lexicon.vocabulary.variants(word)
        alive = any(self.lexicon.in_pack(v) for v in variants)
        return Concept(
            word, tuple(quote(v) for v in variants), alive, self._marks(variants), word=word
        )

    def _synonym_parts(
        self, values: tuple[str, ...]
    ) -> tuple[bool, tuple[str, ...], frozenset[str]]:
        if not values:
            return False, (), frozenset()
        live: list[str] = []
        words: list[str] = []
        for value in values:
            parts = words_of(value.replace("-", " "))
            if parts and all(self.lexicon.in_pack(p) for p in parts):
                live.append(quote(value))
                words.extend(parts)
        return bool(live), tuple(live), self._marks(words)

    def _marks(self, words: list[str] | tuple[str, ...]) -> frozenset[str]:
        vocabulary = self.lexicon.vocabulary
        found = self.lexicon.forms(words)
        found.update(w for w in words if w in vocabulary)
        return frozenset(found)
