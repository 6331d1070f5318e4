"""Render room tests: the one pass over sanitized HTML, piece by piece and slot by slot."""

from __future__ import annotations

import pytest

from ketreader.render.scan import (
    HEADING,
    MAX_ANCHORS,
    MAX_TABLE_DEPTH,
    MAX_WORD,
    ROOT,
    TITLE,
    DraftSection,
    ImageSlot,
    LinkEnd,
    LinkSlot,
    SectionSlot,
    scan,
)

TOO_MANY_HEADINGS = "more than 1,000 headings: the rest are not listed as sections"
TOO_MANY_ANCHORS = "more than 1,000 headings and notes: the rest have no anchor"
FLATTENED = "tables nested deeper than 4 levels are shown flattened"
CUT_WORD = "a word longer than 1,000 characters is shown cut short"


def test_the_caps_are_the_documented_figures() -> None:
    assert (MAX_TABLE_DEPTH, MAX_WORD, MAX_ANCHORS) == (4, 1000, 1000)
    assert (ROOT, TITLE, HEADING) == (0, 1, 2)


def test_a_document_opening_with_its_title() -> None:
    found = scan(
        '  <h1 id="a&amp;b">Title <em>x</em></h1>\n<p>Lead &amp; more</p>\n'
        '<h2 id="s">Sub</h2>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>after</p>'
    )
    assert found.pieces == (
        '  <h1 id="',
        '">Title <em>x</em></h1>\n<p>Lead &amp; more</p>\n<h2 id="',
        '">Sub</h2>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>after</p>',
    )
    assert found.slots == (SectionSlot(0), SectionSlot(1))
    assert found.text == "Title x\n\nLead & more\n\nSub\n\n- one\n- two\n\nafter"
    assert found.sections == (
        DraftSection(TITLE, 1, -1, "Title x", "a&b", (9, 20)),
        DraftSection(HEADING, 2, 0, "Sub", "s", (27, 45)),
    )
    assert found.text[27:45] == "- one\n- two\n\nafter"
    assert found.marks == (SectionSlot(0), SectionSlot(1))
    assert (found.notes, found.leading_h1, found.warnings) == ((), "a&b", ())


def test_text_before_any_heading_is_the_documents_top() -> None:
    found = scan('<p>top</p><h3 id="deep">Deep</h3><p>t</p><h2>Two</h2><h1 id="z">Again</h1>')
    assert found.pieces == (
        '<p>top</p><h3 id="',
        '">Deep</h3><p>t</p><h2 id="',
        '">Two</h2><h1 id="',
        '">Again</h1>',
    )
    assert found.slots == (SectionSlot(1), SectionSlot(2), SectionSlot(3))
    assert found.text == "top\n\nDeep\n\nt\n\nTwo\n\nAgain"
    assert found.sections == (
        DraftSection(ROOT, 1, -1, "", None, (0, 3)),
        DraftSection(HEADING, 3, 0, "Deep", "deep", (11, 12)),
        DraftSection(HEADING, 2, 0, "Two", None, ()),
        DraftSection(HEADING, 1, -1, "Again", "z", ()),
    )
    assert found.marks == tuple(SectionSlot(i) for i in range(4))
    assert found.leading_h1 is None


def test_a_subheading_first_gets_a_top_section_to_hang_from() -> None:
    found = scan('<h2 id="u">U</h2><h3>P</h3><h2>V</h2><h4>Q</h4>')
    assert [(s.kind, s.level, s.parent, s.title) for s in found.sections] == [
        (ROOT, 1, -1, ""),
        (HEADING, 2, 0, "U"),
        (HEADING, 3, 1, "P"),
        (HEADING, 2, 0, "V"),
        (HEADING, 4, 3, "Q"),
    ]


def test_a_level_one_heading_after_the_top_is_not_the_title() -> None:
    found = scan("<p>x</p><h1>A</h1><h1>B</h1>")
    assert [(s.kind, s.parent) for s in found.sections] == [
        (ROOT, -1),
        (HEADING, -1),
        (HEADING, -1),
    ]
    found = scan("<h1>A</h1><h1>B</h1>")
    assert [s.kind for s in found.sections] == [TITLE, HEADING]


@pytest.mark.parametrize(
    ("source", "leading"),
    [
        ('\n <h1 id="t">T</h1>', "t"),
        ("<h1>T</h1>", None),
        ('<h2 id="t">T</h2>', None),
        ('<p>x</p><h1 id="t">T</h1>', None),
        ('</h1><h1 id="t">T</h1>', None),
        ('<h1 title="x" id="a&lt;b">T</h1>', "a<b"),
        ('<h1 data-id="x">T</h1>', None),
    ],
)
def test_the_leading_level_one_heading(source: str, leading: str | None) -> None:
    assert scan(source).leading_h1 == leading


def test_an_empty_document_is_one_empty_top_section() -> None:
    found = scan("")
    assert found.pieces == ("",)
    assert found.sections == (DraftSection(ROOT, 1, -1, "", None, ()),)
    assert found.marks == (SectionSlot(0),)
    assert found.text == ""


def test_text_outside_any_tag_is_kept() -> None:
    found = scan("lead <b>bold</b> tail")
    assert found.text == "lead bold tail"
    assert found.pieces == ("lead <b>bold</b> tail",)
    assert found.sections[0].spans == (0, 14)


def test_heading_titles_are_single_spaced_and_isolate_bidi_overrides() -> None:
    found = scan(
        "<h2>  Two\n words &amp;\tmore </h2><h2> </h2><h2>a\u202eb</h2><h2>\u202e\u05d0</h2>"
    )
    assert [s.title for s in found.sections[1:]] == [
        "Two words & more",
        "",
        "ab",
        "\u2068\u05d0\u2069",
    ]
    # An empty heading adds no text; an unclosed one ends at the next.
    assert found.text == "Two words & more\n\na\u202eb\n\n\u202e\u05d0"
    found = scan("<h2>One<h3>Two</h3><p>x</p>")
    assert [s.title for s in found.sections[1:]] == ["One", "Two"]
    assert found.text == "One\n\nTwo\n\nx"


def test_a_heading_with_an_image_takes_its_alt_text() -> None:
    found = scan('<h2><img alt="pic"> cap</h2><p>x</p>')
    assert found.sections[1].title == "pic cap"
    assert found.text == "pic cap\n\nx"


def test_sections_own_runs_and_the_separators_between_them() -> None:
    found = scan("<p>a</p><p>b</p><h2>H</h2><p>c</p><ul><li>d</li><li>e</li></ul><p>f</p>")
    assert found.text == "a\n\nb\n\nH\n\nc\n\n- d\n- e\n\nf"
    top, heading = found.sections
    assert top.spans == (0, 4)  # one run: the separator between its blocks is part of it
    assert heading.spans == (9, 22)


def test_items_after_a_paragraph_are_separated_by_a_blank_line() -> None:
    assert scan("<p>a</p><ul><li>b</li></ul><p>c</p>").text == "a\n\n- b\n\nc"
    assert scan("<ul><li>b</li></ul><ul><li>c</li></ul>").text == "- b\n- c"


def test_lists_number_their_items() -> None:
    found = scan(
        '<ol start="3"><li>x</li><li>y<ul><li>in</li></ul></li><li>z</li></ol>'
        '<ol start="0"><li>zero</li></ol><li>loose</li>'
    )
    assert found.text == "3. x\n4. y\n- in\n5. z\n0. zero\n- loose"


@pytest.mark.parametrize(
    ("start", "first"), [("123456789", "123456789."), ("1234567890", "1."), ("", "1."), ("x", "1.")]
)
def test_a_list_start_of_at_most_nine_digits_is_kept(start: str, first: str) -> None:
    found = scan(f'<ol start="{start}"><li>a</li></ol>')
    assert found.text == f"{first} a"
    assert ("start=" in found.pieces[0]) == (first != "1.")


def test_an_unusable_list_start_is_dropped_from_the_tag_only() -> None:
    found = scan('<ol start="1e3" type="a"><li>a</li></ol>')
    assert found.pieces == ('<ol type="a"><li>a</li></ol>',)


def test_cells_are_joined_with_bars_and_rows_are_blocks() -> None:
    found = scan(
        "<table><tr><th>a</th><th>b</th></tr><tr><td></td><td>d</td><td>e</td></tr></table>"
    )
    assert found.text == "a | b\n\nd | e"


def test_preformatted_text_keeps_its_lines() -> None:
    found = scan("<pre>\n  line1\n\n  line2  x\n\n</pre><p>a\n  b</p><pre>c</pre></pre><p>d  e</p>")
    assert found.text == "  line1\n\n  line2  x\n\na b\n\nc\n\nd e"


def test_line_breaks_and_rules_end_a_block_and_stray_end_tags_are_ignored() -> None:
    found = scan("<p>a<br>b</br>c<hr>d</p></a></ul></img>")
    assert found.text == "a\n\nbc\n\nd"
    assert found.slots == ()


def test_links_with_an_href_become_slots_and_others_stay() -> None:
    found = scan('<p>x<a title="t">no href</a> <a href="a.md?x=1&amp;y#f" title="z">go</a></p>')
    assert found.pieces == ('<p>x<a title="t">no href</a> ', "go", "</p>")
    assert found.slots == (LinkSlot('<a href="', "a.md?x=1&y#f", '" title="z">'), LinkEnd(0))
    assert found.text == "xno href go"


def test_nested_links_close_in_order() -> None:
    found = scan('<a href="1">a<a href="2">b</a><a>c</a></a>')
    assert found.slots == (LinkSlot('<a href="', "1", '">'), LinkSlot('<a href="', "2", '">'),
                           LinkEnd(1), LinkEnd(0))  # fmt: skip
    assert found.pieces == ("", "a", "b", "<a>c</a>", "")


def test_images_become_slots_with_their_alt_text() -> None:
    found = scan('<p><img alt="A &amp; B" src="i.png?a&amp;b"><img alt="nosrc"><img src="x"></p>')
    assert found.pieces == ("<p>", "", "", "</p>")
    assert found.slots == (
        ImageSlot('<img alt="A &amp; B" src="', "i.png?a&b", '">', "A &amp; B"),
        ImageSlot('<img alt="nosrc" src="', "", '">', "nosrc"),
        ImageSlot('<img src="', "x", '">', ""),
    )
    assert found.text == "A & Bnosrc"


def test_resumed_runs_and_safety_notes_get_ids() -> None:
    found = scan(
        '<h2 id="u">U</h2><h3>P</h3><p>in p</p><p class="section-end">back</p>'
        '<div class="safety-note">careful</div><ol class="safety-note" start="2²"><li>n</li></ol>'
        '<p class="section-end safety-note">both</p><p class="other">plain</p>'
    )
    assert found.pieces == (
        '<h2 id="',
        '">U</h2><h3 id="',
        '">P</h3><p>in p</p><p id="',
        '">back</p><div class="safety-note" id="',
        '">careful</div><ol class="safety-note" id="',
        '"><li>n</li></ol><p class="safety-note" id="',
        '">both</p><p class="other">plain</p>',
    )
    assert found.slots == (
        SectionSlot(1),
        SectionSlot(2),
        SectionSlot(1, "--resume-1"),
        SectionSlot(1, "--note-1"),
        SectionSlot(1, "--note-2"),
        SectionSlot(0, "--resume-2"),
    )
    assert found.marks == (
        SectionSlot(0),
        SectionSlot(1),
        SectionSlot(2),
        SectionSlot(1, "--resume-1"),
        SectionSlot(0, "--resume-2"),
    )
    assert found.notes == (
        SectionSlot(1, "--note-1"),
        SectionSlot(1, "--note-2"),
        SectionSlot(0, "--resume-2"),
    )
    assert found.text == "U\n\nP\n\nin p\n\nback\n\ncareful\n\n1. n\n\nboth\n\nplain"
    assert found.sections[1].spans == (12, 31)
    assert found.sections[0].spans == (33, 44)


def test_a_resume_at_the_top_stays_in_the_top() -> None:
    found = scan('<p>a</p><p class="section-end" title="x &quot;q&quot;">b</p>')
    assert found.pieces == ('<p>a</p><p title="x &quot;q&quot;" id="', '">b</p>')
    assert found.slots == (SectionSlot(0, "--resume-1"),)
    assert found.sections[0].spans == (0, 4)


def test_a_word_at_the_limit_is_kept_and_a_longer_one_cut() -> None:
    word = "w" * MAX_WORD
    found = scan(f"<p>{word}</p>")
    assert (found.text, found.warnings) == (word, ())
    found = scan(f"<p>a &amp; {word}www b</p>")
    cut = f"{word} … (3 more characters not shown)"
    assert found.pieces == (f"<p>a &amp; {cut} b</p>",)
    assert found.text == f"a & {cut} b"
    assert found.warnings == (CUT_WORD,)


def test_a_long_text_of_short_words_is_not_cut() -> None:
    text = "ab " * 2000
    assert scan(f"<p>{text}</p>").warnings == ()


def nested_tables(depth: int) -> str:
    return "<table><tr><td>" * depth + "x" + "</td></tr></table>" * depth


def test_tables_nested_to_the_limit_are_kept() -> None:
    html = nested_tables(MAX_TABLE_DEPTH)
    found = scan(html)
    assert (found.pieces, found.warnings, found.text) == ((html,), (), "x")


def test_tables_nested_past_the_limit_are_flattened() -> None:
    found = scan(
        nested_tables(MAX_TABLE_DEPTH + 1) + "<table><tr><th>after</th><td>more</td></tr></table>"
    )
    inner = "<table><tr><td>" * MAX_TABLE_DEPTH
    outer = "</td></tr></table>" * MAX_TABLE_DEPTH
    assert found.pieces == (
        f"{inner} x {outer}<table><tr><th>after</th><td>more</td></tr></table>",
    )
    assert found.warnings == (FLATTENED,)
    assert found.text == "x\n\nafter | more"


def test_a_flattened_table_splits_its_rows_into_blocks() -> None:
    found = scan(
        "<table><tr><td>" * MAX_TABLE_DEPTH
        + "<table><tr><td>a</td></tr><tr><td>b</td></tr><caption>c</caption></table>"
        + "</td></tr></table>" * MAX_TABLE_DEPTH
    )
    assert found.text == "a\n\nb\n\nc"


def headings(count: int) -> str:
    return "".join(f'<h2 id="h{n}">H{n}</h2>' for n in range(count))


def test_headings_up_to_the_limit_are_sections() -> None:
    found = scan(headings(MAX_ANCHORS))
    assert len(found.sections) == MAX_ANCHORS + 1  # and the top
    assert found.warnings == ()


def test_headings_past_the_limit_are_shown_but_not_listed() -> None:
    found = scan(
        headings(MAX_ANCHORS)
        + '<h3 id="x">Plain</h3><p>t</p><h4 id="y">Also</h4><p class="safety-note">n</p>'
    )
    assert len(found.sections) == MAX_ANCHORS + 1
    assert found.pieces[-1] == f'">H{MAX_ANCHORS - 1}</h2><h3>Plain</h3><p>t</p><h4>Also</h4>' + (
        '<p class="safety-note">n</p>'
    )
    assert found.warnings == (TOO_MANY_HEADINGS, TOO_MANY_ANCHORS)
    assert found.text.endswith(f"H{MAX_ANCHORS - 1}\n\nPlain\n\nt\n\nAlso\n\nn")
    last = found.sections[-1]
    assert found.text[last.spans[0] : last.spans[1]] == "Plain\n\nt\n\nAlso\n\nn"
    assert found.notes == ()


def test_notes_count_against_the_anchor_limit() -> None:
    found = scan(
        headings(MAX_ANCHORS - 1) + '<p class="safety-note">a</p><p class="safety-note">b</p>'
    )
    assert found.notes == (SectionSlot(MAX_ANCHORS - 1, "--note-1"),)
    assert found.warnings == (TOO_MANY_ANCHORS,)
    found = scan(headings(MAX_ANCHORS - 1) + '<p class="safety-note">a</p><h2>late</h2>')
    assert len(found.sections) == MAX_ANCHORS
    assert found.warnings == (TOO_MANY_HEADINGS,)


def test_stray_table_ends_do_not_allow_deeper_tables() -> None:
    found = scan("</table></table>" + nested_tables(MAX_TABLE_DEPTH + 1))
    assert found.warnings == (FLATTENED,)


def test_a_long_text_without_long_words_is_left_as_nh3_wrote_it() -> None:
    source = "<p>" + "ab&nbsp;" * 400 + "</p>"
    assert scan(source).pieces == (source,)


def test_a_title_followed_by_a_list_is_set_apart_by_a_blank_line() -> None:
    assert scan("<h2>H</h2><ul><li>d</li></ul>").text == "H\n\n- d"


def test_a_heading_ends_at_its_own_end_tag_only() -> None:
    found = scan("<h2>a <em>b</em> c</h2><p>x</p>")
    assert found.sections[1].title == "a b c"
    assert found.text == "a b c\n\nx"


def test_an_empty_first_heading_owns_the_text_after_it() -> None:
    found = scan("<h2></h2><p>x</p><p>y</p>")
    assert [s.spans for s in found.sections] == [(), (0, 4)]


def test_a_closed_table_does_not_count_towards_the_depth() -> None:
    found = scan(nested_tables(1) + nested_tables(MAX_TABLE_DEPTH))
    assert found.warnings == ()


def test_a_table_closed_inside_others_counts_one_level_down() -> None:
    three = "<table><tr><td>" * 3
    inner_pair = "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>"
    found = scan(three + "<table></table>" + inner_pair + "</td></tr></table>" * 3)
    assert found.warnings == (FLATTENED,)


def test_class_in_another_attribute_is_not_a_class() -> None:
    source = '<p title="class=x">t</p>'
    assert scan(source).pieces == (source,)


def test_a_resumed_note_keeps_every_note_class() -> None:
    found = scan('<p class="section-end safety-note safety-note">n</p>')
    assert found.pieces == ('<p class="safety-note safety-note" id="', '">n</p>')


def test_a_heading_left_open_has_no_title() -> None:
    # nh3 always closes its tags; were one left open, no half-read title would be shown.
    found = scan("<h2>Open")
    assert found.sections[1].title == ""


def test_an_alt_text_keeps_its_quotes_as_text() -> None:
    found = scan('<img alt="say &quot;hi&quot; &amp; go" src="x">')
    assert found.slots[0] == ImageSlot(
        '<img alt="say &quot;hi&quot; &amp; go" src="', "x", '">', 'say "hi" &amp; go'
    )


def test_a_cut_word_keeps_its_quotes_as_text() -> None:
    word = '"' + "w" * MAX_WORD + '"'
    found = scan(f"<p>{word} &amp;</p>")
    assert found.pieces == (
        f'<p>"{"w" * (MAX_WORD - 1)} … (2 more characters not shown) &amp;</p>',
    )


def test_cells_of_a_flattened_table_are_not_set_off_by_bars() -> None:
    found = scan(
        "<table><tr><td>" * MAX_TABLE_DEPTH
        + "<table><tr><td>a</td><td>b</td></tr></table>"
        + "</td></tr></table>" * MAX_TABLE_DEPTH
    )
    assert "|" not in found.text and found.text.startswith("a")
    assert " a  b " in found.pieces[0]  # each dropped cell tag leaves a space
