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


def mini_pdf(
    catalog: bytes = b"<< /Type /Catalog /Pages 2 0 R >>",
    trailer: bytes = b"<< /Size 4 /Root 1 0 R /Info 3 0 R /ID [<AB> <CD>] >>",
    end: bytes = b"\n",
    extra: bytes = b"",
) -> bytes:
    """The smallest PDF laid out as Qt lays one out: three objects and a classic table."""
    objects = [catalog, b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /Producer (x) >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += extra
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF" % xref + end
    return bytes(out)


FIVE = (
    OutlineEntry("A", 1, "a"),
    OutlineEntry("B", 2, "b"),
    OutlineEntry("C", 3, "c"),
    OutlineEntry("D", 2, "d"),
    OutlineEntry("E", 1, "e"),
)

FIVE_OBJECTS = b"""1 0 obj
<< /Type /Catalog /Pages 2 0 R
/Outlines 4 0 R
/PageMode /UseOutlines
>>
endobj
4 0 obj
<< /Type /Outlines /First 5 0 R /Last 9 0 R /Count 4 >>
endobj
5 0 obj
<< /Title <FEFF0041>
/Parent 4 0 R
/Dest <FEFF0061>
/Next 9 0 R
/First 6 0 R /Last 8 0 R /Count 2 >>
endobj
6 0 obj
<< /Title <FEFF0042>
/Parent 5 0 R
/Dest <FEFF0062>
/Next 8 0 R
/First 7 0 R /Last 7 0 R /Count -1 >>
endobj
7 0 obj
<< /Title <FEFF0043>
/Parent 6 0 R
/Dest <FEFF0063> >>
endobj
8 0 obj
<< /Title <FEFF0044>
/Parent 5 0 R
/Dest <FEFF0064>
/Prev 6 0 R >>
endobj
9 0 obj
<< /Title <FEFF0045>
/Parent 4 0 R
/Dest <FEFF0065>
/Prev 5 0 R >>
endobj
xref
"""


def test_the_update_is_exactly_the_objects_a_table_and_a_trailer() -> None:
    original = mini_pdf()
    update = add_outline(original, FIVE)[len(original) :]
    assert update.startswith(FIVE_OBJECTS)
    table, trailer = update[len(FIVE_OBJECTS) :].split(b"trailer\n")
    rows = table.split(b"\n")
    assert rows[-1] == b""
    numbers = [int(r.split()[0]) for r in rows[0:-1:2]]
    assert numbers == [1, 4, 5, 6, 7, 8, 9]
    assert all(r.endswith(b" 1") for r in rows[0:-1:2])
    whole = original + update
    for number, row in zip(numbers, rows[1:-1:2], strict=True):
        assert re.fullmatch(rb"\d{10} 00000 n ", row)
        assert whole[int(row[:10]) :].startswith(b"%d 0 obj\n" % number)
    xref = len(original) + len(FIVE_OBJECTS) - len(b"xref\n")
    first = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    assert trailer == (
        b"<<\n/Size 10\n/Root 1 0 R\n/Info 3 0 R\n/ID [<AB> <CD>]\n/Prev %d\n>>\n"
        b"startxref\n%d\n%%%%EOF\n" % (first, xref)
    )


def test_a_file_without_a_last_newline_gets_one_before_the_update() -> None:
    original = mini_pdf(end=b"")
    updated = add_outline(original, FIVE[:1])
    assert updated[len(original) : len(original) + 9] == b"\n1 0 obj\n"


def test_one_entry_is_first_and_last_with_nothing_beside_it() -> None:
    original = mini_pdf(trailer=b"<< /Root 1 0 R /Size 4 >>")
    update = add_outline(original, [OutlineEntry("Only", 2, "x")])[len(original) :]
    assert b"<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>" in update
    assert b"5 0 obj\n<< /Title <FEFF004F006E006C0079>\n/Parent 4 0 R\n/Dest <FEFF0078> >>" in (
        update
    )
    assert b"/Size 6\n/Root 1 0 R\n/Prev " in update  # no /Info or /ID to keep


def test_the_new_size_never_shrinks() -> None:
    original = mini_pdf(trailer=b"<< /Size 40 /Root 1 0 R >>")
    update = add_outline(original, [OutlineEntry("x", 1, "x")])[len(original) :]
    assert b"40 0 obj\n<< /Type /Outlines /First 41 0 R" in update
    assert b"/Size 42\n" in update
    # An object numbered past /Size (the catalog) keeps the size past it too.
    original = mini_pdf(trailer=b"<< /Size 1 /Root 3 0 R >>")
    update = add_outline(original, [OutlineEntry("x", 1, "x")])[len(original) :]
    assert b"/Size 4\n" in update


def test_a_deeper_first_entry_is_still_at_the_top() -> None:
    original = mini_pdf()
    entries = [OutlineEntry("x", 3, "x"), OutlineEntry("y", 1, "y"), OutlineEntry("z", 2, "z")]
    update = add_outline(original, entries)[len(original) :]
    assert b"<< /Type /Outlines /First 5 0 R /Last 6 0 R /Count 3 >>" in update
    assert b"/Parent 6 0 R" in update and b"/Count 1 >>" in update


def test_the_last_definition_of_the_catalog_wins() -> None:
    original = mini_pdf(extra=b"1 0 obj\n<< /Type /Catalog /Lang (de) >>\nendobj\n")
    update = add_outline(original, FIVE[:1])[len(original) :]
    assert update.startswith(
        b"1 0 obj\n<< /Type /Catalog /Lang (de)\n/Outlines 4 0 R\n/PageMode /UseOutlines\n>>"
    )


def test_object_numbers_are_matched_whole() -> None:
    original = mini_pdf(extra=b"11 0 obj\n<< /Outlines 9 0 R >>\nendobj\n")
    assert b"/Outlines 4 0 R" in add_outline(original, FIVE[:1])


@pytest.mark.parametrize(
    ("pdf", "message"),
    [
        (b"%PDF-1.4\n%%EOF\n", "no startxref at the end of the file"),
        (mini_pdf() + b"trailing", "no startxref at the end of the file"),
        (mini_pdf().replace(b"startxref\n", b"startxref\n1"), "the cross-reference section is"
         " not a table"),
        (mini_pdf().replace(b"trailer\n", b"trailor\n"), "no trailer dictionary"),
        (mini_pdf(trailer=b"<< /Root 1 0 R >>"), "the trailer names no /Size or /Root"),
        (mini_pdf(trailer=b"<< /Size 4 >>"), "the trailer names no /Size or /Root"),
        (mini_pdf(trailer=b"<< /Size 4 /Root 7 0 R >>"), "object 7 not found"),
        (mini_pdf(catalog=b"[1 2]"), "object 1 is not a dictionary"),
        (mini_pdf(catalog=b"<< /Outlines 3 0 R >>"), "the PDF already has an outline"),
    ],
)  # fmt: skip
def test_each_unexpected_layout_is_named(pdf: bytes, message: str) -> None:
    with pytest.raises(PdfStructureError, match=f"^{re.escape(message)}$"):
        add_outline(pdf, FIVE)
    assert issubclass(PdfStructureError, ValueError)


def test_a_dictionary_must_close_where_it_opens() -> None:
    with pytest.raises(PdfStructureError, match="object 1 is not a dictionary"):
        add_outline(mini_pdf(catalog=b"<< /Type /Catalog >> x"), FIVE)
    with pytest.raises(PdfStructureError, match="object 1 is not a dictionary"):
        add_outline(mini_pdf(catalog=b"x << /Type /Catalog >>"), FIVE)


def test_a_text_string_is_utf16_with_a_byte_order_mark() -> None:
    assert text_string("") == b"<FEFF>"
    assert text_string("a\U0001f600") == b"<FEFF0061D83DDE00>"


def test_the_last_trailer_of_an_updated_file_is_the_one_followed() -> None:
    original = mini_pdf()
    first = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    update = bytearray(original)
    at = len(update)
    update += b"4 0 obj\n<< /Producer (y) >>\nendobj\n"
    xref = len(update)
    update += b"xref\n4 1\n%010d 00000 n \n" % at
    update += b"trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R /Prev %d >>\n" % first
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    out = add_outline(bytes(update), FIVE[:1])[len(update) :]
    assert out.startswith(b"1 0 obj\n")
    assert b"5 0 obj\n<< /Type /Outlines /First 6 0 R" in out
    assert out.endswith(
        b"trailer\n<<\n/Size 7\n/Root 1 0 R\n/Info 4 0 R\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n"
        % (xref, len(update) + out.index(b"xref\n"))
    )
