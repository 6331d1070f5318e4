"""Search room: British/American spelling folds and "did you mean" suggestions."""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

_T = TypeVar("_T")
# Words measured letter by letter for a two-slip suggestion, the most frequent first.
MAX_MEASURED = 300
# Words in one letter's part of the one-slip index, the most frequent first.
MAX_INDEXED_WORDS = 20_000
# Up to this length one slip at most: two changed letters in "kill" or "drive" make another
# word ("kids", "derives"), not a misspelling of this one.
ONE_SLIP_MAX_CHARS = 5

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


# Words the "our" rule would fold that are no British spelling ("flour" has too few letters
# before "our" to be folded at all).
_FOLD_EXCEPTIONS = {"detour", "contour", "devour"}


def fold(word: str) -> str:
    """The spelling-variant key of a lower-case word."""
    if word in _FOLD_EXCEPTIONS:
        return word
    for pattern, replacement in _folds():
        word = pattern.sub(replacement, word)
    return word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (returning limit + 1) past ``limit``.

    Only the band of cells within ``limit`` of the diagonal can stay within the limit, so
    only those are computed, after the common start and end are set aside.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if not a or not b:
        return len(a) + len(b) if len(a) + len(b) <= limit else limit + 1
    over = limit + 1
    width = len(b)
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        low, high = max(1, i - limit), min(width, i + limit)
        current = [over] * (width + 1)
        if i <= limit:
            current[0] = i
        best = current[0]
        for j in range(low, high + 1):
            cb = b[j - 1]
            value = previous[j - 1] + (ca != cb)
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            if (
                i > 1
                and j > 1
                and ca == b[j - 2]
                and a[i - 2] == cb
                and previous2[j - 2] + 1 < value
            ):
                value = previous2[j - 2] + 1
            current[j] = value if value < over else over
            if value < best:
                best = value
        if best > limit:
            return over
        previous2, previous = previous, current
    return previous[width] if previous[width] <= limit else over


class Vocabulary:
    """The pack's own words with their frequencies, for variants, prefixes and suggestions."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self._sorted = sorted(frequencies)
        self._cumulative = [0, *itertools.accumulate(frequencies[w] for w in self._sorted)]
        self._delete_index: dict[str, dict[str, tuple[str, ...]]] = {}
        self._by_second: dict[str, list[str]] | None = None
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

    def prefix_count(self, prefix: str) -> int:
        """How often words starting with ``prefix`` occur in the pack, all of them together."""
        start = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\U0010ffff")
        return self._cumulative[end] - self._cumulative[start]

    def suggest(self, word: str, limit: int | None = None) -> str | None:
        """The closest pack word to a word that matched nothing, preferring frequent words.

        ``limit`` is the most slips allowed, never more than one for words of up to five
        letters and by default two for longer ones. A suggestion keeps the first letter (or
        swaps the first two): typists rarely miss it, and a word with another first letter
        ("last", "fast"; "take", "make") is usually another word, not a slip. One slip is
        found through an index of the words with one letter deleted; two, by measuring the
        most frequent words that share a leading letter.
        """
        if word in self.frequencies:
            return None
        most = 1 if len(word) <= ONE_SLIP_MAX_CHARS else 2
        limit = most if limit is None else min(limit, most)
        found = self._one_slip(word)
        if found is not None or limit < 2:
            return found
        best: tuple[int, int, str] | None = None
        for candidate in self._candidates(word, limit):
            if not _same_start(word, candidate):
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self.frequencies[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None

    def _one_slip(self, word: str) -> str | None:
        """The most frequent pack word one slip from ``word``, which is not a pack word."""
        found: set[str] = set()
        for key in {word, *_deletions(word)}:
            if key:
                found.update(self._deletes(key[0]).get(key, ()))
        near = [c for c in found if _same_start(word, c) and edit_distance(word, c, 1) <= 1]
        return min(near, key=lambda c: (-self.frequencies[c], c)) if near else None

    def _deletes(self, head: str) -> dict[str, tuple[str, ...]]:
        """Pack words, and pack words with one letter deleted, that start with ``head``, to
        the pack words they come from.

        Two words one slip apart (a letter added, dropped, changed or two swapped) always
        share an entry, and it starts with the first or second letter of either. Made for
        one starting letter at a time, when a misspelling first needs it.
        """
        index = self._delete_index.get(head)
        if index is None:
            if self._by_second is None:
                self._by_second = {}
                for candidate in self._sorted:
                    self._by_second.setdefault(candidate[1:2], []).append(candidate)
            start = bisect.bisect_left(self._sorted, head)
            end = bisect.bisect_left(self._sorted, head + "\U0010ffff")
            pool = self._sorted[start:end] + self._by_second.get(head, [])
            if len(pool) > MAX_INDEXED_WORDS:
                pool = heapq.nlargest(MAX_INDEXED_WORDS, pool, key=self.frequencies.__getitem__)
            building: dict[str, list[str]] = {}
            for candidate in pool:
                for key in {candidate, *_deletions(candidate)}:
                    if key[:1] == head:
                        building.setdefault(key, []).append(candidate)
            index = self._delete_index[head] = {k: tuple(v) for k, v in building.items()}
        return index

    def _candidates(self, word: str, limit: int) -> Iterable[str]:
        # A typo rarely hits both of the first two letters, so the words that share either,
        # the most frequent first and a bounded number of them, keep a large vocabulary cheap.
        near: list[str] = []
        for head in {word[:1], word[1:2]} - {""}:
            for candidate in _scan(self._sorted, head, lambda w: w):
                if abs(len(candidate) - len(word)) <= limit:
                    near.append(candidate)
        if len(near) > MAX_MEASURED:
            near = heapq.nlargest(MAX_MEASURED, near, key=self.frequencies.__getitem__)
        return near


def _same_start(word: str, candidate: str) -> bool:
    """Whether ``candidate`` starts as ``word`` does, or with its first two letters swapped."""
    return candidate[:1] == word[:1] or (
        len(word) > 1 and len(candidate) > 1 and candidate[:2] == word[1::-1]
    )


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _scan(items: list[_T], prefix: str, key: Callable[[_T], str]) -> Iterator[_T]:
    """Items of a list sorted by ``key`` whose key starts with ``prefix``."""
    start = bisect.bisect_left(items, prefix, key=key)
    for item in itertools.islice(items, start, None):
        if not key(item).startswith(prefix):
            return
        yield item
