"""Search room: British/American spelling folds and "did you mean" suggestions."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

_T = TypeVar("_T")

# Each fold maps both spellings to one key; only words that really occur in the pack are
# ever searched for, so an over-eager fold costs nothing unless two real words collide.
_FOLD_RULES = (
    (r"ae", "e"),  # anaesthesia, haemorrhage, paediatric, leukaemia
    (r"oe(?=[a-z])", "e"),  # oesophagus, oedema, foetus, diarrhoea
    (r"(?<=[a-z]{3})our(?=$|s$|ed$|ing$|al$|ite$|able$|ful$)", "or"),  # tumour, colour
    (r"is(?=e$|es$|ed$|ing$|ation$|ations$|er$|ers$)", "iz"),  # organise, organisation
    (r"ys(?=e$|es$|ed$|ing$)", "yz"),  # analyse, paralyse
    (r"(?<=[a-z]{2})tre(?=$|s$)", "ter"),  # centre, litre, theatre
    (r"ogue(?=$|s$)", "og"),  # catalogue, analogue
    (r"(?<=[a-z]{2})ence(?=$|s$)", "ense"),  # licence, defence
    (r"sulph", "sulf"),  # sulphate
    (r"gramme(?=$|s$)", "gram"),  # programme
)


@functools.cache
def _folds() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), r) for p, r in _FOLD_RULES)


_FOLD_EXCEPTIONS = {"detour", "contour", "devour", "flour"}


def fold(word: str) -> str:
    """The spelling-variant key of a lower-case word."""
    if word in _FOLD_EXCEPTIONS:
        return word
    for pattern, replacement in _folds():
        word = pattern.sub(replacement, word)
    return word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """The pack's own words with their frequencies, for variants, prefixes and suggestions."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self._sorted = sorted(frequencies)
        self._folded = sorted((fold(w), w) for w in frequencies)
        self._by_fold: dict[str, list[str]] = {}
        for key, word in self._folded:
            self._by_fold.setdefault(key, []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.frequencies

    def variants(self, word: str) -> list[str]:
        """The word itself plus every spelling of it that occurs in the pack."""
        return [word, *(w for w in self._by_fold.get(fold(word), ()) if w != word)]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """The most frequent pack words that start with ``prefix`` in either spelling."""
        found = set(_scan(self._sorted, prefix, lambda w: w))
        key = fold(prefix)
        found.update(w for _, w in _scan(self._folded, key, lambda pair: pair[0]))
        return sorted(found, key=lambda w: (-self.frequencies[w], w))[:limit]

    def suggest(self, word: str) -> str | None:
        """The closest pack word to a word that matched nothing, preferring frequent words."""
        limit = 1 if len(word) <= 4 else 2
        best: tuple[int, int, str] | None = None
        for candidate in self._candidates(word, limit):
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self.frequencies[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def _candidates(self, word: str, limit: int) -> Iterable[str]:
        # A typo rarely hits both of the first two letters, so scanning the words that share
        # either keeps a large vocabulary cheap.
        for head in {word[:1], word[1:2]} - {""}:
            for candidate in _scan(self._sorted, head, lambda w: w):
                if abs(len(candidate) - len(word)) <= limit:
                    yield candidate


def _scan(items: list[_T], prefix: str, key: Callable[[_T], str]) -> Iterator[_T]:
    """Items of a list sorted by ``key`` whose key starts with ``prefix``."""
    start = bisect.bisect_left(items, prefix, key=key)
    for item in itertools.islice(items, start, None):
        if not key(item).startswith(prefix):
            return
        yield item
