"""A11y test room: every link of a pack, with its target, as AT-SPI shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.conftest import AccessibleReader, Node, by_path, by_role
from tests.conftest import write_pack

LINKS = """# Links test

See [the second part](#second-part) and the [*Qt* documentation](https://doc.qt.io/).

## Second part

Back to [the top](#links-test).

### Deeper

Nothing links here.
"""


@pytest.fixture(scope="module")
def reader(display: str, home: Path) -> Iterator[AccessibleReader]:
    pack = write_pack(home / "links-pack", {"a.md": LINKS}, title="Links test")
    running = AccessibleReader(display, home / "links", "--content", str(pack))
    yield running
    running.quit()


@pytest.fixture(scope="module")
def tree(reader: AccessibleReader) -> list[Node]:
    return reader.tree()


def test_every_link_is_present_with_its_target(tree: list[Node]) -> None:
    links = by_role(tree, "link")
    assert [link["name"] for link in links] == [
        "the second part",
        "Qt documentation",
        "the top",
    ]
    # Internal links flow to the heading they go to; external ones say their address.
    targets = [
        by_path(tree, link["relations"]["flows to"][0])["name"]
        if "flows to" in link["relations"] else link["description"]
        for link in links
    ]  # fmt: skip
    assert targets == ["Second part", "External link to https://doc.qt.io/", "Links test"]
    assert links[0]["description"] == "Link to the section “Second part”"
    assert all("focusable" in link["states"] for link in links)


def test_headings_of_the_pack_with_levels(tree: list[Node]) -> None:
    headings = [(h["name"], h["attributes"]["level"]) for h in by_role(tree, "heading")]
    assert headings == [("Links test", "1"), ("Second part", "2"), ("Deeper", "3")]


def test_tab_in_the_text_focuses_each_link(reader: AccessibleReader, tree: list[Node]) -> None:
    del tree  # walked first: the links exist
    reader.keys("ctrl+k")
    reader.keys("Tab")  # from the search field to the text
    focus = "focus:,object:state-changed:focused"
    first = reader.events(focus, "focus:", reader.xdotool("key", "Tab"))
    seen = [(e["source_role"], e["source_name"]) for e in first if e["type"] == "focus:"]
    assert seen[-1] == ("link", "the second part")
    second = reader.events(focus, "focus:", reader.xdotool("key", "Tab"))
    seen = [(e["source_role"], e["source_name"]) for e in second if e["type"] == "focus:"]
    assert seen[-1] == ("link", "Qt documentation")
