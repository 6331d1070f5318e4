"""Security tests: pathological Markdown shapes, generated, always render in bounded time.

Hypothesis builds documents from the shapes that froze Python-Markdown, nh3 or the scan
(runs of brackets, backticks, entities and emphasis; floods of headings, rules and setext
lines; deep HTML and quotes; long words), repeated thousands of times and mixed, and each
must render (render_draft, all of the per-document work) in under the 2 s a file may
take to render and paint.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketreader.render.draft import render_draft
from ketreader.render.pack_render import _IdRegistry

BOUND_S = 2.0

UNITS = [
    "[", "![", "]", "(", "&amp;", "&#x41;", "`", "``", "*", "**", "_", "<", ">", "\\",
    "***\n", "---\n", "x\n=\n", "x\n-\n", "## x\n", "# x\n", "<h2>x</h2>", "<div>", "</div>",
    "<table><tr><td>", "</td></tr></table>", "> ", "- ", "1. ", "    ", "\n", "\n\n", " ",
    "a", "[a](b)", "<b>", "```\n", "````\n", "~~~\n", "{: .section-end}\n",
    "{: .safety-note}\n", "| a |\n", "|-|\n",
]  # fmt: skip

pieces = st.tuples(st.sampled_from(UNITS), st.integers(min_value=1, max_value=12_000))
documents = st.lists(pieces, min_size=1, max_size=3).map(
    lambda parts: "".join(unit * count for unit, count in parts)
)


def cpu_seconds(text: str) -> float:
    """CPU time of render_draft on ``text``; a slow first run is timed again, so that a
    pause of the machine (not of the renderer) cannot fail the test: a shape that is
    really slow is slow both times."""
    times: list[float] = []
    for _ in range(2):
        start = time.process_time()
        render_draft("a.md", text)
        times.append(time.process_time() - start)
        if times[-1] < BOUND_S:
            break
    return min(times)


@settings(
    max_examples=40,
    derandomize=True,  # the same examples every run: CI never meets a new one by chance
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=documents)
def test_pathological_shapes_render_in_bounded_time(text: str) -> None:
    elapsed = cpu_seconds(text)
    assert elapsed < BOUND_S, f"{elapsed:.2f} s for {text[:80]!r}..."
    draft = render_draft("a.md", text)
    if draft.problem is None:
        ids = _IdRegistry()
        assert len({ids.unique(s.local_id or "section") for s in draft.sections}) == len(
            draft.sections
        )


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(unit=st.sampled_from(UNITS), count=st.integers(min_value=1, max_value=5_000))
def test_each_shape_repeated_in_a_paragraph_of_words(unit: str, count: int) -> None:
    text = "# Title\n\nSome words " + (unit + "word ") * count + "and the end.\n"
    assert cpu_seconds(text) < BOUND_S
