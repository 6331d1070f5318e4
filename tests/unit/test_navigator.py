"""Navigation room tests: sections, anchors, deep links, back and forward, without Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ketreader.navigator import Navigator, Place
from ketreader.render.model import Mark, Section
from tests.conftest import REPO


def _section(section_id: str, document: int, level: int = 1) -> Section:
    return Section(section_id, section_id.title(), level, None, document)


SECTIONS = [
    _section("intro", 0),
    _section("dosing", 0, 2),
    _section("risks", 1),
    _section("faq", 1, 2),
]
MARKS = {
    0: [Mark(None, "intro"), Mark("dosing-h", "dosing")],
    1: [Mark(None, "risks"), Mark("faq-h", "faq")],
}


@pytest.fixture
def nav() -> Navigator:
    return Navigator(SECTIONS, lambda document: MARKS[document])


def test_the_navigator_imports_no_qt() -> None:
    code = (
        "import sys, ketreader.navigator; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src")},
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_home_is_the_first_section(nav: Navigator) -> None:
    assert nav.home == "intro"


def test_a_section_id_and_its_deep_link_point_at_the_same_place(nav: Navigator) -> None:
    assert nav.place("faq") == Place("faq", 1, "faq-h")
    assert nav.place("ketreader://section/faq") == Place("faq", 1, "faq-h")
    assert nav.place("  KETREADER://section/faq/ \n") == Place("faq", 1, "faq-h")
    assert nav.place("risks") == Place("risks", 1, None)  # the top of its document


@pytest.mark.parametrize("link", ["nowhere", "", "ketreader://section/", "ketreader://section/x"])
def test_an_unknown_section_points_nowhere(nav: Navigator, link: str) -> None:
    assert nav.place(link) is None


def test_next_and_previous_follow_reading_order_across_documents(nav: Navigator) -> None:
    assert nav.step("dosing", 1) == "risks"
    assert nav.step("risks", -1) == "dosing"
    assert nav.step("dosing", -1) == "intro"  # back to the very first
    assert nav.step("intro", 3) == "faq"
    assert nav.step("faq", 1) is None and nav.step("intro", -1) is None
    assert nav.step("unknown", 1) is None and nav.step(None, 1) is None


def test_back_remembers_the_place_scrolled_to_and_forward_returns(nav: Navigator) -> None:
    nav.visit("intro")
    nav.visit("risks")
    assert not nav.can_go_forward
    # The reader scrolled from risks down to faq: Back first remembers faq.
    assert nav.can_go_back("faq")
    assert nav.back("faq") == "risks"
    assert nav.back("risks") == "intro"
    assert nav.back("intro") is None
    assert nav.can_go_forward
    assert nav.forward() == "risks"
    assert nav.forward() == "faq"
    assert nav.forward() is None


def test_going_somewhere_new_drops_the_forward_places(nav: Navigator) -> None:
    for section in ("intro", "dosing", "risks"):
        nav.visit(section)
    assert nav.back("risks") == "dosing"
    nav.visit("faq")
    assert not nav.can_go_forward
    assert nav.back("faq") == "dosing"


def test_nothing_to_go_back_to_before_the_first_visit(nav: Navigator) -> None:
    assert not nav.can_go_back(None)
    assert not nav.can_go_back("intro")
    nav.remember("dosing")  # nothing visited yet: scrolling alone is no history
    assert nav.history.current is None
    nav.visit("intro")
    assert not nav.can_go_back("intro")
    assert nav.can_go_back("dosing")
