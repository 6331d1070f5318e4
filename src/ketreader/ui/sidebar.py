"""UI room: the section sidebar, a tree view that reports which section was chosen."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Signal, Slot
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
        self._unfold(self._generation, [QModelIndex()], FIRST_UNFOLD)

    def unfold(self, index: QModelIndex) -> None:
        """Unfold ``index`` and what is under it, as a new outline's entries are."""
        self._unfold(self._generation, [index], LATER_UNFOLD)

    def _unfold(self, generation: int, pending: list[QModelIndex], budget: int) -> None:
        """Unfold every entry that has entries under it, and only those, in reading order.

        expandAll() marks leaves as expanded too, and Qt tells assistive technology so: a
        screen reader would then say "expanded" on every section, as if each had questions.
        The first entries, all a window shows, unfold at once; a big pack's others in later
        turns of the event loop, so thousands of them do not hold up the first paint.
        """
        if generation != self._generation:
            return  # another pack's outline has replaced this one
        model = self.model()
        while pending and budget > 0:
            parent = pending.pop()
            children = [model.index(row, 0, parent) for row in range(model.rowCount(parent))]
            for index in reversed(children):
                if model.rowCount(index):
                    pending.append(index)
            if parent.isValid():
                self.setExpanded(parent, True)
                budget -= 1
        if pending:
            QTimer.singleShot(0, lambda: self._unfold(generation, pending, LATER_UNFOLD))

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

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        section_id = index.data(SECTION_ID_ROLE)
        if isinstance(section_id, str):
            self.section_activated.emit(section_id)
