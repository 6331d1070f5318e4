"""UI room: safety notes set apart in a padded, bordered frame, on screen and on paper."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

# Framing runs after the first paint; the anchors, before it, need no Qt class of their own.
if TYPE_CHECKING:
    from PySide6.QtGui import QBrush, QTextDocument

# In pixels of a 96 dpi screen: Qt scales frame lengths to the paint device it lays out for
# (a printer's 1200 dpi too), so the same frame is drawn on screen and on paper.
NOTE_PADDING = 10.0
NOTE_BORDER = 1.5
NOTE_MARGIN = 8.0


# WORKAROUND for https://github.com/python/cpython/issues/82840 : Python enums are slow to
# create; any QBrush constructor makes PySide6 create all of ``Qt``'s (see ui/qt_namespace.py).
def solid_brush(colour: str) -> QBrush:
    """A solid brush of ``colour``, without building PySide6's ``Qt`` enum namespace.

    Every QBrush constructor and QBrush.setColor resolve overloads that take Qt enums, which
    builds all ~100 of them (15 ms, see ui/qt_namespace.py); a palette's brush does not.
    """
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(colour))
    return palette.brush(QPalette.ColorRole.Window)


def anchor_positions(document: QTextDocument) -> dict[str, int]:
    """Every anchor name in ``document`` and the position of its first character."""
    found: dict[str, int] = {}
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            for name in fragment.charFormat().anchorNames():
                found.setdefault(name, fragment.position())
            fragments += 1
        block = block.next()
    return found


def frame_notes(
    document: QTextDocument,
    notes: Iterable[str],
    background: str,
    rule: str,
) -> int:
    """Put each safety note (by anchor id) in a padded, bordered frame; the number framed.

    Qt's rich text ignores padding and borders on paragraphs, so the stylesheet alone leaves
    the note's text flush with its tinted background.
    """
    from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFrameFormat

    wanted = list(notes)
    if not wanted:
        return 0
    frame = QTextFrameFormat()
    frame.setPadding(NOTE_PADDING)
    frame.setBorder(NOTE_BORDER)
    frame.setBorderBrush(solid_brush(rule))
    frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    frame.setBackground(solid_brush(background))
    frame.setTopMargin(NOTE_MARGIN)
    frame.setBottomMargin(NOTE_MARGIN)
    anchors = anchor_positions(document)
    framed = 0
    # Last first: a frame shifts every position after it.
    for note in sorted(wanted, key=lambda n: anchors.get(n, -1), reverse=True):
        if note not in anchors:
            continue
        block = document.findBlock(anchors[note])
        spacing = block.blockFormat()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)  # fmt: skip
        inner = cursor.insertFrame(frame).firstCursorPosition()
        # The text's new block starts from a plain format: give it back its line height.
        moved = inner.blockFormat()
        moved.setLineHeight(spacing.lineHeight(), spacing.lineHeightType())
        inner.setBlockFormat(moved)
        # The text moved into the frame; its old block stays behind, empty but tinted.
        # Deleting it would merge it into the block before (a rule, say): flatten it.
        if not block.text():
            flat = QTextBlockFormat()
            flat.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            QTextCursor(block).setBlockFormat(flat)
        framed += 1
    return framed
