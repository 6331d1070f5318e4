"""Wiring room tests: a pack being prepared, as the window reads it."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from ketreader.content.pack import load_pack
from ketreader.partial_library import STILL_PREPARING, PartialLibrary, PreparingPack, stand_in_id
from ketreader.render.draft import render_draft
from tests.conftest import write_pack


def preparing(tmp_path: Path, count: int = 4) -> PreparingPack:
    docs = {f"d{n}.md": f"# Doc {n}\n\n## Intro\n\nText {n}.\n" for n in range(count)}
    pack = load_pack(write_pack(tmp_path / "p", docs))
    return PreparingPack(pack)


def test_finished_documents_replace_their_stand_ins_and_the_rest_say_so(tmp_path: Path) -> None:
    shared = preparing(tmp_path)
    for document in shared.pack.documents[:2]:
        shared.add(render_draft(document.path, document.text))
    library = PartialLibrary(shared)
    assert [s.id for s in library.sections] == [stand_in_id(n) for n in range(4)]
    library.show(shared.take(1))  # about one section's worth: one document
    assert [s.id for s in library.sections][:3] == ["doc-0", "intro", stand_in_id(1)]
    assert library.section(stand_in_id(0)) == library.section("doc-0")  # the old id leads on
    assert STILL_PREPARING in library.document(1).html
    library.show(shared.take(100))
    assert "Text 1." in library.document(1).html and library.ready_count == 2
    assert library.document_count == 4 and STILL_PREPARING in library.document(3).html


def test_a_pack_let_go_of_is_freed_at_once(tmp_path: Path) -> None:
    shared = preparing(tmp_path)
    for document in shared.pack.documents:
        shared.add(render_draft(document.path, document.text))
    library = PartialLibrary(shared)
    library.show(shared.take(100))
    gone = weakref.ref(library)
    gc.disable()
    try:
        del library, shared
        assert gone() is None  # no reference cycle keeps its documents until a collection
    finally:
        gc.enable()


def test_a_link_into_a_document_held_back_leads_to_its_still_preparing_page(
    tmp_path: Path,
) -> None:
    from ketreader.navigator import Navigator
    from ketreader.partial_library import GrowingNavigator

    docs = {
        "a.md": "# A\n\nSee [the details](b.md#details).\n",
        "b.md": "Words before any title: held back to the end.\n\n## Details\n\nText.\n",
        "c.md": "# C\n\nText.\n",
    }
    pack = load_pack(write_pack(tmp_path / "held", docs))
    shared = PreparingPack(pack)
    for document in pack.documents:
        shared.add(render_draft(document.path, document.text))
    library = PartialLibrary(shared)
    library.show(shared.take(100))
    assert not library.is_ready(1) and library.is_ready(0)
    assert 'href="#details"' in library.document(0).html
    navigator = GrowingNavigator(library, Navigator((), lambda _i: ()))
    place = navigator.place("details")
    assert place is not None and place.section_id == stand_in_id(1) and place.document == 1
    assert navigator.place("nowhere") is None
