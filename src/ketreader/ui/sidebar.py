"""UI room: the section sidebar, a tree view that reports which section was chosen."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from ketreader.render.model import Section
from ketreader.ui.section_model import SECTION_ID_ROLE, SectionModel


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
        self.clicked.connect(self._on_activated)
        self.activated.connect(self._on_activated)

    def set_sections(self, sections: tuple[Section, ...]) -> None:
        self._model = SectionModel(sections, self)
        self.setModel(self._model)
        self._expand_parents(QModelIndex())

    def _expand_parents(self, parent: QModelIndex) -> None:
        """Unfold every entry that has entries under it, and only those.

        expandAll() marks leaves as expanded too, and Qt tells assistive technology so: a
        screen reader would then say "expanded" on every section, as if each had questions.
        """
        model = self.model()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if model.rowCount(index):
                self.setExpanded(index, True)
                self._expand_parents(index)

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
