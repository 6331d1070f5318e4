"""Reading room tests: which section is being read, from where runs start; without Qt."""

from __future__ import annotations

import pytest

from ketreader.scroll_spy import ScrollSpy, from_positions

TOPS = [0.0, 100.0, 100.0, 250.0, 900.0]
IDS = ["intro", "empty", "dosing", "risks", "faq"]


@pytest.mark.parametrize(
    ("point", "section"),
    [
        (-5.0, "intro"),  # above everything: the first
        (0.0, "intro"),
        (99.9, "intro"),
        (100.0, "dosing"),  # two runs start at once: the later one is being read
        (249.0, "dosing"),
        (250.0, "risks"),
        (10_000.0, "faq"),
    ],
)
def test_the_section_is_the_last_run_starting_at_or_above_the_point(
    point: float, section: str
) -> None:
    assert ScrollSpy(IDS, lambda i: TOPS[i]).section_at(point) == section


def test_runs_not_laid_out_yet_count_as_below_everything_and_are_never_asked_twice() -> None:
    asked: list[int] = []

    def top_of(i: int) -> float | None:
        asked.append(i)
        return TOPS[i] if i < 2 else None  # only the first two runs are laid out

    spy = ScrollSpy(IDS, top_of)
    assert spy.section_at(5_000.0) == "empty"
    assert len(asked) <= 3  # a binary search, not a walk over every run


def test_a_long_document_costs_logarithmic_lookups() -> None:
    asked: list[int] = []
    ids = [f"s{i}" for i in range(100_000)]

    def top_of(i: int) -> float:
        asked.append(i)
        return float(i * 10)

    assert ScrollSpy(ids, top_of).section_at(523_456.0) == "s52345"
    assert len(asked) <= 18


def test_no_sections_is_no_section() -> None:
    assert ScrollSpy([], lambda i: 0.0).section_at(10.0) is None
    assert len(ScrollSpy(IDS, lambda i: 0.0)) == 5


def test_fixed_positions_in_any_order() -> None:
    spy = from_positions([(300, "c"), (0, "a"), (120, "b")])
    assert [spy.section_at(p) for p in (0, 119, 120, 299, 301)] == ["a", "a", "b", "b", "c"]
