"""Settings room: checking Qt's saved window state before Qt restores it; no Qt.

The bytes come from the user's settings file, which anyone can edit. Qt trusts them; a
crafted size can make it allocate without bound and abort. Each format is parsed here as Qt
writes it (QWidget::saveGeometry, QSplitter::saveState) and refused unless every field is sane.
"""

from __future__ import annotations

import struct

GEOMETRY_MAGIC = 0x1D9D0CB
SPLITTER_MAGIC = 0xFF
MAX_COORDINATE = 1 << 20  # a million pixels: beyond any screen, far below any overflow
MAX_SPLITTER_PANES = 8


def _rect_ok(left: int, top: int, right: int, bottom: int) -> bool:
    inside = all(-MAX_COORDINATE <= v <= MAX_COORDINATE for v in (left, top, right, bottom))
    return inside and right >= left - 1 and bottom >= top - 1


def valid_geometry(data: bytes) -> bool:
    """Whether ``data`` is a sane QWidget::saveGeometry() record (format 1, 2 or 3)."""
    try:
        magic, major, _minor = struct.unpack_from(">IHH", data, 0)
        if magic != GEOMETRY_MAGIC or major not in (1, 2, 3):
            return False
        rects = [struct.unpack_from(">4i", data, 8 + 16 * i) for i in range(2)]
        screen, _maximized, _full = struct.unpack_from(">iBB", data, 40)
        size = 46
        if major >= 2:
            (screen_width,) = struct.unpack_from(">i", data, 46)
            size = 50
            if not 0 <= screen_width <= MAX_COORDINATE:
                return False
        if major >= 3:
            rects.append(struct.unpack_from(">4i", data, 50))
            size = 66
    except struct.error:
        return False
    return len(data) == size and -1 <= screen < 64 and all(_rect_ok(*r) for r in rects)


def valid_splitter_state(data: bytes) -> bool:
    """Whether ``data`` is a sane QSplitter::saveState() record."""
    try:
        magic, version, count = struct.unpack_from(">iiI", data, 0)
        if magic != SPLITTER_MAGIC or version != 1 or count > MAX_SPLITTER_PANES:
            return False
        sizes = struct.unpack_from(f">{count}i", data, 12)
        end = 12 + 4 * count
        _collapsible, handle, _opaque, orientation = struct.unpack_from(">?i?i", data, end)
    except struct.error:
        return False
    return (
        all(0 <= s <= MAX_COORDINATE for s in sizes)
        and -1 <= handle <= 100  # -1: the style's default width
        and orientation in (1, 2)
        and len(data) in (end + 10, end + 11)  # newer Qt appends whether opaque resize was set
    )
