"""UI room: the headings, links and safety notes of a laid-out guide, in reading order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from PySide6.QtGui import QTextBlock, QTextDocument

Kind = Literal["heading", "link", "note"]


class Item(NamedTuple):
    """One structural element, by its span of document positions."""

    kind: Kind
    text: str
    start: int
    end: int
    level: int = 0  # headings: 1 for <h1> ...
    target: str = ""  # links: the href as the view shows it ("#id" or an address)
    anchors: tuple[str, ...] = ()  # headings: the ids a link can target


def read_structure(document: QTextDocument, note_anchors: Iterable[str]) -> list[Item]:
    """Every heading (with its level), link (with its target) and note, in document order."""
    notes = set(note_anchors)
    items: list[Item] = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level > 0 and block.text().strip():
            items.append(Item("heading", block.text().strip(), block.position(),
                              block.position() + block.length() - 1, level=level,
                              anchors=_anchor_names(block)))  # fmt: skip
        items.extend(_links_and_notes(document, block, notes))
        block = block.next()
    items.sort(key=lambda item: (item.start, item.kind != "note"))
    return items


def _anchor_names(block: QTextBlock) -> tuple[str, ...]:
    names: list[str] = []
    fragments = block.begin()
    while not fragments.atEnd():
        names.extend(fragments.fragment().charFormat().anchorNames())
        fragments += 1
    return tuple(names)


def _links_and_notes(document: QTextDocument, block: QTextBlock, notes: set[str]) -> list[Item]:
    found: list[Item] = []
    link: list[int | str] | None = None  # [start, end, href, text]
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        fmt = fragment.charFormat()
        start, end = fragment.position(), fragment.position() + fragment.length()
        href = fmt.anchorHref() if fmt.isAnchor() else ""
        # One link can span several fragments (emphasis inside it): join them.
        if link is not None and href == link[2] and start == link[1]:
            link[1], link[3] = end, f"{link[3]}{fragment.text()}"
        else:
            if link is not None:
                found.append(_link(link))
            link = [start, end, href, fragment.text()] if href else None
        for name in fmt.anchorNames():
            if name in notes:
                found.append(_note(document, start))
        fragments += 1
    if link is not None:
        found.append(_link(link))
    return found


def _link(parts: list[int | str]) -> Item:
    start, end, href, text = parts
    return Item("link", str(text).strip(), int(start), int(end), target=str(href))


def _note(document: QTextDocument, position: int) -> Item:
    """The note's whole text: its frame's when the view has framed it, else its paragraph's."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(document)
    cursor.setPosition(position)
    frame = cursor.currentFrame()
    if frame is not None and frame != document.rootFrame():
        start, end = frame.firstPosition(), frame.lastPosition()
    else:
        block = document.findBlock(position)
        start, end = block.position(), block.position() + block.length() - 1
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    text = " ".join(cursor.selectedText().replace("\u2029", " ").split())
    return Item("note", text, start, end)
