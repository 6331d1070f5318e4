"""Reading room: which section is being read, from where its runs start on the page; no Qt."""

from __future__ import annotations

from collections.abc import Callable, Sequence


class ScrollSpy:
    """Finds the section at a point of the page by binary search over where runs start.

    ``top_of(i)`` tells where run ``i`` starts (a pixel or a character position), or None
    when that part of the document is not laid out yet. Runs are in reading order, so tops
    never decrease, and a run that is not laid out lies below everything that is: asking
    never forces a layout, and costs O(log n) lookups however long the document.
    """

    def __init__(self, sections: Sequence[str], top_of: Callable[[int], float | None]) -> None:
        self._sections = list(sections)
        self._top_of = top_of

    def __len__(self) -> int:
        return len(self._sections)

    def section_at(self, point: float) -> str | None:
        """The section of the last run that starts at or above ``point``; the first if none."""
        if not self._sections:
            return None
        low, high = 0, len(self._sections)
        while low < high:  # the first run that starts below the point
            middle = (low + high) // 2
            top = self._top_of(middle)
            if top is not None and top <= point:
                low = middle + 1
            else:
                high = middle
        return self._sections[max(low - 1, 0)]


def from_positions(marks: Sequence[tuple[int, str]]) -> ScrollSpy:
    """A spy over fixed run starts, (position, section id) pairs in any order."""
    ordered = sorted(marks)
    positions = [float(p) for p, _ in ordered]
    return ScrollSpy([s for _, s in ordered], lambda i: positions[i])
