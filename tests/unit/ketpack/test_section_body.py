"""Storage room tests: a section's stored text reads back whole, or just its start."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from ketreader.search.index import section_body


@given(
    st.text(alphabet=st.sampled_from("aé日😀\n "), max_size=3000),
    st.integers(min_value=1, max_value=4000),
)
def test_the_start_of_a_section_is_its_first_characters(text: str, max_chars: int) -> None:
    stored = zlib.compress(text.encode("utf-8"), 1)
    assert section_body(stored) == text
    assert section_body(stored, max_chars) == text[:max_chars]
