"""Render room tests: joining drafts into the pack: ids, titles, links, images and reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import Pack, load_pack
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.model import Mark, RenderedPack, Section
from ketreader.render.pack_render import LEAVING_SCHEMES, _IdRegistry, assemble, render_pack
from tests.conftest import write_pack

REFUSED_SCHEME = "(only https: and mailto: links leave the reader)"
REFUSED_PATH = "(a link inside the pack must point at one of its documents)"


def render(tmp_path: Path, documents: dict[str, str], title: str = "Test pack") -> RenderedPack:
    return render_pack(load_pack(write_pack(tmp_path / "p", documents, title)))


def messages(pack: RenderedPack) -> list[tuple[str, str]]:
    return [(d.severity, d.message) for d in pack.diagnostics]


def test_only_https_and_mailto_leave() -> None:
    assert LEAVING_SCHEMES == ("https:", "mailto:")


# -- ids and titles ---------------------------------------------------------------------------


def test_the_registry_keeps_reserved_ids_and_slugs_the_rest() -> None:
    registry = _IdRegistry()
    registry.reserve("a.md", ("intro", "intro_1"))
    registry.reserve("b.md", ("intro",))
    assert registry.by_document == {
        ("a.md", "intro"): "intro",
        ("a.md", "intro_1"): "intro_1",
        ("b.md", "intro"): "intro-2",
    }
    assert registry.heading_id("b.md", "intro") == "intro-2"
    assert registry.heading_id("c.md", "intro") == "intro-3"
    assert registry.heading_id("a.md", "Hello World") == "hello-world"
    assert registry.heading_id("a.md", None) == "section"
    assert registry.heading_id("a.md", "") == "section-2"
    assert registry.heading_id("a.md", "🎉") == "section-3"


def test_one_document_takes_the_packs_title_and_several_their_names(tmp_path: Path) -> None:
    one = render(tmp_path / "one", {"guide.md": "Text.\n"}, title="My guide")
    assert [(s.id, s.title, s.level, s.parent) for s in one.sections] == [
        ("my-guide", "My guide", 1, None)
    ]
    assert one.documents[0].title_id == "my-guide"
    assert one.documents[0].marks == (Mark(None, "my-guide"),)
    two = render(tmp_path / "two", {"sub/first part.md": "x\n", "b.md": "y\n"}, title="Guide")
    assert [(s.id, s.title) for s in two.sections] == [("first-part", "first part"), ("b", "b")]
    assert [d.title_id for d in two.documents] == ["first-part", "b"]


def test_a_file_name_with_direction_controls_is_isolated(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a\u202eé.md": "x\n", "b.md": "y\n"})
    assert pack.sections[0].title == "\u2068aé\u2069"


def test_a_leading_heading_gives_the_document_its_id(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": "# Start\n\nx\n", "b.md": "# Start\n\ny\n", "c.md": "z\n"})
    assert [d.title_id for d in pack.documents] == ["start", "start-2", "c"]
    assert [(s.id, s.parent) for s in pack.sections] == [
        ("start", None),
        ("start-2", None),
        ("c", None),
    ]


def test_a_document_title_never_takes_a_reserved_heading_id(tmp_path: Path) -> None:
    pack = render(tmp_path, {"intro.md": "Lead.\n\n## Intro\n", "b.md": "x\n"})
    assert [s.id for s in pack.sections] == ["intro-2", "intro", "b"]
    assert pack.documents[0].marks == (Mark(None, "intro-2"), Mark("intro", "intro"))


def test_sections_take_their_titles_parents_and_spans(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": "Lead.\n\n## Sub *x*\n\nBody.\n\n### \n\n## Two\n"})
    assert pack.sections == (
        Section("test-pack", "Test pack", 1, None, 0, (0, 5)),
        Section("sub-x", "Sub x", 2, "test-pack", 0, (14, 19)),
        Section("section", "section", 3, "sub-x", 0, ()),
        Section("two", "Two", 2, "test-pack", 0, ()),
    )
    assert pack.documents[0].html == (
        '<p>Lead.</p>\n<h2 id="sub-x">Sub <em>x</em></h2>\n<p>Body.</p>\n'
        '<h3 id="section"></h3>\n<h2 id="two">Two</h2>'
    )


def test_the_rendered_pack_carries_the_packs_values(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "x\x00\n"})
    (root / "pack.toml").write_text(
        'title = "T"\ndocuments = ["a.md"]\nversion = "3"\nlanguage = "fr"\nnote = "N"\n', "utf-8"
    )
    loaded = load_pack(root)
    pack = render_pack(loaded)
    assert (pack.root, pack.title, pack.version, pack.language, pack.note) == (
        root,
        "T",
        "3",
        "fr",
        "N",
    )
    assert pack.fingerprint == loaded.fingerprint and pack.warnings == loaded.warnings
    assert len(pack.warnings) == 1


# -- problems ---------------------------------------------------------------------------------


def test_every_document_that_cannot_be_rendered_is_named(tmp_path: Path) -> None:
    pack = Pack(tmp_path, "T", ())
    drafts = [
        DocumentDraft("a.md", problem="too deep", line=7),
        DocumentDraft("b.md"),
        DocumentDraft("c.md", problem="broken"),
    ]
    with pytest.raises(PackError) as info:
        assemble(pack, drafts)
    assert info.value.diagnostics == [
        Diagnostic(str(tmp_path / "a.md"), "too deep", line=7),
        Diagnostic(str(tmp_path / "c.md"), "broken"),
    ]


def test_bounded_content_is_reported_as_warnings_with_lines(tmp_path: Path) -> None:
    text = "# A\n\n" + "[" * 2000 + "\n"
    pack = render(tmp_path, {"a.md": text})
    warning = (
        "a paragraph of 2,000 characters with too many '[' brackets is shown as plain text"
        " (as Markdown it would take minutes to render)"
    )
    assert pack.diagnostics == (Diagnostic(str(pack.root / "a.md"), warning, "warning", 3),)
    assert pack.documents[0].simplified == (warning,)


def test_problems_are_reported_warnings_first_then_links_then_images(tmp_path: Path) -> None:
    text = "# A\n\n[x](nowhere.md) ![r](https://e/x.png) ![m](gone.png)\n\n" + "[" * 2000 + "\n"
    root = write_pack(tmp_path / "p", {"a.md": text})
    pack = render_pack(load_pack(root))
    shown = str(root / "a.md")
    assert [(d.path, d.severity, d.line) for d in pack.diagnostics] == [
        (shown, "warning", 5),
        (shown, "error", None),
        (shown, "error", None),
        (shown, "warning", None),
    ]
    assert [d.message for d in pack.diagnostics][1:] == [
        "link target not found: nowhere.md",
        "image not found in the pack: gone.png",
        "remote image shown as its alt text: https://e/x.png",
    ]


# -- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href", ["https://e.org/a?b&c", "MAILTO:a@b", " Https://x", "mailto:x@y.org"]
)
def test_links_that_may_leave_are_kept_as_written(tmp_path: Path, href: str) -> None:
    pack = render(tmp_path, {"a.md": f"[go](<{href}>)\n"})
    assert messages(pack) == []
    assert ">go</a>" in pack.documents[0].html


@pytest.mark.parametrize("href", ["//evil.example/x", "ftp://x", "http://x.org", "tel:123"])
def test_links_with_other_schemes_are_refused(tmp_path: Path, href: str) -> None:
    pack = render(tmp_path, {"a.md": f"[go]({href}) after\n"})
    assert messages(pack) == [("error", f"link refused: {href} {REFUSED_SCHEME}")]
    assert pack.documents[0].html == "<p>go after</p>"


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("/etc/a.md", f"link refused: /etc/a.md {REFUSED_PATH}"),
        ("../../x.md", f"link refused: ../../x.md {REFUSED_PATH}"),
        ("b.txt", f"link refused: b.txt {REFUSED_PATH}"),
        ("gone.md", "link target not found: gone.md"),
        ("../gone.md", "link target not found: ../gone.md"),
        ("gone.markdown#x", "link target not found: gone.markdown#x"),
        ("#missing", "link target not found: #missing"),
        ("../b.md#nope", "link target not found: ../b.md#nope"),
        ("x/y:z.md", "link target not found: x/y:z.md"),
        ("x/y:z/w.md", "link target not found: x/y:z/w.md"),  # a colon past the first "/"
        ("#a:b#c", "link target not found: #a:b#c"),  # or past the first "#"
        ("../b.md#two#", "link target not found: ../b.md#two#"),  # the first "#" splits
    ],
)
def test_links_inside_the_pack_that_lead_nowhere(tmp_path: Path, href: str, message: str) -> None:
    pack = render(tmp_path, {"sub/a.md": f"[go]({href}) after\n", "b.md": "# B\n"})
    assert messages(pack) == [("error", message)]
    assert pack.documents[0].html == "<p>go after</p>"


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("../b.md", "#bee"),
        ("../b.md#two", "#two"),
        ("../b.md#two_1", "#two_1"),
        ("../%62.md", "#bee"),
        ("./../sub/../b.md", "#bee"),
        ("#sub-x", "#sub-x"),
        ("a.md#sub%2Dx", "#sub-x"),
        ("", "#a"),
    ],
)
def test_links_inside_the_pack_point_at_pack_ids(tmp_path: Path, href: str, target: str) -> None:
    pack = render(
        tmp_path,
        {"sub/a.md": f"[go](<{href}>)\n\n## Sub x\n", "b.md": "# Bee\n\n## Two\n\n## Two\n"},
    )
    assert messages(pack) == []
    assert pack.documents[0].html.startswith(f'<p><a href="{target}">go</a></p>')


def test_a_link_in_a_heading_and_a_link_without_href(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": '## See [b](b.md) <a title="t">x</a>\n', "b.md": "B\n"})
    assert pack.documents[0].html == (
        '<h2 id="see-b-x">See <a href="#b">b</a> <a title="t">x</a></h2>'
    )


def test_an_id_with_markup_characters_is_escaped(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": '## X {: #a&b"c }\n\n[l](#a&b"c)\n'})
    assert pack.sections[1].id == 'a&b"c'
    assert pack.documents[0].html == (
        '<h2 id="a&amp;b&quot;c">X</h2>\n<p><a href="#a&amp;b&quot;c">l</a></p>'
    )


# -- images -----------------------------------------------------------------------------------


def test_images_in_the_pack_are_kept_by_their_pack_path(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "p",
        {"sub/a.md": "![q](../img/p.png?v=1) ![s](./p%20q.png) ![d](../img) ![e]()\n"},
    )
    (root / "img").mkdir()
    (root / "img" / "p.png").write_bytes(b"x")
    (root / "sub" / "p q.png").write_bytes(b"x")
    pack = render_pack(load_pack(root))
    assert pack.documents[0].html == (
        '<p><img alt="q" src="img/p.png"> <img alt="s" src="sub/p q.png"> d e</p>'
    )
    assert messages(pack) == [
        ("error", "image not found in the pack: ../img"),
        ("error", "image not found in the pack: (empty src)"),
    ]


@pytest.mark.parametrize("src", ["https://e/x.png", "//h/x.png", "data:image/png;base64,AA=="])
def test_remote_images_are_never_fetched(tmp_path: Path, src: str) -> None:
    pack = render(tmp_path, {"a.md": f"![alt &amp; text]({src})\n"})
    assert pack.documents[0].html == "<p>alt &amp; text</p>"
    assert messages(pack) == [("warning", f"remote image shown as its alt text: {src}")]


def test_a_colon_past_the_first_slash_is_part_of_a_pack_path(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": "![o](x/a:b/p.png)\n"})
    assert messages(pack) == [("error", "image not found in the pack: x/a:b/p.png")]


def test_an_image_leaving_the_pack_is_missing(tmp_path: Path) -> None:
    (tmp_path / "out.png").write_bytes(b"x")
    pack = render(tmp_path, {"a.md": "![o](../out.png)\n"})
    assert messages(pack) == [("error", "image not found in the pack: ../out.png")]


# -- drafts and notes -------------------------------------------------------------------------


def test_notes_and_resumed_runs_get_pack_ids_in_every_document(tmp_path: Path) -> None:
    doc = "# N\n\n## Sub\n\nText.\n\nCareful.\n{: .safety-note}\n\nBack.\n{: .section-end}\n"
    pack = render(tmp_path, {"a.md": doc, "b.md": doc})
    assert [d.notes for d in pack.documents] == [("sub--note-1",), ("sub-2--note-1",)]
    assert pack.documents[1].marks == (
        Mark("n-2", "n-2"),
        Mark("sub-2", "sub-2"),
        Mark("n-2--resume-1", "n-2"),
    )


def test_assembling_a_draft_twice_gives_the_same_pack(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n[x](#a)\n"})
    loaded = load_pack(root)
    drafts = [render_draft(d.path, d.text) for d in loaded.documents]
    first, second = assemble(loaded, drafts), assemble(loaded, drafts)
    assert first.documents == second.documents and first.sections == second.sections
