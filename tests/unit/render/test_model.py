"""Render room tests: the rendered pack's types, caches, drafts, outline tree and stylesheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketreader.render import draft as draft_module
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.markdown_html import DocumentHtml, MarkdownRenderer
from ketreader.render.model import (
    Mark,
    RenderedDocument,
    RenderedPack,
    Section,
    document_from_row,
    document_to_row,
    pack_from_json,
    pack_to_json,
)
from ketreader.render.outline import build_outline
from ketreader.render.scan import MAX_ANCHORS, SectionSlot
from ketreader.render.stylesheet import PALETTES, THEMES, document_css, export_css, palette

DOC = RenderedDocument(
    "a.md",
    "top",
    "<h1>x</h1>",
    "Top\n\nfirst\n\nSub\n\nsub text\n\nback",
    (Mark(None, "top"), Mark("sub", "sub"), Mark("top--resume-1", "top")),
    ("top--note-1",),
    ("simplified",),
)
SECTIONS = (
    Section("top", "Top", 1, None, 0, (5, 10, 27, 31)),
    Section("sub", "Sub", 2, "top", 0, (17, 25)),
    Section("empty", "Empty", 2, "top", 0),
)


def pack() -> RenderedPack:
    second = RenderedDocument("b.md", "b", "", "second", ())
    return RenderedPack(Path("/p"), "T", "1", "en", "f" * 64, SECTIONS, (DOC, second), note="N")


def test_a_section_reads_its_runs_of_the_documents_text() -> None:
    rendered = pack()
    assert rendered.section_text(SECTIONS[0]) == "first\n\nback"
    assert rendered.section_text(SECTIONS[1]) == "sub text"
    assert rendered.section_text(SECTIONS[2]) == ""
    assert rendered.text == DOC.text + "\n\nsecond"


def test_sections_are_found_by_id() -> None:
    rendered = pack()
    assert rendered.section("sub") is SECTIONS[1]
    assert rendered.section("nope") is None
    assert rendered.section("top") is SECTIONS[0]


def test_an_outline_entry_is_the_sections_place() -> None:
    assert SECTIONS[1].outline_entry() == {
        "id": "sub",
        "title": "Sub",
        "level": 2,
        "parent": "top",
    }


def test_a_document_row_is_plain_lists_and_back() -> None:
    row = document_to_row(DOC)
    assert row == [
        "a.md",
        "top",
        "<h1>x</h1>",
        DOC.text,
        [[None, "top"], ["sub", "sub"], ["top--resume-1", "top"]],
        ["top--note-1"],
        ["simplified"],
    ]
    assert document_from_row(row) == DOC


def test_the_json_form_holds_everything_and_reads_back() -> None:
    data = pack_to_json(pack())
    assert data == {
        "title": "T",
        "version": "1",
        "language": "en",
        "note": "N",
        "fingerprint": "f" * 64,
        "sections": [
            ["top", "Top", 1, None, 0, [5, 10, 27, 31]],
            ["sub", "Sub", 2, "top", 0, [17, 25]],
            ["empty", "Empty", 2, "top", 0, []],
        ],
        "documents": [document_to_row(d) for d in pack().documents],
    }
    back = pack_from_json(data, Path("/q"))
    assert (back.root, back.title, back.version, back.language, back.note) == (
        Path("/q"),
        "T",
        "1",
        "en",
        "N",
    )
    assert back.fingerprint == "f" * 64
    assert back.sections == SECTIONS and back.documents == pack().documents
    assert (back.warnings, back.diagnostics) == ((), ())


@pytest.mark.parametrize(
    "row",
    [
        ["top", "Top", 1, None, 0, [5, 10], "text"],
        ["top", "Top", 1, None, 0],
        ["top", "Top", 1, None, 0, [5, "10"]],
    ],
)
def test_a_cache_of_an_older_layout_is_refused(row: list[object]) -> None:
    data = pack_to_json(pack())
    data["sections"] = [row]
    with pytest.raises(ValueError, match="not a section row"):
        pack_from_json(data, Path("/q"))


def test_a_cache_with_a_missing_key_is_refused() -> None:
    data = pack_to_json(pack())
    del data["note"]
    with pytest.raises(KeyError):
        pack_from_json(data, Path("/q"))


# -- drafts -----------------------------------------------------------------------------------


def test_a_draft_holds_the_scan_and_the_toc_ids() -> None:
    draft = render_draft("a.md", "# A\n\ntext\n\n## B\n")
    assert draft.path == "a.md"
    assert draft.pieces == ('<h1 id="', '">A</h1>\n<p>text</p>\n<h2 id="', '">B</h2>')
    assert draft.slots == (SectionSlot(0), SectionSlot(1))
    assert draft.text == "A\n\ntext\n\nB"
    assert draft.heading_ids == ("a", "b")
    assert draft.leading_h1 == "a"
    assert (draft.problem, draft.line, draft.warnings, draft.notes) == (None, None, (), ())
    assert draft.marks == (SectionSlot(0), SectionSlot(1))


def test_headings_past_the_scans_cap_reserve_no_ids() -> None:
    # Ten notes take ten anchors: of 995 headings, the last five are past the cap.
    notes = "note\n{: .safety-note}\n\n" * 10
    text = notes + "\n\n".join(f"## H{n}" for n in range(MAX_ANCHORS - 5))
    draft = render_draft("a.md", text)
    assert len(draft.heading_ids) == MAX_ANCHORS - 10
    assert draft.heading_ids[-1] == f"h{MAX_ANCHORS - 11}"
    assert draft.warnings == (
        ("more than 1,000 headings: the rest are not listed as sections", None),
    )


def test_bound_warnings_come_before_the_scans() -> None:
    text = "x" * 1001 + "\n\n" + "[" * 2000 + "\n\n" + "y" * 1500
    draft = render_draft("a.md", text)
    assert [line for _message, line in draft.warnings] == [3, None]
    assert draft.warnings[1][0] == "a word longer than 1,000 characters is shown cut short"


def test_a_recursion_error_is_one_line_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(self: MarkdownRenderer, text: str) -> DocumentHtml:
        raise RecursionError

    monkeypatch.setattr(MarkdownRenderer, "convert", deep)
    monkeypatch.setattr(draft_module, "_renderer", None)
    assert render_draft("a.md", "x") == DocumentDraft(
        "a.md", problem="Markdown nests too deeply to render"
    )
    assert draft_module._renderer is not None  # kept: nothing was half done


@pytest.mark.parametrize("error", [ValueError, IndexError, KeyError, AttributeError])
def test_markdowns_own_failures_are_named_and_the_renderer_replaced(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def fail(self: MarkdownRenderer, text: str) -> DocumentHtml:
        raise error("secret text")

    render_draft("warm.md", "x")
    monkeypatch.setattr(MarkdownRenderer, "convert", fail)
    draft = render_draft("a.md", "x")
    assert draft == DocumentDraft(
        "a.md", problem=f"Markdown cannot render this document ({error.__name__})"
    )
    assert draft_module._renderer is None
    monkeypatch.undo()
    assert render_draft("a.md", "x").text == "x"


def test_one_renderer_serves_every_document() -> None:
    render_draft("a.md", "x")
    first = draft_module._renderer
    render_draft("b.md", "y")
    assert draft_module._renderer is first and first is not None


# -- the outline tree -------------------------------------------------------------------------


def test_the_outline_tree_keeps_reading_order() -> None:
    sections = (
        Section("a", "A", 1, None, 0),
        Section("b", "B", 2, "a", 0),
        Section("c", "C", 2, "a", 0),
        Section("d", "D", 1, None, 0),
        Section("e", "E", 2, "gone", 0),
    )
    root, by_id = build_outline(sections)
    assert root.section is None and root.parent is None and root.row() == 0
    assert [n.section.id for n in root.children if n.section] == ["a", "d", "e"]
    assert [n.section.id for n in by_id["a"].children if n.section] == ["b", "c"]
    assert by_id["c"].parent is by_id["a"] and by_id["c"].row() == 1
    assert by_id["d"].row() == 1 and by_id["e"].row() == 2
    assert by_id["b"].children == [] and set(by_id) == {"a", "b", "c", "d", "e"}


# -- the stylesheet ---------------------------------------------------------------------------


def test_every_theme_has_a_full_palette() -> None:
    assert THEMES == ("light", "dark", "high-contrast")
    assert set(PALETTES) == set(THEMES)
    keys = set(PALETTES["light"])
    assert all(set(p) == keys for p in PALETTES.values())
    assert palette("dark") is PALETTES["dark"]
    assert palette("purple") is PALETTES["light"]


@pytest.mark.parametrize("theme", THEMES)
def test_the_document_stylesheet_is_filled_in_without_comments(theme: str) -> None:
    css = document_css(theme)
    assert "/*" not in css and "$" not in css
    assert PALETTES[theme]["fg"] in css and PALETTES[theme]["note_bg"] in css
    export = export_css(theme)
    assert export.startswith(css)
    assert f"nav.toc {{ border-bottom: 1px solid {PALETTES[theme]['rule']};" in export
    assert "max-width: 34em" in export


def test_the_default_theme_is_light() -> None:
    assert document_css() == document_css("light")
    assert export_css() == export_css("light")
    assert document_css("unknown") == document_css("light")
