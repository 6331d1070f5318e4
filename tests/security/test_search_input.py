"""Security tests: text in a pack cannot pose as snippet markup; width tricks do not hide words."""

from __future__ import annotations

from pathlib import Path

from ketreader.pipeline import open_library
from tests.conftest import GUIDE, write_pack


def test_control_characters_cannot_forge_snippet_emphasis(tmp_path: Path) -> None:
    # FTS5's snippet() once marked matches with \x02 and \x03; text holding those characters
    # (written as &#x02; and &#x03;) then opened and closed <b> of its own.
    body = "# G\n\n## A\n\nBefore &#x02;zebra&#x03; after \x02x\x03 and <b>bold</b> &#2; end\n"
    library = open_library(write_pack(tmp_path / "p", {"a.md": body}), use_cache=False)
    hit = library.index.search("zebra").hits[0]
    assert hit.snippet.count("<b>") == hit.snippet.count("</b>") == 1
    assert "<b>zebra</b>" in hit.snippet
    assert not any(ch in hit.snippet for ch in "\x02\x03")
    plain = hit.snippet.replace("<b>", "").replace("</b>", "")
    assert "<" not in plain and ">" not in plain  # every other angle bracket is escaped


def test_a_full_width_query_finds_what_it_spells() -> None:
    index = open_library(GUIDE).index
    found = [h.id for h in index.search("ｋｅｔａｍｉｎｅ").hits]
    assert found and found == [h.id for h in index.search("ketamine").hits]
    assert [h.id for h in index.search("ＮＭＤＡ").hits] == ["how-ketamine-works-in-the-brain"]
