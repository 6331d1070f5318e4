"""Search room tests: snippets from the rendered text: windows, marks and escaping."""

from __future__ import annotations

from ketreader.search.snippets import Marker, reading_line, snippet_html


def test_marks_land_on_the_words_whatever_the_case() -> None:
    marker = Marker([["ketamine"], ["dose"]], {})
    text = "İİ KETAMINE at a Dose"  # "İ".lower() is two characters long
    found = [(text[m.start : m.end], m.concept) for m in marker.find(text)]
    assert found == [("KETAMINE", 0), ("Dose", 1)]
    plain = "Ketamine at a dose"
    assert [(plain[m.start : m.end]) for m in marker.find(plain)] == ["Ketamine", "dose"]


def test_a_prefix_marks_whole_words_only_from_their_start() -> None:
    marker = Marker([[]], {0: "blad"})
    text = "bladder, Bladders and unbladdered"
    assert [text[m.start : m.end] for m in marker.find(text)] == ["bladder", "Bladders"]


def test_reading_line_drops_list_dashes_and_keeps_numbers() -> None:
    text = "Common effects include:\n- Nausea\n- Dizziness\nMost resolve.\n1. First\n2. Second"
    assert reading_line(text) == (
        "Common effects include: Nausea · Dizziness · Most resolve. · 1. First · 2. Second"
    )


def test_the_window_holds_the_most_words_and_is_escaped() -> None:
    filler = "Words that say nothing much at all. " * 10
    line = f"{filler}Only dose here. {filler}Both <dose> & ketamine here. {filler}"
    snippet = snippet_html(line, Marker([["dose"], ["ketamine"]], {}))
    assert "&lt;<b>dose</b>&gt; &amp; <b>ketamine</b>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
