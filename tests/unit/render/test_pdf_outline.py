"""Render room tests: the PDF outline appended to a finished PDF as an incremental update."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from ketreader.render.pdf_outline import (
    OutlineEntry,
    PdfStructureError,
    add_outline,
    text_string,
)


def two_page_pdf(names: tuple[str, ...] = ("intro", "part-one", "detail", "part-two")) -> bytes:
    """A PDF laid out as Qt writes one: a classic xref table and named destinations."""
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    for i, name in enumerate(names):
        writer.add_named_destination(name, i % 2)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ENTRIES = (
    OutlineEntry("Intro", 1, "intro"),
    OutlineEntry("Part one", 2, "part-one"),
    OutlineEntry("Détail", 3, "detail"),
    OutlineEntry("Part two", 2, "part-two"),
)


def titles(reader: PdfReader) -> list[object]:
    def walk(items: list[object]) -> list[object]:
        return [walk(i) if isinstance(i, list) else i.title for i in items]  # type: ignore[attr-defined]

    return walk(reader.outline)  # type: ignore[arg-type]


def test_outline_nests_by_level_and_keeps_the_original_bytes() -> None:
    original = two_page_pdf()
    updated = add_outline(original, ENTRIES)
    assert updated.startswith(original)  # an incremental update: nothing rewritten
    reader = PdfReader(io.BytesIO(updated))
    assert titles(reader) == ["Intro", ["Part one", ["Détail"], "Part two"]]
    pages = [
        reader.get_destination_page_number(e) for e in reader.outline if not isinstance(e, list)
    ]
    assert pages == [0]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"  # type: ignore[index]
    assert len(reader.pages) == 2


def test_open_and_closed_counts_follow_the_standard() -> None:
    updated = add_outline(two_page_pdf(), ENTRIES)
    reader = PdfReader(io.BytesIO(updated))
    root = reader.trailer["/Root"]["/Outlines"]  # type: ignore[index]
    assert root["/Count"] == 3  # Intro, and its two open children; Détail is hidden
    intro = root["/First"]
    assert intro["/Count"] == 2  # open: its visible descendants
    assert intro["/First"]["/Count"] == -1  # closed: minus its children
    assert intro["/First"]["/Next"]["/Title"] == "Part two"
    assert intro["/Last"]["/Prev"]["/Title"] == "Part one"


def test_titles_are_utf16_and_destinations_match_qts_names() -> None:
    assert text_string("Dé") == b"<FEFF004400E9>"
    updated = add_outline(two_page_pdf(), ENTRIES)
    assert text_string("detail") in updated


def test_no_entries_leaves_the_file_alone() -> None:
    original = two_page_pdf()
    assert add_outline(original, ()) is original


def test_a_file_with_an_outline_or_without_a_table_is_refused() -> None:
    once = add_outline(two_page_pdf(), ENTRIES)
    with pytest.raises(PdfStructureError):
        add_outline(once, ENTRIES)
    with pytest.raises(PdfStructureError):
        add_outline(b"%PDF-1.4\n%%EOF\n", ENTRIES)


def test_the_update_has_its_own_xref_pointing_back() -> None:
    original = two_page_pdf()
    updated = add_outline(original, ENTRIES)
    first = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    assert re.search(rb"/Prev %d\b" % first, updated[len(original) :])
