"""Render room tests: each bound on costly Markdown, one step below it and at or past it."""

from __future__ import annotations

import pytest

from ketreader.render.bounds import (
    FENCE_WARNING,
    MAX_BRACKET_COST,
    MAX_FENCE,
    MAX_HTML_DEPTH,
    MAX_MARKUP_COST,
    MAX_SPLITTING_LINES,
    MAX_SPLITTING_LINES_IN_ALL,
    MAX_TAG_COST,
    MAX_TEXT,
    MAX_WORD,
    as_text,
    bound,
)

PAD = "\n\n" + "padding words " * 80  # makes any text long enough to be looked at
TOO_MANY = (
    f"more than {MAX_SPLITTING_LINES_IN_ALL:,} headings and rules: the rest are shown as plain text"
)


def plain_text_warning(size: int, what: str) -> str:
    return (
        f"a paragraph of {size:,} characters with too many {what} is shown as plain text"
        " (as Markdown it would take minutes to render)"
    )


def test_the_bounds_are_the_documented_figures() -> None:
    assert (MAX_SPLITTING_LINES, MAX_SPLITTING_LINES_IN_ALL) == (64, 1000)
    assert (MAX_BRACKET_COST, MAX_MARKUP_COST, MAX_TAG_COST) == (10**6, 4 * 10**8, 5 * 10**7)
    assert (MAX_TEXT, MAX_WORD, MAX_HTML_DEPTH, MAX_FENCE) == (20_000, 1000, 128, 32)


# -- short texts and fences -------------------------------------------------------------------


def test_a_text_under_a_thousand_characters_is_never_touched() -> None:
    fence = "`" * 100 + " " * 40
    short = fence + "\nx\n" + "y" * (999 - len(fence) - 3)
    assert len(short) == 999
    assert bound(short) == (short, ())
    longer = short + "y"
    assert bound(longer).text != longer


def test_a_long_fence_is_cut_to_its_limit_and_its_space_runs_to_one() -> None:
    body = "\ncode\n" + "`" * 100 + "\n" + "x" * 1000
    cut = bound("   " + "`" * 40 + " " * 50 + "python" + " " * 33 + "x" + body)
    assert cut.text.startswith(
        "   " + "`" * MAX_FENCE + " python x\ncode\n" + "`" * MAX_FENCE + "\n"
    )
    assert cut.warnings == ((FENCE_WARNING, 1),)


def test_a_fence_at_its_limit_with_space_runs_at_their_limit_is_kept() -> None:
    text = (
        "~" * MAX_FENCE + " " * MAX_FENCE + "python\ncode\n" + "~" * MAX_FENCE + "\n" + "x" * 1000
    )
    assert bound(text) == (text, ())
    one_more = "~" * MAX_FENCE + " " * (MAX_FENCE + 1) + "python\ncode\n~~~\n" + "x" * 1000
    assert bound(one_more).text.startswith("~" * MAX_FENCE + " python\n")
    longer = "~" * (MAX_FENCE + 1) + "\ncode\n~~~\n" + "x" * 1000
    assert bound(longer).text.startswith("~" * MAX_FENCE + "\ncode")


def test_the_fence_warning_names_the_first_fence_cut_and_leads_the_others() -> None:
    heading_block = "\n".join(f"# h{n}" for n in range(MAX_SPLITTING_LINES + 1))
    text = "a\n\nb\n\n" + "`" * 50 + "\nx\n" + "`" * 50 + "\n\n" + heading_block + PAD
    warnings = bound(text).warnings
    assert warnings[0] == (FENCE_WARNING, 5)
    assert warnings[1:] == ()  # splitting a block of headings needs no warning


# -- nested HTML ------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "<div>" * depth + "deep" + "</div>" * depth + PAD


def test_html_nested_to_the_limit_is_rendered() -> None:
    assert bound(nested(MAX_HTML_DEPTH)).warnings == ()


def test_html_nested_past_the_limit_is_plain_text_in_blocks() -> None:
    text = "<div>" * (MAX_HTML_DEPTH + 1) + "deep\n\n  \n\nsecond & <br>"
    bounded = bound(text + "x" * 1000)
    message = f"HTML nested {MAX_HTML_DEPTH + 1:,} levels deep is shown as plain text"
    assert bounded.warnings == ((message, None),)
    blocks = bounded.text.split("\n\n")
    assert len(blocks) == 2  # the blank block is dropped
    assert blocks[0] == "<div>" + "&lt;div&gt;" * (MAX_HTML_DEPTH + 1) + "deep</div>"
    assert blocks[1].startswith("<div>second &amp; &lt;br&gt;x")


def test_closed_void_and_self_closing_tags_do_not_deepen_the_nesting() -> None:
    flat = ("<span>a</span><br><img src=x><hr/><p/>" * 200) + PAD
    assert bound(flat).warnings == ()
    voids = "<div>" * 100 + "<br><BR><img><input>" * 40 + "x" + PAD
    assert bound(voids).warnings == ()
    capital = "<DIV>" * (MAX_HTML_DEPTH + 1) + PAD
    assert bound(capital).warnings[0][0].startswith("HTML nested 129 levels")


def test_closing_tags_never_count_below_zero() -> None:
    text = "</div>" * 200 + "<div>" * MAX_HTML_DEPTH + PAD
    assert bound(text).warnings == ()


def test_html_depth_is_not_measured_with_few_tags() -> None:
    # Below MAX_HTML_DEPTH "<" in all, no nesting can pass the limit: not even looked at.
    text = "<div>" * (MAX_HTML_DEPTH - 1) + PAD
    assert bound(text).warnings == ()


# -- headings and rules -----------------------------------------------------------------------


def block_of(lines: list[str]) -> str:
    return "\n".join(lines) + PAD


def test_a_block_of_headings_at_the_limit_is_left_as_it_is() -> None:
    text = block_of([f"# h{n}" for n in range(MAX_SPLITTING_LINES)])
    assert bound(text) == (text, ())


def test_a_block_past_the_limit_gets_a_blank_line_after_each_heading() -> None:
    lines = ["lead text", *(f"## h{n}" for n in range(MAX_SPLITTING_LINES + 1)), "tail text"]
    bounded = bound(block_of(lines))
    assert bounded.warnings == ()
    out = bounded.text.split("\n")
    assert out[:5] == ["lead text", "## h0", "", "## h1", ""]
    assert out[2 * (MAX_SPLITTING_LINES + 1) - 1 : 2 * (MAX_SPLITTING_LINES + 1) + 2] == [
        f"## h{MAX_SPLITTING_LINES}",
        "",
        "tail text",
    ]


@pytest.mark.parametrize(
    "line", ["# a", "###### six", "#", "   # indented", "===", "---  ", "* * *", "_ _ _", "- - -"]
)
def test_headings_rules_and_underlines_split_a_block(line: str) -> None:
    text = block_of([line] * (MAX_SPLITTING_LINES + 1))
    assert bound(text).text.startswith(line + "\n\n" + line + "\n\n")


@pytest.mark.parametrize(
    "line", ["####### seven", "#hashtag", "    # code", "** not a rule", "= x"]
)
def test_other_lines_do_not_split_a_block(line: str) -> None:
    text = block_of([line] * (MAX_SPLITTING_LINES + 1))
    assert bound(text) == (text, ())


def test_headings_in_code_fences_are_not_counted() -> None:
    code = "```\n" + "\n".join(["# comment"] * (MAX_SPLITTING_LINES + 1)) + "\n```"
    text = "Intro\n\n" + code + PAD
    assert bound(text) == (text, ())


def test_an_unclosed_fence_does_not_hide_the_headings_after_it() -> None:
    text = "```\n" + "\n".join(["# comment"] * (MAX_SPLITTING_LINES + 1)) + PAD
    assert "# comment\n\n# comment" in bound(text).text


def test_headings_past_the_document_limit_are_shown_as_text() -> None:
    lines = [f"  # h{n}" for n in range(MAX_SPLITTING_LINES_IN_ALL + 2)]
    text = "Intro\n\n" + "\n\n".join(lines)
    bounded = bound(text)
    # The first heading past the limit is line 3 + 2 * MAX_SPLITTING_LINES_IN_ALL.
    assert bounded.warnings == ((TOO_MANY, 3 + 2 * MAX_SPLITTING_LINES_IN_ALL),)
    out = bounded.text.split("\n\n")
    assert out[MAX_SPLITTING_LINES_IN_ALL] == f"  # h{MAX_SPLITTING_LINES_IN_ALL - 1}"
    assert out[MAX_SPLITTING_LINES_IN_ALL + 1] == f"  \\# h{MAX_SPLITTING_LINES_IN_ALL}"
    assert out[MAX_SPLITTING_LINES_IN_ALL + 2] == f"  \\# h{MAX_SPLITTING_LINES_IN_ALL + 1}"


def test_the_document_limit_itself_is_allowed() -> None:
    text = "Intro\n\n" + "\n\n".join(f"# h{n}" for n in range(MAX_SPLITTING_LINES_IN_ALL))
    assert bound(text) == (text, ())


def test_a_block_past_the_document_limit_counts_only_its_kept_headings() -> None:
    # 990 headings, then a block of 80: 10 are kept, so the block is not split.
    first = "\n\n".join(f"# h{n}" for n in range(MAX_SPLITTING_LINES_IN_ALL - 10))
    block = "\n".join(f"# b{n}" for n in range(MAX_SPLITTING_LINES + 16))
    bounded = bound(first + "\n\n" + block)
    tail = bounded.text.split("\n\n")[-1].split("\n")
    assert tail[9] == "# b9" and tail[10] == "\\# b10"
    assert len(tail) == MAX_SPLITTING_LINES + 16
    assert bounded.warnings == ((TOO_MANY, 2 * (MAX_SPLITTING_LINES_IN_ALL - 10) + 11),)


# -- paragraphs too costly to render as Markdown ---------------------------------------------


def test_brackets_at_the_cost_limit_are_rendered() -> None:
    text = "[" + "a" * (MAX_BRACKET_COST - 1)  # one "[" scanned to the end: the whole text
    assert bound(text) == (text, ())


def test_brackets_past_the_cost_limit_are_plain_text() -> None:
    text = "Intro\n\n" + "[" + "a" * MAX_BRACKET_COST + "\n\nafter"
    bounded = bound(text)
    assert bounded.warnings == ((plain_text_warning(MAX_BRACKET_COST + 1, "'[' brackets"), 3),)
    intro, shown, after = bounded.text.split("\n\n\n")
    assert (intro, after) == ("Intro", "after")
    assert shown == "<div>[" + "a" * (MAX_WORD - 1) + " … (999,001 more characters not shown)</div>"


def test_closed_and_escaped_brackets_cost_only_their_span() -> None:
    closed = "[a]" * 600 + PAD  # each pair costs 2
    assert bound(closed) == (closed, ())
    escaped = "\\[" * 2000  # 4,000 characters of escapes: nothing to close
    assert bound(escaped) == (escaped, ())
    unclosed = "[" * 2000
    assert bound(unclosed).warnings[0][0] == plain_text_warning(2000, "'[' brackets")


def test_a_closing_bracket_costs_the_distance_to_its_opening() -> None:
    # One pair around 999,999 characters: cost 1,000,000, then one more.
    at = "[" + "a" * (MAX_BRACKET_COST - 1) + "]"
    assert bound(at) == (at, ())
    past = "[" + "a" * MAX_BRACKET_COST + "]"
    assert bound(past).warnings != ()
    # A "]" with nothing open costs nothing; the "[" after it is scanned to the end.
    stray = "]" * 10 + "[" + "a" * (MAX_BRACKET_COST - 1)
    assert bound(stray) == (stray, ())


def test_markup_at_the_cost_limit_is_rendered() -> None:
    size = 20_001  # 20,000 markup characters in 20,001 cost just over 4 * 10^8
    at = "&" * 19_999 + "aa"
    assert len(at) == size and bound(at) == (at, ())
    past = "&" * 20_000 + "a"
    warning = plain_text_warning(size, "inline markup characters")
    assert bound(past).warnings == ((warning, 1),)


@pytest.mark.parametrize("char", ["`", "\\", "<", "&", "*", "_"])
def test_each_markup_character_counts(char: str) -> None:
    text = char * 20_001
    assert bound(text).warnings != ()


def test_markup_is_not_counted_in_a_paragraph_of_twenty_thousand() -> None:
    text = "&" * 20_000  # 20,000^2 is 4 * 10^8 exactly: no markup can pass the limit
    assert bound(text) == (text, ())


def test_unclosed_angle_brackets_at_the_cost_limit_are_rendered() -> None:
    at = "< " * 2500 + "a" * 5000  # 2,500 of them in 10,000: 2.5 * 10^7
    assert bound(at) == (at, ())
    at = "<" * 5000 + "a" * 5000  # 5,000 in 10,000: 5 * 10^7 exactly
    assert bound(at) == (at, ())
    past = "<" * 5001 + "a" * 4999
    assert bound(past).warnings == ((plain_text_warning(10_000, "'<' characters"), 1),)


def test_angle_brackets_are_not_counted_in_a_short_paragraph() -> None:
    short = "<" * 7071  # 7,071^2 is under 5 * 10^7
    assert bound(short) == (short, ())
    longer = "<" * 7072
    assert bound(longer).warnings != ()


def test_angle_brackets_that_open_tags_cost_nothing() -> None:
    text = "<b>x</b>" * 2000
    assert bound(text) == (text, ())


def test_brackets_win_the_warning_over_markup() -> None:
    text = "[" * 20_001
    assert bound(text).warnings[0][0] == plain_text_warning(20_001, "'[' brackets")
    text = "&" * 20_001  # markup before '<'
    assert (
        bound(text.replace("&", "<", 1000))
        .warnings[0][0]
        .endswith(
            "inline markup characters is shown as plain text (as Markdown it would take minutes"
            " to render)"
        )
    )


def test_a_table_is_never_bounded() -> None:
    table = "| a | b |\n| :- | -: |\n| " + "[" * 2000 + " | x |"
    assert bound(table) == (table, ())
    header_only = "| " + "[" * 2000 + " |\n|---|"
    assert bound(header_only) == (header_only, ())
    one_line = "| " + "[" * 2000 + " |"
    assert bound(one_line).warnings != ()
    no_pipe = "[" * 2000 + "\n---x"
    assert bound(no_pipe).warnings != ()
    bad_rule = "| " + "[" * 2000 + " |\n|-x-|"
    assert bound(bad_rule).warnings != ()


def test_tags_of_a_raw_html_block_are_not_measured() -> None:
    attribute = "[" * 2000
    block = f'<div title="{attribute}">text</div>'
    assert bound(block) == (block, ())
    upper = f'   <DIV title="{attribute}">text</DIV>'
    assert bound(upper) == (upper, ())
    inline = f'<span title="{attribute}">text</span>'  # not a block: rendered inline
    assert bound(inline).warnings != ()
    unknown = f'<custom title="{attribute}">text</custom>'
    assert bound(unknown).warnings != ()
    indented = f'    <div title="{attribute}">text</div>'  # code, but measured as text
    assert bound(indented).warnings != ()


def test_a_block_past_the_splitting_limit_is_bounded_run_by_run() -> None:
    run = "[" * 1500
    lines = ["# h"] * MAX_SPLITTING_LINES + ["cheap"] + ["# h"] + [run] + ["# h"]
    bounded = bound("Intro\n\n" + "\n".join(lines))
    warning = plain_text_warning(1504, "'[' brackets")  # the run ends with its heading
    assert bounded.warnings == ((warning, 3 + MAX_SPLITTING_LINES + 2),)
    assert "# h\n\ncheap\n# h\n\n\n<div>" in bounded.text


# -- plain text -------------------------------------------------------------------------------


def test_as_text_collapses_space_and_escapes() -> None:
    assert as_text('  a\n\tb  <c> & "d" ') == '<div>a b &lt;c&gt; &amp; "d"</div>'


def test_as_text_cuts_words_past_the_limit() -> None:
    word = "w" * MAX_WORD
    assert as_text(word) == f"<div>{word}</div>"
    long = "w" * (MAX_WORD + 1234)
    assert as_text(long) == f"<div>{word} … (1,234 more characters not shown)</div>"


def test_as_text_cuts_text_past_the_limit() -> None:
    text = ("abc " * 5000)[: MAX_TEXT - 1] + "z"
    assert as_text(text) == f"<div>{text}</div>"
    longer = text + " efgh" * 500
    assert as_text(longer) == f"<div>{text}… (2,500 more characters not shown)</div>"


def test_the_run_after_the_last_heading_of_a_split_block_is_bounded_too() -> None:
    lines = ["# h"] * (MAX_SPLITTING_LINES + 1) + ["[" * 1500]
    bounded = bound("Intro\n\n" + "\n".join(lines))
    warning = plain_text_warning(1500, "'[' brackets")
    assert bounded.warnings == ((warning, 3 + MAX_SPLITTING_LINES + 1),)
    assert bounded.text.endswith(
        "# h\n\n\n<div>" + "[" * 1000 + " … (500 more characters not shown)</div>\n"
    )


def test_code_fences_end_exactly_where_python_markdown_ends_them() -> None:
    heads = [f"# h{n}" for n in range(MAX_SPLITTING_LINES + 1)]
    fence = ["```", "# code", "```"]
    tilde = ["~~~~", "# more code", "~~~~"]
    lines = ["Intro", "", *heads, *fence, *heads, *tilde, *heads]
    out = bound("\n".join(lines)).text.split("\n")
    split = [line for head in heads for line in (head, "")]
    assert out == ["Intro", "", *split, *fence, *split, *tilde, *split]


def test_fences_are_found_and_counted_after_a_leading_blank_line() -> None:
    heads = [f"# heading {n}" for n in range(MAX_SPLITTING_LINES + 1)]
    lines = ["", *heads, "`" * 40, "# code", "`" * 40, *heads]
    bounded = bound("\n".join(lines))
    split = [line for head in heads for line in (head, "")]
    fence = "`" * MAX_FENCE
    assert bounded.text.split("\n") == ["", *split, fence, "# code", fence, *split]
    assert bounded.warnings == ((FENCE_WARNING, 2 + len(heads)),)


def test_markup_costing_exactly_the_limit_is_rendered() -> None:
    text = "&" * 16_000 + "a" * 9_000  # 16,000 * 25,000 = 4 * 10^8
    assert bound(text) == (text, ())
    assert bound(text[:-1] + "&").warnings != ()


def test_brackets_at_their_limit_do_not_name_a_paragraph_bounded_for_markup() -> None:
    size = MAX_BRACKET_COST
    text = "[" + "&" * 401 + "a" * (size - 402)  # the "[" costs 10^6: at its limit
    warning = plain_text_warning(size, "inline markup characters")
    assert bound(text).warnings == ((warning, 1),)


def test_nesting_after_a_void_tag_is_still_measured() -> None:
    text = "<br><img src=x><p/>" + "<div>" * (MAX_HTML_DEPTH + 1) + PAD
    assert bound(text).warnings[0][0].startswith("HTML nested 129 levels")
