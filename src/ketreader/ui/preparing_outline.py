"""UI room: the sidebar's outline of a pack being prepared, growing as documents finish."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush

from ketreader.partial_library import is_stand_in
from ketreader.render.model import Section
from ketreader.render.outline import OutlineNode, build_outline
from ketreader.ui.section_model import DISPLAY_ROLE, SectionModel

FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole, as a plain int (see section_model.py)


class GrowingSectionModel(SectionModel):
    """The outline with one greyed entry per unfinished document, replaced by the document's
    own entries when it finishes: rows are removed and inserted, so the tree's expansion,
    selection and scroll position stay as the reader left them."""

    def __init__(self, sections: tuple[Section, ...], muted: QBrush, parent: Any = None) -> None:
        super().__init__(sections, parent)
        self.source = sections  # what it was built from (Sidebar.offer)
        self._muted = muted

    def replace(self, stand_in: str, sections: tuple[Section, ...]) -> QModelIndex | None:
        """Put ``sections`` (one document's) where the stand-in entry is.

        The index of the document's first entry, or None if nothing changed. A document
        with one top entry (a leading heading: the usual case) takes over the stand-in's
        row, and its subsections are inserted under it; no other row moves.
        """
        old = self._nodes.get(stand_in)
        if old is None or old.parent is None or not sections:
            return None
        top, nodes = build_outline(sections)
        del self._nodes[stand_in]
        if len(top.children) == 1:
            first = top.children[0]
            old.section = first.section
            self._nodes.update(nodes)
            self._nodes[first.section.id if first.section else stand_in] = old
            here = self.index_of_node(old)
            self.dataChanged.emit(here, here)
            if first.children:
                self.beginInsertRows(here, 0, len(first.children) - 1)
                for child in first.children:
                    child.parent = old
                old.children = first.children
                self._number(old.children)
                self.endInsertRows()
            return here
        parent = old.parent
        row = self._rows[id(old)]
        where = QModelIndex() if parent is self._root else self.index_of_node(parent)
        self.beginRemoveRows(where, row, row)
        del parent.children[row]
        self._number(parent.children)
        self.endRemoveRows()
        self.beginInsertRows(where, row, row + len(top.children) - 1)
        for offset, node in enumerate(top.children):
            node.parent = parent
            parent.children.insert(row + offset, node)
        self._nodes.update(nodes)
        self._number(parent.children)
        self.endInsertRows()
        return self.index_of_node(parent.children[row])

    def index_of_node(self, node: OutlineNode) -> QModelIndex:
        return self.createIndex(self._rows[id(node)], 0, node)

    def _number(self, children: list[OutlineNode]) -> None:
        """Rows of ``children`` and of everything under them."""
        stack = [(row, child) for row, child in enumerate(children)]
        while stack:
            row, node = stack.pop()
            self._rows[id(node)] = row
            stack.extend(enumerate(node.children))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY_ROLE) -> Any:
        if role == FOREGROUND_ROLE:
            section = self._node(index).section
            return self._muted if section is not None and is_stand_in(section.id) else None
        return super().data(index, role)
