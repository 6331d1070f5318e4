"""A11y test room: choosing a search result, and the search status, as AT-SPI reports them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.conftest import AccessibleReader, Node, by_path, wait_for

FOCUS = "focus:,object:state-changed:focused"


@pytest.fixture(scope="module")
def reader(display: str, home: Path) -> Iterator[AccessibleReader]:
    running = AccessibleReader(display, home / "search")
    yield running
    running.quit()


def search(reader: AccessibleReader, query: str) -> list[Node]:
    """Type ``query`` in the search field; the announcements that followed."""
    reader.keys("ctrl+k")
    typing = reader.xdotool("type", "--delay", "40", query)
    heard = reader.events("object:announcement", "object:announcement", typing)
    wait_for(reader, "list", "Search results")
    return heard


def focused(events: list[Node]) -> list[tuple[str, str]]:
    return [(e["source_role"], e["source_name"]) for e in events if e["type"] == "focus:"]


def test_down_moves_focus_through_the_results_and_is_seen(reader: AccessibleReader) -> None:
    heard = search(reader, "risk")
    best = "Risks of misuse and long-term concerns"
    assert heard[-1]["any_data"].endswith(f" results; first: {best}")
    first = reader.events(FOCUS, "focus:", reader.xdotool("key", "Down"))
    # Down chooses the second result; the list takes focus, then that result does.
    assert focused(first)[-1][0] == "list item"
    assert focused(first)[-1][1] not in ("", best)
    second = reader.events(FOCUS, "focus:", reader.xdotool("key", "Down"))
    assert focused(second)[-1][0] == "list item"
    assert focused(second)[-1][1] != focused(first)[-1][1]
    # Typing goes back to the field, with what was typed.
    back = reader.events(FOCUS, "focus:", reader.xdotool("key", "Escape"))
    assert focused(back)[-1] == ("text", "Search")


def test_the_field_controls_the_results_list(reader: AccessibleReader) -> None:
    search(reader, "bladder")
    tree = reader.tree()
    field = next(n for n in tree if n["role"] == "text" and n["name"] == "Search")
    targets = [by_path(tree, p)["name"] for p in field["relations"].get("controller for", [])]
    assert targets == ["Search results"]


def test_result_counts_are_announced(reader: AccessibleReader) -> None:
    heard = search(reader, "zzqxv")
    assert heard[-1]["any_data"] == "No results"
    heard = search(reader, "ketamine")
    assert " results; first: " in heard[-1]["any_data"]
    # A corrected word: the correction, then the one hit ("Search instead" is no result).
    heard = search(reader, "bladdr")
    assert heard[-1]["any_data"] == (
        "Showing results for bladder. 1 result; first: Risks of misuse and long-term concerns"
    )


def test_match_position_is_exposed_and_announced(reader: AccessibleReader) -> None:
    search(reader, "ketamine")
    opened = reader.events(
        "object:announcement", "object:announcement", reader.xdotool("key", "Return")
    )
    said = [e["any_data"] for e in opened if e["type"] == "object:announcement"]
    assert len(said) == 1  # once, not once for the highlights and again for the step
    first = said[-1]
    current, _, total = first.partition(" of ")
    assert 1 <= int(current) <= int(total) and int(total) > 1
    after = int(current) % int(total) + 1
    stepped = reader.events(
        "object:announcement,object:property-change:accessible-name",
        "object:announcement",
        reader.xdotool("key", "F3"),
    )
    said = [e["any_data"] for e in stepped if e["type"] == "object:announcement"]
    assert said == [f"{after} of {total}"]
    # The count beside the field says the same in its name, for reading it again later.
    label = wait_for(reader, "label", f"Match {after} of {total}")
    assert label["description"] == "Which search match is current, of how many"
