"""Security tests: direction controls in a title cannot disguise it anywhere it is shown."""

from __future__ import annotations

from pathlib import Path

from ketreader.content.pack import load_pack
from ketreader.render.pack_render import render_pack
from ketreader.search.index import SearchIndex
from tests.conftest import write_pack

RLO = "\u202e"
CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u200e\u200f\u061c")


def isolated(title: str) -> bool:
    """No control left, and a title that is not plain ASCII in a first-strong isolate."""
    inner = title.removeprefix("\u2068").removesuffix("\u2069")
    wrapped = inner != title
    return not (set(inner) & CONTROLS) and (wrapped or inner.isascii())


def test_override_in_headings_pack_title_and_file_names_is_isolated(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "p",
        {
            "a.md": f"# Invoice {RLO}fdp.exe\n\n## Plain heading\n\n## Доза {RLO}gm 01\n",
            f"Invoice {RLO}fdp.exe.md": "No heading here.\n",
        },
        title=f"Guide {RLO}kcah",
    )
    pack = load_pack(root)
    assert isolated(pack.title) and pack.title == "Guide kcah"
    rendered = render_pack(pack)
    titles = [s.title for s in rendered.sections]
    assert titles[1] == "Plain heading"  # titles without controls are left as they are
    for title in (titles[0], titles[2], titles[3]):
        assert isolated(title)
    assert titles[2] == "\u2068Доза gm 01\u2069"
    assert titles[0] == "Invoice fdp.exe"  # shown in the order it is stored, not reversed
    # Search results show the titles the index holds: the same isolated ones.
    index = SearchIndex.build(rendered)
    rows = index.section_rows(list(range(1, len(titles) + 1)), 0)
    assert [rows[n][1] for n in sorted(rows)] == titles


def test_ids_do_not_carry_the_controls(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": f"# A\n\n## Dose {RLO}gm 01\n"})
    ids = [s.id for s in render_pack(load_pack(root)).sections]
    assert not any(set(i) & CONTROLS for i in ids)
