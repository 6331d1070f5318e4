"""Render room: the pure section tree the sidebar model sits on."""

from __future__ import annotations

from ketreader.render.model import Section


class OutlineNode:
    """A section with its parent and children; the root node has no section."""

    __slots__ = ("children", "parent", "section")

    def __init__(self, section: Section | None, parent: OutlineNode | None = None) -> None:
        self.section = section
        self.parent = parent
        self.children: list[OutlineNode] = []

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


def build_outline(sections: tuple[Section, ...]) -> tuple[OutlineNode, dict[str, OutlineNode]]:
    """The tree of ``sections`` (reading order kept) and a lookup by section id."""
    root = OutlineNode(None)
    by_id: dict[str, OutlineNode] = {}
    for section in sections:
        parent = by_id.get(section.parent or "", root)
        node = OutlineNode(section, parent)
        parent.children.append(node)
        by_id[section.id] = node
    return root, by_id
