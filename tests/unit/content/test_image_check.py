"""Content room tests: what an image's header says about whether the reader can show it."""

from __future__ import annotations

import struct

import pytest

from ketreader.content.image_check import MAX_PIXELS, image_problem

PNG = b"\x89PNG\r\n\x1a\n"
IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def png(width: int, height: int, tail: bytes = IEND) -> bytes:
    header = b"\x00\x00\x00\x0dIHDR" + struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00"
    return PNG + header + b"\x00\x00\x00\x00" + tail


def jpeg(width: int, height: int, marker: int = 0xC0, before: bytes = b"") -> bytes:
    frame = b"\xff" + bytes([marker]) + struct.pack(">HBHH", 8, 8, height, width) + b"\x03"
    return b"\xff\xd8" + before + frame + b"\x00" * 20 + b"\xff\xd9"


def gif(width: int, height: int, version: bytes = b"GIF89a") -> bytes:
    return version + struct.pack("<HH", width, height) + b"\x00" * 10 + b";"


def test_the_pixel_limit_is_qts_allocation_limit() -> None:
    assert MAX_PIXELS == 256 * 1024 * 1024 // 4 == 8192 * 8192


def test_a_whole_png_within_the_limit_is_fine() -> None:
    assert image_problem(png(8192, 8192)) is None
    assert image_problem(png(1, 1, IEND + b"\x00\x00")) is None  # padding after IEND


def test_a_png_past_the_limit_is_too_large() -> None:
    assert image_problem(png(8193, 8192)) == "too large to show (8,193 × 8,192 pixels)"
    assert image_problem(png(8192, 8193)) == "too large to show (8,192 × 8,193 pixels)"


def test_a_png_without_its_end_is_truncated() -> None:
    assert image_problem(png(1, 1, b"")) == "truncated"
    assert image_problem(PNG + b"\x00" * 15) == "truncated"
    whole = png(1, 1)
    assert image_problem(whole[:-1]) == "truncated"


def test_a_png_shorter_than_its_header_is_truncated() -> None:
    # 23 bytes that still end as a PNG does: too short to hold a size.
    short = PNG + b"\x00" * 3 + IEND
    assert len(short) == 23
    assert image_problem(short) == "truncated"
    # 24 bytes: the size is read from the end chunk's name and checksum.
    assert image_problem(PNG + b"\x00" * 4 + IEND) == (
        "too large to show (1,229,278,788 × 2,923,585,666 pixels)"
    )


def test_a_jpeg_is_sized_from_its_frame() -> None:
    assert image_problem(jpeg(8192, 8192)) is None
    assert image_problem(jpeg(9000, 8000)) == "too large to show (9,000 × 8,000 pixels)"
    assert image_problem(jpeg(9000, 8000, 0xC2)) == "too large to show (9,000 × 8,000 pixels)"
    assert image_problem(jpeg(9000, 8000, 0xCF)) == "too large to show (9,000 × 8,000 pixels)"


@pytest.mark.parametrize("marker", [0xC4, 0xC8, 0xCC, 0xBF, 0xD0])
def test_markers_that_are_not_frames_are_skipped(marker: int) -> None:
    # A table (or another segment) of the same length comes first; the frame after it counts.
    skipped = b"\xff" + bytes([marker]) + struct.pack(">HBHH", 8, 8, 100, 100) + b"\x03"
    assert image_problem(jpeg(9000, 8000, before=skipped)) == (
        "too large to show (9,000 × 8,000 pixels)"
    )


def test_a_jpeg_without_its_end_marker_is_truncated() -> None:
    assert image_problem(jpeg(10, 10)[:-2]) == "truncated"
    late = jpeg(10, 10)[:-2] + b"\xff\xd9" + b"\x00" * 62
    assert image_problem(late) is None
    assert image_problem(late + b"\x00") == "truncated"  # the end marker is not in the last 64


def test_a_jpeg_whose_segments_cannot_be_followed_has_no_size() -> None:
    assert image_problem(b"\xff\xd8" + b"\x00" * 20 + b"\xff\xd9") is None
    huge_segment = b"\xff\xe0\xff\xff" + b"\x00" * 20
    assert image_problem(b"\xff\xd8" + huge_segment + b"\xff\xd9") is None
    # Just long enough for a frame header (9 bytes from the marker) and no more.
    frame = b"\xff\xc0" + struct.pack(">HBHH", 8, 8, 9000, 9000)
    assert image_problem(b"\xff\xd8" + frame + b"\xff\xd9") == (
        "too large to show (9,000 × 9,000 pixels)"
    )
    # The frame's last bytes may be the end marker itself: the whole file is 11 bytes.
    tight = b"\xff\xd8\xff\xc0\x00\x08\x08" + struct.pack(">H", 2000) + b"\xff\xd9"
    assert image_problem(tight) == "too large to show (65,497 × 2,000 pixels)"


def test_a_gif_is_sized_from_its_screen() -> None:
    assert image_problem(gif(8192, 8192)) is None
    assert image_problem(gif(65535, 2000, b"GIF87a")) == (
        "too large to show (65,535 × 2,000 pixels)"
    )


def test_a_gif_without_its_trailer_is_truncated() -> None:
    assert image_problem(gif(1, 1)[:-1]) == "truncated"
    assert image_problem(b"GIF89a\x01\x00;") == "truncated"  # too short for a size
    assert image_problem(b"GIF89a\x01\x00\x01;") is None
    assert image_problem(gif(1, 1) + b"\x00\x00") is None


@pytest.mark.parametrize(
    "data",
    [b"<svg xmlns='x'/>", b"  \n<SVG>", b"<?xml version='1.0'?><svg/>", b"BMxx", b"RIFFxxxxWEBP",
     b"II*\x00", b"MM\x00*"],
)  # fmt: skip
def test_other_formats_pass_on_their_signature(data: bytes) -> None:
    assert image_problem(data) is None


@pytest.mark.parametrize("data", [b"", b"hello", b"<html>", b"GIF90a;", b"MM*\x00", b"\xff\xd9"])
def test_anything_else_is_not_an_image(data: bytes) -> None:
    assert image_problem(data) == "not an image the reader can show"


def test_a_segment_longer_than_255_bytes_is_skipped_whole() -> None:
    app0 = b"\xff\xe0" + struct.pack(">H", 272) + b"\x00" * 270
    assert image_problem(jpeg(9000, 8000, before=app0)) == (
        "too large to show (9,000 × 8,000 pixels)"
    )
