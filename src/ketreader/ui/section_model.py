"""UI room: a thin QAbstractItemModel over the pure outline tree."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex

from ketreader.render.model import Section
from ketreader.render.outline import OutlineNode, build_outline

# WORKAROUND for https://github.com/python/cpython/issues/82840 : Python enums are slow to
# create. Roles as plain ints: the first touch of the ``Qt`` namespace builds every one of its
# enums (about 15 ms), which the first paint can do without.
DISPLAY_ROLE, TOOLTIP_ROLE, ACCESSIBLE_TEXT_ROLE, USER_ROLE = 0, 3, 11, 0x0100
SECTION_ID_ROLE = USER_ROLE + 1
_Index = QModelIndex | QPersistentModelIndex


class SectionModel(QAbstractItemModel):
    """Read-only tree of sections; the node's row is cached for O(1) parent lookups."""

    def __init__(self, sections: tuple[Section, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self._root, self._nodes = build_outline(sections)
        self._rows: dict[int, int] = {}
        stack = [self._root]
        while stack:
            node = stack.pop()
            for row, child in enumerate(node.children):
                self._rows[id(child)] = row
                stack.append(child)

    def index_of(self, section_id: str) -> QModelIndex:
        node = self._nodes.get(section_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(self._rows[id(node)], 0, node)

    def _node(self, index: _Index) -> OutlineNode:
        if index.isValid():
            node: OutlineNode = index.internalPointer()
            return node
        return self._root

    # -- Qt overrides ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        parent = self._node(child).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(self._rows[id(parent)], 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        section = self._node(index).section
        if section is None:
            return None
        if role in (DISPLAY_ROLE, TOOLTIP_ROLE):
            return section.title
        if role == ACCESSIBLE_TEXT_ROLE:
            return f"{section.title}, level {section.level}"
        if role == SECTION_ID_ROLE:
            return section.id
        return None
