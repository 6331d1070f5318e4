"""A11y test room: the section sidebar's entries, their levels and folding, over AT-SPI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.conftest import AccessibleReader, Node, by_role

FOCUS = "focus:"


@pytest.fixture(scope="module")
def reader(display: str, home: Path) -> Iterator[AccessibleReader]:
    running = AccessibleReader(display, home / "sidebar")
    yield running
    running.quit()


def entries(reader: AccessibleReader) -> dict[str, Node]:
    tree = reader.tree()
    outline = next(n for n in by_role(tree, "tree") if n["name"] == "Sections")
    return {n["name"]: n for n in tree if n["path"].startswith(outline["path"] + "/")
            and n["role"] == "table cell"}  # fmt: skip


def test_entries_say_their_level_and_only_parents_are_expanded(reader: AccessibleReader) -> None:
    found = entries(reader)
    assert "Approved medical uses, level 2" in found
    assert "Pain management, level 3" in found
    parents = {name for name, node in found.items() if "expandable" in node["states"]}
    assert parents == {
        "What is ketamine?, level 1",
        "Approved medical uses, level 2",
        "Frequently asked questions, level 2",
    }
    for name, node in found.items():
        # "expanded" on an entry with nothing under it would promise entries that are not there.
        assert ("expanded" in node["states"]) == (name in parents), name


def test_a_folded_entry_says_so(reader: AccessibleReader) -> None:
    # The sidebar has focus at start, on the title; five times Down: "Approved medical uses".
    moved = reader.events(FOCUS, FOCUS, reader.xdotool("key", "--delay", "60", *["Down"] * 5))
    assert moved[-1]["source_name"] == "Approved medical uses, level 2"
    reader.keys("Left")
    # Qt's AT-SPI bridge forwards no "expanded" state change (see docs/accessibility.md), so a
    # screen reader hears the new state when it reads the entry again.
    node = entries(reader)["Approved medical uses, level 2"]
    assert "expandable" in node["states"] and "expanded" not in node["states"]
    reader.keys("Right")
    assert "expanded" in entries(reader)["Approved medical uses, level 2"]["states"]
