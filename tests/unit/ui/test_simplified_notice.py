"""UI room tests: the window says when a document is shown simplified to keep it safe."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ketreader.ketpack.build import build_pack
from ketreader.pipeline import open_library
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window

LONG_WORD = "x" * 200_000


def test_a_simplified_document_is_said_in_the_status_bar(qtbot: QtBot, tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "p",
        {"a.md": "# Plain\n\nNothing odd.\n", "b.md": f"# Odd\n\nA word: {LONG_WORD}\n"},
    )
    window = make_window(qtbot, pack=pack)
    window.open_section(window.library.sections[0].id)
    assert "simplified" not in window.statusBar().currentMessage()
    odd = next(s for s in window.library.sections if s.title == "Odd")
    window.open_section(odd.id)
    message = window.statusBar().currentMessage()
    assert message.startswith("Parts of this document are shown simplified: ")


def test_a_compiled_pack_keeps_what_was_simplified(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "p", {"b.md": f"# Odd\n\nA word: {LONG_WORD}\n"})
    target = tmp_path / "odd.ketpack"
    build_pack(pack, target)
    library = open_library(target)
    assert library.document(0).simplified
    assert open_library(pack).document(0).simplified == library.document(0).simplified
