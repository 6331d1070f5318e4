"""Search room: the pack's words, their stems and spellings, for planning and marking a query."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from ketreader.search.spelling import Vocabulary

_MAX_CACHED_STEMS = 20_000

# Rows of the index's word table: (word, frequency, stem), as the index's tokenizer made them.
WordRow = tuple[str, int, str]
# The index's own stemmer: the stem of each word, as FTS5 computes it when matching.
Stemmer = Callable[[list[str]], dict[str, str]]


class Lexicon:
    """Every word of the pack with its stem; stems of other words come from the index."""

    def __init__(self, rows: Iterable[WordRow], stemmer: Stemmer, sections: int = 0) -> None:
        frequencies: dict[str, int] = {}
        self._stem_of: dict[str, str] = {}
        self._by_stem: dict[str, list[str]] = {}
        for word, frequency, stem in rows:
            frequencies[word] = frequency
            self._stem_of[word] = stem
            self._by_stem.setdefault(stem, []).append(word)
        self.vocabulary = Vocabulary(frequencies)
        self._stemmer = stemmer
        self._probed: dict[str, str] = {}
        self.sections = sections

    def spread(self, occurrences: int) -> int:
        """About how many sections hold a word that occurs this often in the pack.

        As if its occurrences fell at random (a Poisson estimate): real words cluster in
        fewer sections, so this errs high, which is the safe side for a cost.
        """
        if self.sections <= 0:
            return occurrences
        return round(self.sections * -math.expm1(-occurrences / self.sections))

    def stems(self, words: Iterable[str]) -> dict[str, str]:
        """The index's stem of each word; words of the pack need no trip to the index."""
        out: dict[str, str] = {}
        unknown: list[str] = []
        for word in dict.fromkeys(words):
            stem = self._stem_of.get(word) or self._probed.get(word)
            if stem is None:
                unknown.append(word)
            else:
                out[word] = stem
        if unknown:
            if len(self._probed) > _MAX_CACHED_STEMS:
                self._probed.clear()
            found = self._stemmer(unknown)
            for word in unknown:
                stem = found.get(word, word)
                self._probed[word] = stem
                out[word] = stem
        return out

    def stem(self, word: str) -> str:
        return self.stems([word])[word]

    def in_pack(self, word: str) -> bool:
        """True when the index matches ``word``: the pack has a word of the same stem."""
        return word in self._stem_of or self.stem(word) in self._by_stem

    def forms(self, words: Iterable[str]) -> set[str]:
        """Every pack word sharing a stem with one of ``words``: what matching them finds."""
        found: set[str] = set()
        for stem in set(self.stems(words).values()):
            found.update(self._by_stem.get(stem, ()))
        return found

    def stem_in_pack(self, stem: str) -> bool:
        return stem in self._by_stem
