"""A11y test room: the guide's headings, safety note and names, as AT-SPI shows them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ketreader.library_loader import load_library
from tests.a11y.conftest import AccessibleReader, Node, by_path, by_role


@pytest.fixture(scope="module")
def reader(display: str, home: Path) -> Iterator[AccessibleReader]:
    running = AccessibleReader(display, home / "guide")
    yield running
    running.quit()


@pytest.fixture(scope="module")
def tree(reader: AccessibleReader) -> list[Node]:
    return reader.tree()


def test_every_heading_is_present_with_its_level(tree: list[Node]) -> None:
    library = load_library(None).library
    expected = [(s.title, s.level) for s in library.sections]
    headings = [(n["name"], int(n["attributes"]["level"])) for n in by_role(tree, "heading")]
    assert headings == expected
    assert [level for _, level in headings].count(1) == 1  # one h1, then h2 and h3
    assert {level for _, level in headings} == {1, 2, 3}


def test_headings_hang_under_the_guide_text(tree: list[Node]) -> None:
    text = next(n for n in tree if n["role"] == "label" and n["name"] == "Guide text")
    assert "Text" in text["interfaces"]  # Qt's own text interface is kept
    document = by_role(tree, "document frame")[0]
    assert document["path"].rsplit("/", 1)[0] == text["path"]
    assert document["name"] == "What is ketamine?"
    assert all(h["path"].startswith(document["path"] + "/") for h in by_role(tree, "heading"))


def test_the_safety_note_is_a_note(tree: list[Node]) -> None:
    library = load_library(None).library
    notes = by_role(tree, "comment")  # AT-SPI's role for a note (ARIA's "note" maps there too)
    assert len(notes) == len(library.document(0).notes) == 1
    assert notes[0]["description"] == "Safety note"
    assert notes[0]["name"].startswith("Always consult qualified healthcare professionals")


def test_no_focusable_object_is_unnamed(tree: list[Node]) -> None:
    unnamed = [(n["path"], n["role"]) for n in tree if "focusable" in n["states"] and not n["name"]]
    assert unnamed == []


def test_status_bar_splitter_handles_and_hidden_buttons_are_named(tree: list[Node]) -> None:
    status = by_role(tree, "status bar")
    assert [s["name"] for s in status] == ["Status"]
    splitter = by_role(tree, "split pane")[0]
    handles = [n for n in tree if n["path"].rsplit("/", 1)[0] == splitter["path"]
               and n["role"] == "unknown"]  # fmt: skip
    assert handles and all(h["name"] == "Resize the sidebar" for h in handles)
    buttons = [n for n in tree if n["role"] in ("push button", "check box")]
    assert buttons and all(b["name"] for b in buttons)


def test_the_application_describes_the_product(tree: list[Node]) -> None:
    app = by_path(tree, "0")
    assert app["role"] == "application"
    assert app["name"] == "ketreader"
    assert "What is ketamine?" in app["description"]
    assert "python" not in app["description"].lower()


def test_quits_cleanly_after_being_walked(display: str, home: Path) -> None:
    # Python-made interfaces are handed back before Python's objects go: no crash at exit.
    reader = AccessibleReader(display, home / "quit")
    reader.tree()
    assert reader.quit() == 0
