"""UI room: the section sidebar, a tree view that reports which section was chosen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from ketreader.render.model import Section
from ketreader.ui.section_model import SECTION_ID_ROLE, SectionModel

# Entries unfolded before the first paint (more than a window shows), then per event-loop turn.
FIRST_UNFOLD = 64
LATER_UNFOLD = 500


class Sidebar(QTreeView):
    """Outline of the pack; activating an entry emits its section id."""

    section_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName("Sections")
        self.setAccessibleDescription("Outline of the guide. Press Enter to read a section.")
        self._model: SectionModel | None = None
        self._offered: SectionModel | None = None
        self._generation = 0  # which outline is being unfolded
        self._turns = 0  # unfolding turns of this outline waiting on the event loop
        # The current entry, shown while entries are left to unfold: each turn brings it
        # back into sight, as the unfolding (or the status bar's arrival) may push it out.
        self._reveal: QPersistentModelIndex | None = None
        self.clicked.connect(self._on_activated)
        self.activated.connect(self._on_activated)

    def set_sections(self, sections: tuple[Section, ...]) -> None:
        offered, self._offered = self._offered, None
        if offered is not None and getattr(offered, "source", None) is sections:
            self.set_model(offered)  # built already: a big outline is not built twice
            return
        self.set_model(SectionModel(sections, self))

    def offer(self, model: SectionModel) -> None:
        """The model to use if the next set_sections is given the very sections it holds."""
        self._offered = model

    def set_model(self, model: SectionModel) -> None:
        """Show ``model``'s outline (a pack being prepared brings one that grows)."""
        self._model = model
        self.setModel(self._model)
        self._generation += 1
        self._turns = 0
        self._reveal = None
        self._unfold(self._generation, [QModelIndex()], FIRST_UNFOLD)

    def unfold(self, index: QModelIndex) -> None:
        """Unfold ``index`` and what is under it, as a new outline's entries are.

        The caller keeps the entries in sight where they are (``holding_still``): once
        around many unfolds, rather than once for each.
        """
        self._unfold(self._generation, [index], LATER_UNFOLD)

    def _unfold(
        self, generation: int, pending: list[QModelIndex], budget: int, hold: bool = False
    ) -> None:
        """Unfold every entry that has entries under it, and only those, in reading order.

        expandAll() marks leaves as expanded too, and Qt tells assistive technology so: a
        screen reader would then say "expanded" on every section, as if each had questions.
        The first entries, all a window shows, unfold at once; a big pack's others in later
        turns of the event loop, so thousands of them do not hold up the first paint.
        """
        if generation != self._generation:
            return  # another pack's outline has replaced this one
        if hold:
            self._turns -= 1  # this is a later turn
        model = self.model()
        # Entries unfolded above the view would push what the reader sees out of it, and
        # an entry shown by show_section before the entries above it were unfolded.
        seen = self.seen_entry() if hold else None
        while pending and budget > 0:
            parent = pending.pop()
            children = [model.index(row, 0, parent) for row in range(model.rowCount(parent))]
            for index in reversed(children):
                if model.rowCount(index):
                    pending.append(index)
            if parent.isValid():
                self.setExpanded(parent, True)
                budget -= 1
        if seen is not None:
            self.put_back(seen)
        reveal = self._reveal
        if reveal is not None and reveal.isValid():
            self.scrollTo(reveal.model().index(reveal.row(), reveal.column(), reveal.parent()))
        if pending:
            self._turns += 1
            QTimer.singleShot(0, lambda: self._unfold(generation, pending, LATER_UNFOLD, True))
        elif not self._turns:
            self._reveal = None

    # -- keeping what the reader sees in place -------------------------------------------------

    def seen_entry(self) -> tuple[QPersistentModelIndex, int] | None:
        """The entry the reader sees and its height in the view: the current entry if it
        is in sight, else the one at the top."""
        current = self.currentIndex()
        if current.isValid():
            rect = self.visualRect(current)
            if rect.height() > 0 and 0 <= rect.top() < self.viewport().height():
                return QPersistentModelIndex(current), rect.top()
        top = self.indexAt(QPoint(0, 0))
        if not top.isValid():
            return None
        return QPersistentModelIndex(top), self.visualRect(top).top()

    def put_back(self, seen: tuple[QPersistentModelIndex, int]) -> None:
        """Scroll so that the entry ``seen_entry`` gave is where it was in the view."""
        kept, where = seen
        if not kept.isValid():
            return  # its row was removed: nothing to hold on to
        index = kept.model().index(kept.row(), kept.column(), kept.parent())
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        rect = self.visualRect(index)
        gap = where - rect.top()
        if gap and rect.height() > 0:
            if self.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
                gap = int(gap / rect.height())  # the scroll bar counts rows
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - gap)

    @contextmanager
    def holding_still(self) -> Iterator[None]:
        """Entries inserted or unfolded above the view meanwhile do not move what is seen."""
        seen = self.seen_entry()
        yield
        if seen is not None:
            self.put_back(seen)

    def seen_section(self) -> tuple[str, int] | None:
        """``seen_entry`` by section id, to find it again in another pack's outline."""
        seen = self.seen_entry()
        if seen is None:
            return None
        section_id = seen[0].data(SECTION_ID_ROLE)
        return (section_id, seen[1]) if isinstance(section_id, str) else None

    def put_section_back(self, section_id: str, where: int) -> None:
        """Show the entry of ``section_id`` at ``where`` in the view, as it was."""
        if self._model is None:
            return
        index = self._model.index_of(section_id)
        if index.isValid():
            self._reveal = None  # where the reader had scrolled wins over the current entry
            self.put_back((QPersistentModelIndex(index), where))

    def current_section_id(self) -> str | None:
        value = self.currentIndex().data(SECTION_ID_ROLE)
        return value if isinstance(value, str) else None

    def show_section(self, section_id: str) -> None:
        """Mark ``section_id`` as current without emitting section_activated."""
        if self._model is None or self.current_section_id() == section_id:
            return
        index = self._model.index_of(section_id)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)
            if self._turns:
                self._reveal = QPersistentModelIndex(index)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        section_id = index.data(SECTION_ID_ROLE)
        if isinstance(section_id, str):
            self.section_activated.emit(section_id)
