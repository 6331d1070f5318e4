"""Render room tests: documents given out before the whole pack is rendered are final."""

from __future__ import annotations

from pathlib import Path

from ketreader.content.pack import load_pack
from ketreader.render.draft import render_draft
from ketreader.render.model import RenderedDocument, Section
from ketreader.render.pack_prefix import PrefixAssembler, ReadyDocument
from ketreader.render.pack_render import assemble
from tests.conftest import write_pack


def given_out(root: Path) -> dict[int, tuple[ReadyDocument, int]]:
    """Each document given out early, with how many drafts had arrived when it was."""
    pack = load_pack(root)
    assembler = PrefixAssembler(pack)
    out: dict[int, tuple[ReadyDocument, int]] = {}
    for document in pack.documents:
        for ready in assembler.add(render_draft(document.path, document.text)):
            assert ready.number not in out  # never twice
            out[ready.number] = (ready, assembler.received)
    return out


def full(root: Path) -> tuple[list[RenderedDocument], list[tuple[Section, ...]]]:
    pack = load_pack(root)
    rendered = assemble(pack, [render_draft(d.path, d.text) for d in pack.documents])
    sections = [
        tuple(s for s in rendered.sections if s.document == i)
        for i in range(len(rendered.documents))
    ]
    return list(rendered.documents), sections


def test_shared_headings_get_the_ids_of_the_full_render_as_each_document_arrives(
    tmp_path: Path,
) -> None:
    docs = {
        f"ch{n}.md": f"# Chapter {n}\n\n## Introduction\n\nText {n}.\n\n## Notes\n\nSee"
        f" [the notes](#notes) and [the start](#chapter-{n}).\n\n### Introduction\n\nMore.\n"
        for n in range(12)
    }
    root = write_pack(tmp_path / "shared", docs)
    documents, sections = full(root)
    out = given_out(root)
    assert sorted(out) == list(range(12))
    for index, (ready, received) in out.items():
        assert received == index + 1  # as soon as it arrived
        assert ready.document == documents[index]  # HTML, ids, marks, notes: identical
        assert ready.sections == sections[index]
    assert 'id="introduction-2"' in out[1][0].document.html  # unique across documents


def test_a_document_waits_for_the_documents_it_links_to(tmp_path: Path) -> None:
    docs = {
        "a.md": "# A\n\nOn to [c's details](c.md#details) and [b](b.md).\n",
        "b.md": "# B\n\nText.\n",
        "c.md": "# C\n\n## Details\n\nText.\n",
        "d.md": "# D\n\nBack to [a](a.md).\n",
    }
    root = write_pack(tmp_path / "links", docs)
    documents, _ = full(root)
    out = given_out(root)
    assert out[0][1] == 3  # a.md came out only once c.md, which it links into, was in
    assert out[1][1] == 2 and out[3][1] == 4
    for index, (ready, _received) in out.items():
        assert ready.document == documents[index]
    assert 'href="#details"' in out[0][0].document.html


def test_documents_whose_ids_only_the_whole_pack_decides_are_held_back(
    tmp_path: Path,
) -> None:
    docs = {
        # No leading H1: its top's id is picked after every heading is reserved, and the
        # later "## Notes" takes "notes" first, so the full render calls it "notes-2".
        "notes.md": "Some notes without a title.\n",
        "b.md": "# B\n\nSee [the notes file](notes.md).\n",
        "c.md": "# C\n\n## Notes\n\nText.\n",
    }
    root = write_pack(tmp_path / "held", docs)
    documents, _ = full(root)
    assert documents[0].title_id == "notes-2"
    out = given_out(root)
    assert 0 not in out and 1 not in out  # withheld: shown when the whole pack is ready
    assert out[2][0].document == documents[2]


def test_a_document_that_cannot_be_rendered_is_never_given_out(tmp_path: Path) -> None:
    docs = {"a.md": "# A\n\nText.\n", "b.md": ">" * 5000 + " deep\n"}
    root = write_pack(tmp_path / "bad", docs)
    out = given_out(root)
    assert set(out) == {0}


def test_the_full_assembly_keeps_the_html_given_out_early_rather_than_a_copy(
    tmp_path: Path,
) -> None:
    docs = {f"ch{n}.md": f"# Chapter {n}\n\n## Introduction\n\nText {n}.\n" for n in range(4)}
    root = write_pack(tmp_path / "keep", docs)
    pack = load_pack(root)
    drafts = [render_draft(d.path, d.text) for d in pack.documents]
    early = {ready.number: (ready, n) for ready, n in given_out(root).values()}
    shown = {n: ready.document for n, (ready, _received) in early.items()}
    kept = assemble(pack, drafts, shown)
    plain = assemble(pack, drafts)
    assert kept.documents == plain.documents and kept.sections == plain.sections
    assert all(kept.documents[n].html is shown[n].html for n in shown)
