"""Search room: snippet windows, where they start and end, and what the marker finds."""

from __future__ import annotations

from ketreader.search.snippets import (
    _LEAD_IN,
    ITEM_JOIN,
    SCAN_CHARS,
    SNIPPET_CHARS,
    Marker,
    reading_line,
    snippet_beside,
    snippet_html,
    text_lines,
)

DOSE = Marker([["dose"]], {})


def test_text_lines_keep_paragraphs_and_items_apart() -> None:
    text = (
        "  Intro\x00 text\x1b  \n\n- dash\n* star\n+ plus\n• bullet\n1. one\n22) two\n"
        "-5 degrees\n1234567890. big\n3.5 litres\n\x7fend\x9f"
    )
    assert text_lines(text) == [
        ("Intro text", False),
        ("dash", True),
        ("star", True),
        ("plus", True),
        ("bullet", True),
        ("1. one", True),
        ("22) two", True),
        ("-5 degrees", False),
        ("1234567890. big", False),
        ("3.5 litres", False),
        ("end", False),
    ]
    assert text_lines("-\ttab\n") == [("tab", True)]


def test_reading_line_joins_items_but_not_after_a_lead_in() -> None:
    assert reading_line("One.\nTwo.") == "One. Two."
    assert reading_line("Para.\n- a\nAfter.") == f"Para.{ITEM_JOIN}a{ITEM_JOIN}After."
    assert reading_line("Take:\n- a\n- b") == f"Take: a{ITEM_JOIN}b"
    assert reading_line("") == ""


def test_a_word_in_two_concepts_belongs_to_the_first() -> None:
    marker = Marker([["dose"], ["dose", "Ketamine"]], {})
    text = "dose ketamine"
    assert [(m.start, m.end, m.concept) for m in marker.find(text)] == [(0, 4, 0), (5, 13, 1)]


def test_the_longest_word_and_the_longest_prefix_win() -> None:
    marker = Marker([["e"], ["e-mail"]], {})
    assert [(m.start, m.end, m.concept) for m in marker.find("an e-mail")] == [(3, 9, 1)]
    marker = Marker([[], []], {0: "bla", 1: "BLAD"})
    text = "bladder blank"
    assert [(m.start, m.end, m.concept) for m in marker.find(text)] == [(0, 7, 1), (8, 13, 0)]
    marker = Marker([["bladder"]], {1: "bla"})
    assert [m.concept for m in marker.find("bladder blast")] == [0, 1]


def test_words_are_matched_whole_and_the_first_only_when_asked() -> None:
    # An underscore separates words, as the index's tokenizer does.
    assert [(m.start, m.end) for m in DOSE.find("doses, dose_x, dose; Dose2 DOSE")] == [
        (7, 11),
        (15, 19),
        (27, 31),
    ]
    assert [(m.start, m.end) for m in DOSE.find("dose dose dose", first_only=True)] == [(0, 4)]
    assert Marker([], {}).find("dose") == []
    assert Marker([[]], {}).find("dose") == []


def test_a_short_line_is_shown_whole_with_its_marks() -> None:
    assert snippet_html("A dose & more.", DOSE) == "A <b>dose</b> &amp; more."
    assert snippet_html("Nothing matches here.", DOSE) == "Nothing matches here."


def test_a_match_near_the_start_keeps_the_start() -> None:
    line = "x" * (_LEAD_IN - 5) + " dose " + "y " * 200
    # Cut at the last space before the width: the line's character 178.
    assert snippet_html(line, DOSE) == line[:178].replace(" dose ", " <b>dose</b> ") + "…"


def test_a_later_match_starts_at_its_sentence_when_close() -> None:
    line = "Words " * 20 + "here. The dose is small. " + "More words. " * 30
    snippet = snippet_html(line, DOSE)
    assert snippet.startswith("…The <b>dose</b> is small. More words.")
    items = ITEM_JOIN.join(["Words " * 20, "then the dose"]) + " and more" * 40
    assert snippet_html(items, DOSE).startswith("…then the <b>dose</b> and more")


def test_a_later_match_far_from_its_sentence_starts_a_few_words_before() -> None:
    line = "Words. " + "alpha " * 30 + "dose " + "omega " * 60
    snippet = snippet_html(line, DOSE)
    assert snippet.startswith("…alpha alpha alpha alpha <b>dose</b> omega")
    unbroken = "Words. " + "a" * 80 + "/dose z z"
    assert snippet_html(unbroken, DOSE) == "…<b>dose</b> z z"


def test_a_snippet_ends_at_a_word_within_its_width() -> None:
    line = "dose " + "word " * 100
    assert snippet_html(line, DOSE) == "<b>dose</b>" + line[4 : SNIPPET_CHARS - 1] + "…"
    assert snippet_html(line, DOSE, width=20) == "<b>dose</b> word word word…"
    assert snippet_html("dose " + "x" * 40, DOSE, width=20) == "<b>dose</b>…"


def test_the_window_with_more_words_wins_then_more_matches_then_the_first() -> None:
    marker = Marker([["dose"], ["ketamine"]], {})
    gap = " words" * 40
    line = f"start{gap}. dose dose dose.{gap}. ketamine and dose.{gap}."
    assert "<b>ketamine</b> and <b>dose</b>" in snippet_html(line, marker)
    line = f"start{gap}. one dose.{gap}. dose dose here.{gap}."
    assert snippet_html(line, DOSE).startswith("…dose dose here.".replace("dose", "<b>dose</b>"))
    line = f"start{gap}. first dose.{gap}. second dose.{gap}."
    assert snippet_html(line, DOSE).startswith("…first <b>dose</b>.")


def test_only_the_start_of_a_long_section_is_scanned_for_the_best_window() -> None:
    marker = Marker([["dose"], ["ketamine"]], {})
    early = "Dose here. " + "word " * ((SCAN_CHARS - 20) // 5)
    line = early + " Ketamine and dose together. " + "more " * 20
    assert snippet_html(line, marker).startswith("<b>Dose</b> here.")
    far = "word " * (SCAN_CHARS // 5 + 10) + "Later. The dose at last. " + "end " * 50
    assert snippet_html(far, DOSE).startswith("…The <b>dose</b> at last.")


def test_beside_an_answer_the_snippet_shows_the_text_after_it() -> None:
    answer = "Ketamine dose is weight based."
    line = "Intro words. " + answer + " Later the dose changes. " + "tail " * 10
    snippet = snippet_beside(line, DOSE, answer)
    assert snippet.startswith("…Later the <b>dose</b> changes.")
    assert answer not in snippet


def test_beside_an_answer_the_text_before_it_when_only_that_matches() -> None:
    answer = "The answer with dose."
    line = "Before: a dose here. " + answer + " Nothing after it at all here. " * 3
    snippet = snippet_beside(line, DOSE, answer)
    assert snippet.startswith("Before: a <b>dose</b> here.") and snippet.endswith("…")
    assert "answer" not in snippet


def test_beside_an_answer_with_no_other_match_the_longer_part_is_shown() -> None:
    answer = "The dose."
    after = " Nothing to mark after the answer, but plenty of text to show the reader."
    snippet = snippet_beside("Short. " + answer + after, DOSE, answer)
    assert snippet == "…" + after.strip()
    # Too little on either side: the whole line, answer and all.
    short = "Short. " + answer + " Tail."
    assert snippet_beside(short, DOSE, answer) == "Short. The <b>dose</b>. Tail."
    # An answer not in the line: an ordinary snippet.
    assert snippet_beside("A dose.", DOSE, "Elsewhere.") == "A <b>dose</b>."


def test_beside_an_answer_said_twice_the_text_after_its_first_telling() -> None:
    answer = "A dose."
    line = f"{answer} Then the dose changes a lot here today. {answer} End."
    assert snippet_beside(line, DOSE, answer).startswith("…Then the <b>dose</b> changes")


def test_beside_an_answer_the_longer_part_without_marks_is_shown() -> None:
    answer = "The dose."
    before = "Plenty of words come before the answer in this rather long lead."
    snippet = snippet_beside(before + " " + answer + " Tail.", DOSE, answer)
    assert snippet.endswith("…") and snippet.removesuffix("…").rstrip() == before
    # Both parts shorter than a lead-in, however far along the line: the whole line.
    answer = "An answer with the dose in it, which is long enough."
    line = "Intro words here. " + answer + " Tail words at the end."
    assert snippet_beside(line, DOSE, answer) == line.replace("dose", "<b>dose</b>")


def test_beside_an_answer_a_part_of_exactly_a_lead_in_is_shown() -> None:
    answer = "The dose."
    after = " " + "w" * (_LEAD_IN - 2) + "."
    assert len(after) == _LEAD_IN
    assert snippet_beside("Short. " + answer + after, DOSE, answer) == "…" + after.strip()
    shorter = after[:-2] + "."
    assert snippet_beside("Short. " + answer + shorter, DOSE, answer).startswith("Short.")


def test_beside_an_answer_the_width_is_kept() -> None:
    assert snippet_beside("A dose and more words.", DOSE, "Elsewhere.", width=12) == (
        "A <b>dose</b> and…"
    )
    short = "Short. The dose. Tail words."
    assert snippet_beside(short, DOSE, "The dose.", width=12) == "Short. The…"


BOTH = Marker([["dose"], ["ketamine"]], {})


def at(positions: dict[int, str], length: int) -> str:
    """A line of filler words with each given word starting at its position."""
    chars = list(("abc " * (length // 4 + 1))[:length])
    for start, word in positions.items():
        chars[start - 1] = " "
        chars[start : start + len(word)] = list(word)
        if start + len(word) < length:
            chars[start + len(word)] = " "
    return "".join(chars)


def test_the_window_is_the_width_less_a_lead_in() -> None:
    # From the first dose, a window of 230 would hold all three; of 130, only the first.
    line = at({0: "dose", 150: "ketamine", 200: "dose"}, 400)
    snippet = snippet_html(line, BOTH)
    assert snippet.startswith("…") and "<b>ketamine</b>" in snippet


def test_a_match_ending_on_the_window_edge_is_inside() -> None:
    width = SNIPPET_CHARS - _LEAD_IN
    line = at({0: "dose", width - 8: "ketamine", 300: "dose", 310: "ketamine"}, 500)
    assert snippet_html(line, BOTH).startswith("<b>dose</b>")


def test_repeated_words_count_once_per_window() -> None:
    line = at({0: "dose", 20: "dose", 200: "ketamine", 300: "dose", 320: "ketamine"}, 600)
    snippet = snippet_html(line, BOTH)
    assert snippet.startswith("…") and "<b>ketamine</b>" in snippet


def test_past_the_scanned_start_the_first_match_is_used_not_the_best() -> None:
    filler = "word " * (SCAN_CHARS // 5 + 10)
    later = "Later. The dose at last. " + "end " * 50 + "Both dose and ketamine. " + "x " * 9
    line = filler + later
    assert snippet_html(line, BOTH).startswith("…The <b>dose</b> at last.")


def test_quotes_stay_as_written_and_markup_is_escaped() -> None:
    line = 'He said "it\'s" the dose, \'a\' & "b" <c>.'
    assert snippet_html(line, DOSE) == (
        'He said "it\'s" the <b>dose</b>, \'a\' &amp; "b" &lt;c&gt;.'
    )


def test_leading_list_marks_are_skipped_and_count_as_cut() -> None:
    assert snippet_html(":dose here", DOSE) == "…<b>dose</b> here"
    assert snippet_html("Xylitol dose", DOSE) == "Xylitol <b>dose</b>"
    answer = "The dose."
    line = f"{answer} · Later the dose changes here."
    assert snippet_beside(line, DOSE, answer) == "…Later the <b>dose</b> changes here."


def test_an_empty_marker_finds_nothing_anywhere() -> None:
    assert Marker([], {}).find("a, b. c") == []
    assert snippet_html("a, b. c", Marker([], {})) == "a, b. c"


def test_a_window_counts_each_concept_while_any_of_its_matches_is_inside() -> None:
    from ketreader.search.snippets import Match, _best_window

    found = [Match(s, s + 2, c) for s, c in ((10, 0), (25, 0), (32, 0), (37, 2), (41, 2), (56, 0))]
    assert _best_window(found, 10) == 2
    assert _best_window([], 10) == 0


def test_a_window_starts_at_the_start_within_a_lead_in() -> None:
    from ketreader.search.snippets import _window_start

    line = "a" * (_LEAD_IN - 1) + " dose and more words after it"
    assert _window_start(line, _LEAD_IN) == 0
    assert _window_start(line, _LEAD_IN + 1) > 0


def test_a_window_starts_at_the_nearest_sentence_or_item_within_a_lead_in() -> None:
    from ketreader.search.snippets import _window_start

    items = "a" + ITEM_JOIN + "b" * 60 + ITEM_JOIN + "c dose"
    first = items.index("dose")
    assert _window_start(items, first) == first - 2
    sentence = "x" * 60 + ". " + "y" * (_LEAD_IN - 3) + " dose"
    first = sentence.index("dose")
    dot = sentence.index(". ")
    assert first - dot == _LEAD_IN
    assert _window_start(sentence, first) == dot + 2
    assert _window_start(sentence, first + 1) == first  # too far: the word before instead


def test_a_cut_falls_on_the_last_space_before_the_end() -> None:
    from ketreader.search.snippets import _cut

    assert _cut("ab cd", 5) == 5
    assert _cut("ab cd", 9) == 5
    assert _cut("ab cd ef", 6) == 5
    assert _cut("abcdefgh", 4) == 4
    assert _cut(" abcdef", 4) == 4
    assert _cut("a bcdef", 4) == 1
