"""Render room tests: the standalone page, plain text and printable bodies, exactly."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ketreader.content.pack import load_pack
from ketreader.render.export import (
    Printable,
    embed_images,
    export_html,
    export_text,
    printable,
    printable_html,
)
from ketreader.render.model import Mark, RenderedDocument, RenderedPack, Section
from ketreader.render.pack_render import render_pack
from ketreader.render.pdf_outline import OutlineEntry
from ketreader.render.stylesheet import export_css
from tests.conftest import write_pack

A_MD = (
    "# Guide\n\nLead.\n\n## Uses\n\nFirst use, see [pain](#pain) and [end](b.md#end).\n\n"
    "### Pain\n\nPain text.\n\nBack to uses.\n{: .section-end}\n\n## Other\n\nOther text.\n"
)
B_MD = "# End\n\nClosing words.\n\n## Appendix\n\nApp.\n\nBe careful.\n{: .safety-note}\n"

A_HTML = (
    '<h1 id="guide">Guide</h1>\n<p>Lead.</p>\n<h2 id="uses">Uses</h2>\n'
    '<p>First use, see <a href="#pain">pain</a> and <a href="#end">end</a>.</p>\n'
    '<h3 id="pain">Pain</h3>\n<p>Pain text.</p>\n<p id="uses--resume-1">Back to uses.</p>\n'
    '<h2 id="other">Other</h2>\n<p>Other text.</p>'
)
B_HTML = (
    '<h1 id="end">End</h1>\n<p>Closing words.</p>\n<h2 id="appendix">Appendix</h2>\n'
    '<p>App.</p>\n<p class="safety-note" id="appendix--note-1">Be careful.</p>'
)
CONTENTS = (
    '<ul><li><a href="#guide">Guide</a><ul><li><a href="#uses">Uses</a><ul><li>'
    '<a href="#pain">Pain</a></li></ul></li><li><a href="#other">Other</a></li></ul></li>'
    '<li><a href="#end">End</a><ul><li><a href="#appendix">Appendix</a></li></ul></li></ul>'
)


@pytest.fixture
def two(tmp_path: Path) -> RenderedPack:
    root = write_pack(tmp_path / "p", {"a.md": A_MD, "b.md": B_MD}, title="T & co")
    return render_pack(load_pack(root))


def test_the_fixture_renders_as_expected(two: RenderedPack) -> None:
    assert [d.html for d in two.documents] == [A_HTML, B_HTML]


# -- text and the standalone page -------------------------------------------------------------


def test_text_export_ends_with_exactly_one_newline(two: RenderedPack) -> None:
    assert export_text(two) == two.text + "\n"
    assert two.text.startswith("Guide\n\nLead.") and not two.text.endswith("\n")
    two.documents = (two.documents[0]._replace(text="x\n\n\n"),)
    assert export_text(two) == "x\n"


def test_the_page_is_exactly_head_contents_and_one_article_per_document(
    two: RenderedPack,
) -> None:
    page = export_html(two)
    assert page == (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>T &amp; co</title>\n<style>\n{export_css('light')}</style>\n</head>\n<body>\n"
        '<nav class="toc" aria-label="Contents">\n<p><strong>Contents</strong></p>\n'
        f'{CONTENTS}\n</nav>\n<article data-document="a.md">\n{A_HTML}\n</article>\n'
        f'<article data-document="b.md">\n{B_HTML}\n</article>\n</body>\n</html>\n'
    )


def test_the_page_takes_the_theme_and_the_packs_language(two: RenderedPack) -> None:
    assert f"<style>\n{export_css('dark')}</style>" in export_html(two, theme="dark")
    assert export_css("dark") != export_css("light")
    two.language = 'de"x'
    assert '<html lang="de&quot;x">' in export_html(two)


def test_a_document_path_is_escaped_in_its_article(two: RenderedPack) -> None:
    two.documents = (two.documents[0]._replace(path='a"<b>.md'), two.documents[1])
    assert '<article data-document="a&quot;&lt;b&gt;.md">' in export_html(two)


def section(sid: str, level: int, title: str | None = None) -> Section:
    return Section(sid, title or sid, level, None, 0)


def pack_of(sections: list[Section], marks: tuple[Mark, ...] = ()) -> RenderedPack:
    document = RenderedDocument("a.md", "a", "", "", marks)
    return RenderedPack(Path("."), "t", None, None, "", tuple(sections), (document,))


def test_contents_close_every_level_they_open() -> None:
    pack = pack_of([section("a", 2), section("b", 4), section("c", 3), section("d", 1)])
    page = export_html(pack)
    assert (
        '<ul><li><a href="#a">a</a><ul><li><a href="#b">b</a></li></ul><ul><li><a href="#c">c'
        '</a></li></ul></li></ul><ul><li><a href="#d">d</a></li></ul>\n</nav>'
    ) in page


def test_contents_of_a_deep_first_section_close_at_the_end() -> None:
    pack = pack_of([section("a", 1), section("b", 3)])
    assert '<ul><li><a href="#a">a</a><ul><li><a href="#b">b</a></li></ul></li></ul>\n</nav>' in (
        export_html(pack)
    )
    assert "<ul></ul>" not in export_html(pack_of([]))
    assert "<p><strong>Contents</strong></p>\n\n</nav>" in export_html(pack_of([]))


def test_contents_link_to_the_first_anchor_of_a_section_and_escape_titles() -> None:
    marks = (Mark(None, "top"), Mark('x"y', "x"), Mark("x-2", "x"))
    pack = pack_of([section("top", 1, "<Top>"), section("x", 2)], marks)
    page = export_html(pack)
    assert '<a href="#top">&lt;Top&gt;</a>' in page
    assert '<a href="#x&quot;y">x</a>' in page


# -- images -----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"rest"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xffjpeg", "image/jpeg"),
        (b"GIF87a...", "image/gif"),
        (b"GIF89a...", "image/gif"),
        (b"BM....", "image/bmp"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_images_are_embedded_by_their_first_bytes(data: bytes, kind: str) -> None:
    asked: list[str] = []

    def resources(path: str) -> bytes:
        asked.append(path)
        return data

    body = '<p><IMG alt="x" SRC="img/a&amp;b.png" title="t"></p>'
    uri = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    assert embed_images(body, resources) == f'<p><IMG alt="x" SRC="{uri}" title="t"></p>'
    assert asked == ["img/a&b.png"]


@pytest.mark.parametrize(
    "data", [None, b"", b"RIFF\x00\x00\x00\x00WAVE", b"<svg/>", b"\x89PNG", b"GIF88a"]
)
def test_other_images_keep_their_source_and_show_their_alt_text(data: bytes | None) -> None:
    body = '<img alt="x" src="a.png"> and <img src="b.png">'
    assert embed_images(body, lambda _path: data) == body


def test_the_page_embeds_images_only_when_it_can_read_them(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n![fig](fig.png)\n"})
    (root / "fig.png").write_bytes(PNG)
    pack = render_pack(load_pack(root))
    assert 'src="fig.png"' in export_html(pack)
    embedded = export_html(pack, lambda p: (root / p).read_bytes())
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in embedded


# -- printing ---------------------------------------------------------------------------------


def test_printing_everything_joins_every_document(two: RenderedPack) -> None:
    whole = printable(two)
    assert whole.html == A_HTML + B_HTML
    assert whole.title == "T & co"
    assert whole.notes == ("appendix--note-1",)
    assert whole.outline == (
        OutlineEntry("Guide", 1, "guide"),
        OutlineEntry("Uses", 2, "uses"),
        OutlineEntry("Pain", 3, "pain"),
        OutlineEntry("Other", 2, "other"),
        OutlineEntry("End", 1, "end"),
        OutlineEntry("Appendix", 2, "appendix"),
    )
    assert printable(two, "no-such-section") == whole
    assert printable_html(two) == (whole.html, whole.title)


def test_printing_a_section_takes_its_runs_and_subsections(two: RenderedPack) -> None:
    uses = printable(two, "uses")
    assert uses == Printable(
        '<h2 id="uses">Uses</h2>\n<p>First use, see <a href="#pain">pain</a> and end.</p>\n'
        '<h3 id="pain">Pain</h3>\n<p>Pain text.</p>\n<p id="uses--resume-1">Back to uses.</p>\n',
        "T & co — Uses",
        (),
        (OutlineEntry("Uses", 1, "uses"), OutlineEntry("Pain", 2, "pain")),
        (0,),  # where its one document's part begins
    )
    assert printable_html(two, "uses") == (uses.html, uses.title)


def test_printing_a_subsection_leaves_its_parent_out(two: RenderedPack) -> None:
    assert printable(two, "pain").html == '<h3 id="pain">Pain</h3>\n<p>Pain text.</p>\n'
    assert printable(two, "other").html == '<h2 id="other">Other</h2>\n<p>Other text.</p>'


def test_printing_the_last_section_brings_its_note(two: RenderedPack) -> None:
    end = printable(two, "end")
    assert end.html == B_HTML
    assert end.notes == ("appendix--note-1",)
    assert end.outline == (OutlineEntry("End", 1, "end"), OutlineEntry("Appendix", 2, "appendix"))


CLOSING = (
    "# Guide\n\n## A\n\na text\n\n## B\n\nb text\n\nAlways ask.\n{: .section-end .safety-note}\n"
)


def closing_pack(tmp_path: Path, extra: str = "") -> RenderedPack:
    documents = {"a.md": CLOSING} if not extra else {"a.md": CLOSING, "z.md": extra}
    return render_pack(load_pack(write_pack(tmp_path / "c", documents, title="G")))


def test_the_section_that_ends_the_guide_brings_the_closing_text(tmp_path: Path) -> None:
    pack = closing_pack(tmp_path)
    last = printable(pack, "b")
    assert last.html == (
        '<h2 id="b">B</h2>\n<p>b text</p>\n'
        '<p class="safety-note" id="guide--resume-1">Always ask.</p>'
    )
    assert last.notes == ("guide--resume-1",)
    first = printable(pack, "a")
    assert first.html == '<h2 id="a">A</h2>\n<p>a text</p>\n'
    assert first.notes == ()


def test_closing_text_is_only_the_last_documents(tmp_path: Path) -> None:
    pack = closing_pack(tmp_path, "# Z\n\nz text\n")
    assert printable(pack, "b").html == '<h2 id="b">B</h2>\n<p>b text</p>\n'


def test_a_link_into_a_section_left_out_keeps_only_its_words(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "p",
        {"a.md": "# G\n\n## A\n\nSee [b](#b), [a](#a) and [out](https://x.org/).\n\n## B\n\nb\n"},
    )
    pack = render_pack(load_pack(root))
    assert printable(pack, "a").html == (
        '<h2 id="a">A</h2>\n<p>See b, <a href="#a">a</a> and <a href="https://x.org/">out</a>.'
        "</p>\n"
    )


def test_marks_whose_anchor_is_missing_are_skipped() -> None:
    document = RenderedDocument(
        "a.md",
        "a",
        '<h1 id="a">A</h1><p>x</p><h2 id="b">B</h2><p>y</p>',
        "",
        (Mark(None, "top"), Mark("a", "a"), Mark("gone", "a"), Mark("b", "b")),
    )
    sections = (
        Section("top", "Top", 1, None, 0),
        Section("a", "A", 1, None, 0),
        Section("b", "B", 2, "a", 0),
    )
    pack = RenderedPack(Path("."), "t", None, None, "", sections, (document,))
    assert printable(pack, "a").html == '<h1 id="a">A</h1><p>x</p><h2 id="b">B</h2><p>y</p>'
    assert printable(pack, "b").html == '<h2 id="b">B</h2><p>y</p>'
    assert printable(pack, "top").html == ""
    assert printable(pack, "b").outline == (OutlineEntry("B", 1, "b"),)


def test_an_anchor_with_markup_characters_is_found_escaped() -> None:
    document = RenderedDocument(
        "a.md",
        "a",
        '<p>x</p><h2 id="a&amp;b">A</h2><p>y</p>',
        "",
        (Mark(None, "top"), Mark("a&b", "a&b")),
    )
    sections = (Section("top", "Top", 1, None, 0), Section("a&b", "A", 2, "top", 0))
    pack = RenderedPack(Path("."), "t", None, None, "", sections, (document,))
    assert printable(pack, "a&b").html == '<h2 id="a&amp;b">A</h2><p>y</p>'
    assert printable(pack, "top").html == document.html


def test_a_link_to_an_id_with_an_ampersand_is_kept_in_its_printout(tmp_path: Path) -> None:
    # The href was escaped a second time before it was looked up among the ids: a link
    # into the printed section itself was dropped when its id held "&" or a quote.
    root = write_pack(
        tmp_path / "p",
        {"a.md": "# G\n\n## A\n\nSee [rules](#r&d).\n\n### R and D {: #r&d }\n\nText.\n"},
    )
    pack = render_pack(load_pack(root))
    printed = printable(pack, "a").html
    assert '<a href="#r&amp;d">rules</a>' in printed, printed
