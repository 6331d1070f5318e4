"""Render room tests: Markdown to sanitized HTML, the nesting refusal and heading ids."""

from __future__ import annotations

import pytest

from ketreader.render.draft import render_draft
from ketreader.render.markdown_html import (
    MAX_NESTING,
    SAFETY_NOTE_CLASS,
    SECTION_END_CLASS,
    DocumentHtml,
    MarkdownRenderer,
    _TriggeredInline,
    nesting_problem,
    sanitize,
    slugify,
)

DEEP = "nests deeper than 64 levels"


def test_the_pack_classes_and_the_nesting_limit() -> None:
    assert (SECTION_END_CLASS, SAFETY_NOTE_CLASS, MAX_NESTING) == ("section-end", "safety-note", 64)


# -- nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "deep"),
    [
        ("> " * 64 + "x", False),
        ("> " * 65 + "x", True),
        (">" * 65 + "x", False),  # 65 characters: too short a prefix to look at
        (">" * 128 + "x", True),
        ("1. " * 64 + "x", False),
        ("1. " * 65 + "x", True),
        ("2) " * 65 + "x", True),
        ("- " * 65 + "x", True),
        ("* " * 65, False),  # a rule, "* * * ...", not lists
        ("- " * 65, False),
        (" " * 257 + "x", False),
        (" " * 258 + "x", True),
        (" " * 128 + "\t" * 32 + "x", False),  # a tab is four columns
        (" " * 128 + "\t" * 33 + "x", True),
        ("1234567890. " * 70 + "x", False),  # ten digits are no list marker
    ],
)
def test_a_line_nested_past_the_limit_is_refused(line: str, deep: bool) -> None:
    text = "# Title\n\nfine\n" + line + "\nafter\n"
    assert nesting_problem(text) == ((4, DEEP) if deep else None)


def test_the_first_deep_line_is_named() -> None:
    text = "> " * 70 + "\n" + "x\n" + "> " * 65 + "\n"
    assert nesting_problem(text) == (1, DEEP)


def test_a_deeply_nested_document_is_refused_before_it_is_rendered() -> None:
    draft = render_draft("a.md", "ok\n\n" + "> " * 65 + "deep\n")
    assert (draft.path, draft.problem, draft.line) == ("a.md", DEEP, 3)
    assert draft.pieces == ("",) and draft.sections == ()


# -- slugs and ids ----------------------------------------------------------------------------


def test_slugs_are_unicode_and_never_empty() -> None:
    assert slugify("Hello, World", "-") == "hello-world"
    assert slugify("Доза препарата", "_") == "доза_препарата"
    assert slugify("🎉", "-") == "section"
    assert slugify("", "-") == "section"


def test_heading_ids_come_in_document_order() -> None:
    converted = MarkdownRenderer().convert("# A\n\n## B\n\n### C\n\n## D\n\n# E\n\n## 🎉\n")
    assert converted == DocumentHtml(
        '<h1 id="a">A</h1>\n<h2 id="b">B</h2>\n<h3 id="c">C</h3>\n<h2 id="d">D</h2>\n'
        '<h1 id="e">E</h1>\n<h2 id="section">🎉</h2>',
        ("a", "b", "c", "d", "e", "section"),
    )


def test_one_renderer_forgets_the_last_documents_ids() -> None:
    renderer = MarkdownRenderer()
    assert renderer.convert("# A\n").heading_ids == ("a",)
    assert renderer.convert("# A\n").heading_ids == ("a",)
    assert renderer.convert("text\n").heading_ids == ()


def test_markdowns_own_placeholders_cannot_be_forged() -> None:
    assert MarkdownRenderer().convert("x\x02y\x03z").html == "<p>x\ufffdy\ufffdz</p>"


def test_the_fixed_extensions_are_on() -> None:
    html = (
        MarkdownRenderer()
        .convert(
            "| a | b |\n|:--|--:|\n| c | d |\n\n```\ncode\n```\n\n3. three\n4. four\n\n"
            "para\n{: .safety-note}\n"
        )
        .html
    )
    assert '<th align="left">a</th>' in html and '<td align="right">d</td>' in html
    assert "<pre><code>code\n</code></pre>" in html
    assert '<ol start="3">' in html
    assert '<p class="safety-note">para</p>' in html


def test_only_the_fast_inline_processor_is_installed_when_asked() -> None:
    fast = MarkdownRenderer()._md.treeprocessors["inline"]
    stock = MarkdownRenderer(triggered=False)._md.treeprocessors["inline"]
    assert isinstance(fast, _TriggeredInline)
    assert not isinstance(stock, _TriggeredInline)
    assert MarkdownRenderer()._md.treeprocessors.get_index_for_name("inline") == (
        MarkdownRenderer(triggered=False)._md.treeprocessors.get_index_for_name("inline")
    )


@pytest.mark.parametrize(
    "text",
    [
        "a `b` c",
        "`b` first",
        "a \\* b",
        "[l](x.md)",
        "![i](x.png)",
        "[r]\n\n[r]: x.md",
        "![r]\n\n[r]: x.png",
        "[r][]\n\n[r]: x.md",
        "![r][]\n\n[r]: x.png",
        "<https://e.org>",
        "<a@b.org>",
        "line  \nbreak",
        "<b>bold</b>",
        "&copy; &amp;",
        "*a* **b** _c_ __d__",
        "plain",
    ],
)
def test_each_inline_pattern_still_applies(text: str) -> None:
    fast, stock = MarkdownRenderer(), MarkdownRenderer(triggered=False)
    assert fast.convert(text) == stock.convert(text)
    assert fast.convert(text).html != f"<p>{text}</p>" or text in ("plain", "<b>bold</b>")


# -- sanitizing -------------------------------------------------------------------------------


def test_sanitizing_keeps_only_the_allowed_tags_attributes_and_classes() -> None:
    dirty = (
        '<p class="safety-note other" style="x" onclick="y">p</p>'
        '<span class="safety-note">s</span><div class="section-end">d</div><!-- c -->'
        '<script>bad()</script><style>p{}</style><a href="javascript:x" rel="x" target="_b">j</a>'
        '<a href="foo:bar" title="t">f</a><img src="a.png" alt="a" width="3" height="4" '
        'title="t" onerror="x"><ol start="3" type="a"><li>x</li></ol>'
        '<td align="left" colspan="2" rowspan="1" width="3">c</td>'
        '<h2 id="h" class="safety-note">h</h2><abbr title="t">A</abbr><iframe>i</iframe>'
        '<ul class="section-end"><li>u</li></ul><blockquote class="safety-note">q</blockquote>'
    )
    assert sanitize(dirty) == (
        '<p class="safety-note">p</p>s<div class="section-end">d</div>'
        '<a href="javascript:x">j</a><a title="t">f</a>'
        '<img src="a.png" alt="a" width="3" height="4" title="t"><ol start="3"><li>x</li></ol>'
        'c<h2 id="h">h</h2><abbr title="t">A</abbr>i'
        '<ul class="section-end"><li>u</li></ul><blockquote class="safety-note">q</blockquote>'
    )


@pytest.mark.parametrize(
    "scheme",
    ["http", "https", "mailto", "file", "ftp", "ftps", "sftp", "ssh", "smb", "tel", "sms",
     "news", "irc", "data", "javascript", "vbscript", "ms-settings", "shell", "ketreader"],
)  # fmt: skip
def test_links_of_known_schemes_reach_the_resolver_to_be_reported(scheme: str) -> None:
    assert sanitize(f'<a href="{scheme}:x">l</a>') == f'<a href="{scheme}:x">l</a>'


def test_the_rest_of_the_allowed_tags_pass() -> None:
    tags = ["b", "br", "code", "dd", "del", "dl", "dt", "em", "i", "ins", "kbd", "mark", "pre",
            "s", "small", "strong", "sub", "sup", "u"]  # fmt: skip
    for tag in tags:
        html = f"<{tag}>x</{tag}>" if tag != "br" else "<br>"
        assert sanitize(html) == html, tag
    table = (
        "<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td>"
        "</tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table><hr>"
    )
    assert sanitize(table) == table
    headings = "".join(f'<h{n} id="x{n}">t</h{n}>' for n in range(1, 7))
    assert sanitize(headings) == headings
