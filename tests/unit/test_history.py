"""History room tests: back, forward and branching, like a browser's."""

from __future__ import annotations

from ketreader.history import History


def test_back_and_forward_walk_the_visits() -> None:
    history = History()
    assert history.back() is None and history.current is None
    for place in ("a", "b", "c"):
        history.visit(place)
    assert history.back() == "b"
    assert history.back() == "a"
    assert history.back() is None
    assert history.forward() == "b"
    assert history.current == "b"


def test_a_new_visit_drops_the_forward_part() -> None:
    history = History()
    for place in ("a", "b", "c"):
        history.visit(place)
    history.back()
    history.visit("d")
    assert history.forward() is None
    assert [history.back(), history.back()] == ["b", "a"]


def test_visiting_the_current_place_again_records_nothing() -> None:
    history = History()
    history.visit("a")
    history.visit("a")
    assert history.back() is None
