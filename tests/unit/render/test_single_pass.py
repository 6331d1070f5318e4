"""Render room tests: one pass per document in the worker, slots filled by assemble."""

from __future__ import annotations

import itertools
import pickle
import sys
from pathlib import Path

import pytest

from ketreader.content.pack import load_pack
from ketreader.render.draft import render_draft
from ketreader.render.markdown_html import MarkdownRenderer
from ketreader.render.model import Mark, RenderedPack
from ketreader.render.pack_render import _IdRegistry, assemble, render_pack
from tests.conftest import GUIDE, REPO, write_pack

INLINE_SAMPLES = [
    "plain words only, nothing else",
    "two trailing spaces  \nmake a break",
    "*em* and **strong** and _under_ and __dunder__ and ***both***",
    "a `code span` and ``double `tick` code`` and \\`escaped\\`",
    "[link](https://example.org) [ref][r] [r] ![img](x.png) ![ref img][r]\n\n[r]: b.md",
    "<https://example.org> <a@example.org> <span>html</span> &amp; &copy; &#169; &#xA9;",
    "stars * alone * and _ alone _ and 2*3*4",
    "# Heading with *em* and `code`\n\n> quote with [link](#heading-with-em-and-code)",
    "| a | *b* |\n| - | - |\n| `c` | [d](e.md) |",
    "- item *one*\n- item `two`\n\n1. first\n2. second  \n   broken",
    "[![badge](b.png)](c.md) ! alone, \\[not a link\\] and snake_case_word",
    '`&amp; <b>` in code, *<https://example.org>* in emphasis, <abbr title="x">X</abbr>',
    "ends with a break  \n\nnext [ref] and [ref][] and ![i][ref]\n\n[ref]: https://example.org",
    "**bold with `code` and [link](x.md) inside** and __*mixed*__ ___three___",
]


def test_triggered_inline_patterns_change_nothing() -> None:
    fast, stock = MarkdownRenderer(), MarkdownRenderer(triggered=False)
    assert type(fast._md.treeprocessors["inline"]) is not type(stock._md.treeprocessors["inline"])
    guide = [p.read_text("utf-8") for p in sorted(GUIDE.glob("*.md"))]
    assert guide
    for sample in [*INLINE_SAMPLES, *guide]:
        assert fast.convert(sample) == stock.convert(sample)


def test_generated_documents_render_the_same_with_only_triggered_patterns(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.render_docs import generate
    finally:
        sys.path.remove(str(REPO))
    pack = load_pack(generate(tmp_path / "p", 6, 5))
    fast, stock = MarkdownRenderer(), MarkdownRenderer(triggered=False)
    for document in pack.documents:
        assert fast.convert(document.text) == stock.convert(document.text)


def test_drafts_survive_pickling_and_assemble_alike(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "p",
        {"a.md": "# A\n\n## Notes\n\n[b](b.md#notes)\n", "b.md": "# B\n\n## Notes\n\ntext\n"},
    )
    pack = load_pack(root)
    drafts = [render_draft(d.path, d.text) for d in pack.documents]
    copied = [pickle.loads(pickle.dumps(d)) for d in drafts]
    one, other = assemble(pack, drafts), assemble(pack, copied)
    assert [d.html for d in one.documents] == [d.html for d in other.documents]
    assert 'href="#notes-2"' in one.documents[0].html


def _resumed(tmp_path: Path) -> RenderedPack:
    return render_pack(
        load_pack(
            write_pack(
                tmp_path / "p",
                {
                    "a.md": "# Guide\n\nLead.\n\n## Uses\n\nFirst use.\n\n### Pain\n\n"
                    "Pain text.\n\nBack to uses.\n{: .section-end}\n\nMore uses.\n\n"
                    "Be careful.\n{: .safety-note}\n"
                },
            )
        )
    )


def test_a_parent_resumed_after_a_subsection_keeps_both_runs(tmp_path: Path) -> None:
    pack = _resumed(tmp_path)
    uses, pain = pack.section("uses"), pack.section("pain")
    assert uses is not None and pain is not None
    assert pack.section_text(uses) == "First use.\n\nBack to uses.\n\nMore uses.\n\nBe careful."
    assert pack.section_text(pain) == "Pain text."
    assert len(uses.spans) == 4  # two runs of the document's text, no copy of either


def test_marks_and_notes_take_the_pack_ids(tmp_path: Path) -> None:
    pack = _resumed(tmp_path)
    document = pack.documents[0]
    assert document.marks == (
        Mark("guide", "guide"),
        Mark("uses", "uses"),
        Mark("pain", "pain"),
        Mark("uses--resume-1", "uses"),
    )
    assert document.notes == ("uses--note-1",)
    assert '<p id="uses--resume-1">Back to uses.</p>' in document.html
    assert '<p class="safety-note" id="uses--note-1">Be careful.</p>' in document.html


def test_sections_hold_offsets_not_copies() -> None:
    pack = render_pack(load_pack(GUIDE))
    assert "html" not in pack.sections[0]._fields and "text" not in pack.sections[0]._fields
    document = pack.documents[0].text
    runs = sorted(
        (s.spans[i], s.spans[i + 1]) for s in pack.sections for i in range(0, len(s.spans), 2)
    )
    # Every run is a stretch of the document's one text, and no two overlap.
    assert all(0 <= a < b <= len(document) for a, b in runs)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(runs))


def test_id_registry_is_linear_with_shared_headings() -> None:
    registry = _IdRegistry()
    ids = [registry.unique("notes") for _ in range(20_000)]
    assert ids[:3] == ["notes", "notes-2", "notes-3"] and len(set(ids)) == 20_000
    # A heading literally named like a suffixed id is skipped, as before.
    registry = _IdRegistry()
    assert [registry.unique(b) for b in ("a-2", "a", "a", "a")] == ["a-2", "a", "a-3", "a-4"]


@pytest.mark.parametrize("start", ["²", "9" * 5000, "-3", "1e3"])
def test_a_list_start_nobody_can_count_from_starts_at_one(tmp_path: Path, start: str) -> None:
    text = f'# L\n\n<ol start="{start}"><li>x</li><li>y</li></ol>\n'
    pack = render_pack(load_pack(write_pack(tmp_path / "p", {"a.md": text})))
    assert "1. x\n2. y" in pack.documents[0].text
    assert "start=" not in pack.documents[0].html
