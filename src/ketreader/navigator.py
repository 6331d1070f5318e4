"""Navigation room: where the reader is and can go: history, sections, anchors, links; no Qt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from ketreader.deeplink import section_from_link
from ketreader.history import History
from ketreader.render.model import Mark, Section


class Place(NamedTuple):
    """A section as the view shows it: its document, and the anchor at its start."""

    section_id: str
    document: int
    anchor: str | None  # None: the top of the document


class Navigator:
    """Sections in reading order, back and forward, and what a link or deep link points at."""

    def __init__(
        self, sections: Sequence[Section], marks_of: Callable[[int], Sequence[Mark]]
    ) -> None:
        self._sections = {s.id: s for s in sections}
        self._order = [s.id for s in sections]
        self._position = {section_id: i for i, section_id in enumerate(self._order)}
        self._marks_of = marks_of
        self.history = History()

    @property
    def home(self) -> str:
        """The first section: the guide's title and lead."""
        return self._order[0]

    def place(self, link: str) -> Place | None:
        """Where a section id, or a ``ketreader://section/ID`` link, points; None if nowhere."""
        section = self._sections.get(section_from_link(link.strip()))
        if section is None:
            return None
        anchor = next(
            (m.anchor for m in self._marks_of(section.document) if m.section_id == section.id),
            None,
        )
        return Place(section.id, section.document, anchor)

    def step(self, current: str | None, step: int) -> str | None:
        """The section ``step`` places after ``current`` in reading order, if there is one."""
        index = self._position.get(current or "", -1)
        target = index + step
        return self._order[target] if index >= 0 and 0 <= target < len(self._order) else None

    def visit(self, section_id: str) -> None:
        self.history.visit(section_id)

    def remember(self, here: str | None) -> None:
        """Reading by scrolling counts as a place: keep it before going somewhere else."""
        if here and self.history.current is not None:
            self.history.visit(here)

    def back(self, here: str | None) -> str | None:
        """The place before ``here``, which is remembered first."""
        self.remember(here)
        return self.history.back()

    def forward(self) -> str | None:
        return self.history.forward()

    def can_go_back(self, here: str | None) -> bool:
        """Whether Back leads somewhere: an earlier place, or the one scrolled away from."""
        current = self.history.current
        return self.history.can_go_back or bool(here and current and here != current)

    @property
    def can_go_forward(self) -> bool:
        return self.history.can_go_forward
