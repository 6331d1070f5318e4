"""Content room: what is wrong with an image's bytes, read from its header without Qt."""

from __future__ import annotations

import struct

# Qt 6 refuses to decode an image above QImageReader::allocationLimit(), 256 MiB by default
# (https://doc.qt.io/qt-6/qimagereader.html#allocationLimit): 4 bytes a pixel.
MAX_PIXELS = 256 * 1024 * 1024 // 4

_PNG = b"\x89PNG\r\n\x1a\n"
_SVG_STARTS = (b"<svg", b"<?xml")
# Formats the reader shows whose size this does not read: their signature is enough.
_OTHER = (b"BM", b"RIFF", b"II*\x00", b"MM\x00*")


def image_problem(data: bytes) -> str | None:
    """Why ``data`` would show as a broken image, in a few words; None when it would not."""
    size: tuple[int, int] | None = None
    if data.startswith(_PNG):
        if len(data) < 24 or not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
            return "truncated"
        size = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8"):
        if b"\xff\xd9" not in data[-64:]:
            return "truncated"
        size = _jpeg_size(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        if len(data) < 10 or not data.rstrip(b"\x00").endswith(b";"):
            return "truncated"
        width, height = struct.unpack("<HH", data[6:10])
        size = (width, height)
    elif not (data.lstrip()[:5].lower().startswith(_SVG_STARTS) or data.startswith(_OTHER)):
        return "not an image the reader can show"
    if size is not None and size[0] * size[1] > MAX_PIXELS:
        return f"too large to show ({size[0]:,} × {size[1]:,} pixels)"
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame marker; None if there is none."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None
