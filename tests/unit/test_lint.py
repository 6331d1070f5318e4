"""Content room tests: `ketreader check` and hostile packs, refused by name."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketreader.cli import main
from ketreader.content.pack import load_pack
from ketreader.lint import check_pack
from ketreader.render.pack_render import render_pack
from tests.conftest import GUIDE, run_python, write_pack


def messages(root: Path) -> list[str]:
    return [str(d) for d in check_pack(root)]


def test_bundled_guide_is_clean() -> None:
    assert check_pack(GUIDE) == []


def test_check_exit_codes_and_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n[x](#missing)\n"})
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root / 'a.md'}:3: error: link target not found: #missing" in out
    assert main(["check", str(GUIDE)]) == 0


def test_warnings_do_not_fail_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n## Dose\n\n## Dose\n", "b.md": "  \n"})
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert "a.md:5: warning: duplicate heading 'Dose'" in out
    assert "b.md: warning: document is empty" in out


@pytest.mark.parametrize(
    ("files", "manifest", "expected"),
    [
        ({}, None, "pack.toml: error: pack.toml is missing"),
        ({"a.md": "# A"}, 'title = "x"\ndocuments = [\n', "pack.toml:2: error: TOML syntax error"),
        ({"a.md": "# A"}, 'documents = ["a.md"]\n', "pack.toml: error: 'title' is required"),
        ({"a.md": "# A"}, 'title = "x"\ndocuments = ["../../etc/passwd"]\n', "leaves the pack"),
        ({"a.md": "# A"}, 'title = "x"\ndocuments = ["b.md"]\n', "b.md: error: document not found"),
        ({"a.md": "# A\n\n![i](missing.png)\n"}, None, "image not found in the pack: missing.png"),
        ({"d.md": "# A"}, 'title = "x"\ndocuments = ["d.md"]\n', None),
    ],
)
def test_broken_packs_are_refused_by_name(
    tmp_path: Path, files: dict[str, str], manifest: str | None, expected: str | None
) -> None:
    root = write_pack(tmp_path / "p", files or {"a.md": "# A"})
    if not files:
        (root / "pack.toml").unlink()
    elif manifest is not None:
        (root / "pack.toml").write_text(manifest, "utf-8")
    found = messages(root)
    if expected is None:
        assert not [m for m in found if ": error:" in m]
    else:
        assert any(expected in m for m in found), found


def test_directory_as_document_and_oversized_document(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A"})
    (root / "folder.md").mkdir()
    (root / "big.md").write_bytes(b"x" * (8 * 1024 * 1024 + 1))
    (root / "pack.toml").write_text('title = "x"\ndocuments = ["folder.md", "big.md"]\n', "utf-8")
    found = messages(root)
    assert any("folder.md: error: document is not a regular file" in m for m in found)
    assert any("big.md: error: document is" in m and "the limit is" in m for m in found)


def test_non_utf8_reports_line(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": ""})
    (root / "a.md").write_bytes(b"# A\n\n\xc3\x28\n")
    assert any(
        m.endswith("(file offset 5)") and "a.md:3: error: not UTF-8" in m for m in messages(root)
    )


PATHOLOGICAL = {
    "quotes": ">" * 20_000 + " deep\n",
    "lists": "".join("  " * i + "- item\n" for i in range(2000)),
    "long-line": "# Long\n\n" + "word " * 250_000 + "\n",
    "nul": "# N\n\nbefore\x00after\n",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_opens_or_is_refused_quickly(tmp_path: Path, name: str) -> None:
    root = write_pack(tmp_path / name, {"a.md": PATHOLOGICAL[name]})
    start = time.perf_counter()
    found = check_pack(root)
    assert time.perf_counter() - start < 5
    errors = [d for d in found if d.severity == "error"]
    if name in ("quotes", "lists"):
        assert errors and errors[0].line == (1 if name == "quotes" else 130)
        assert "nests deeper than" in errors[0].message
    else:
        assert errors == []


@pytest.mark.parametrize(
    "name", ["quotes", "lists", "long-line", "nul", "hostile-html", "broken-toml"]
)
def test_window_opens_hostile_packs_and_exits_zero(tmp_path: Path, name: str) -> None:
    documents = dict(PATHOLOGICAL)
    documents["hostile-html"] = '# H\n\n<script>alert(1)</script><img src="http://x/y.png" alt="a">'
    documents["broken-toml"] = "# B"
    root = write_pack(tmp_path / name, {"a.md": documents[name]})
    if name == "broken-toml":
        (root / "pack.toml").write_text("title = \n", "utf-8")
    result = run_python("-m", "ketreader", "--content", str(root), "--quit-after-paint")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    refused = name in ("quotes", "lists", "broken-toml")
    assert ("ketreader: error:" in result.stderr) == refused


def test_export_of_hostile_pack_via_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_pack(
        tmp_path / "p",
        {
            "a.md": (
                '# T\n\nsafe words <script>bad()</script>\n\n<a href="javascript:x()" onclick="y">'
                'click</a> <img src="data:image/png;base64,AA" alt="inline">\n'
            )
        },
    )
    assert main(["export", "--content", str(root)]) == 0
    out = capsys.readouterr().out
    for forbidden in ("<script", "javascript:", "onclick", "data:image"):
        assert forbidden not in out
    assert "safe words" in out and "click" in out and "inline" in out


# Single characters that Markdown and HTML give meaning to, and whole hostile fragments, so
# the fuzzer can spell "<script>", event handlers and javascript: URLs, not only stumble on them.
_HOSTILE = [
    "<script>",
    "</script>",
    "<script src=x>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "[x](javascript:alert(1))",
    "<svg onload=y>",
    "<style>",
    "<iframe src=x>",
    "<object data=x>",
    '<p style="x">',
    "</a>",
    "\n\n",
]
markdown_text = st.lists(
    st.one_of(
        st.sampled_from([*list("#>-*_`[]()!<>/\\ \n\tabcé日😀|:=\"'&"), "\x00", "\u200f"]),
        st.sampled_from(_HOSTILE),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_fuzzed_markdown_renders_to_consistent_sections(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = write_pack(Path(folder) / "p", {"a.md": text})
        pack = render_pack(load_pack(root))
    ids = [s.id for s in pack.sections]
    assert len(ids) == len(set(ids)) and ids
    assert pack.sections[0].parent is None
    known = set(ids)
    assert all(s.parent is None or s.parent in known for s in pack.sections)
    for tag, attributes in _markup(pack.documents[0].html):
        assert tag not in {"script", "style", "iframe", "object", "svg", "embed"}, tag
        for name, value in attributes:
            assert not name.startswith("on") and name != "style", (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)


def _markup(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of ``html`` with its attributes (text that only looks like a tag
    is text, and harmless)."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_check_of_a_flood_of_one_heading_is_linear(tmp_path: Path) -> None:
    # 104 s before: every duplicate searched the document from the top.
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n" + "## x\n\n" * 20_000})
    start = time.process_time()
    found = check_pack(root)
    assert time.process_time() - start < 5
    duplicates = [d for d in found if d.message.startswith("duplicate heading 'x'")]
    assert [d.line for d in duplicates[:3]] == [5, 7, 9]
    assert any("more than 1,000 headings" in d.message for d in found)


def test_duplicate_heading_lines_are_found_in_order(tmp_path: Path) -> None:
    text = "# A\n\n## Dose\n\n## Other\n\n## *Dose*\n\n## Dose\n"
    found = check_pack(write_pack(tmp_path / "p", {"a.md": text}))
    assert [(d.message.split(" (")[0], d.line) for d in found if "duplicate" in d.message] == [
        ("duplicate heading 'Dose'", 7),
        ("duplicate heading 'Dose'", 9),
    ]


def test_link_and_image_problems_name_their_line(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "p",
        {
            "a.md": "# A\n\nIntro.\n\n![r](https://example.com/x.png)\n\n"
            "See [b](#nowhere) and ![m](missing.png).\n"
        },
    )
    found = {d.message.split(":")[0]: d.line for d in check_pack(pack)}
    assert found["remote image shown as its alt text"] == 5
    assert found["link target not found"] == 7
    assert found["image not found in the pack"] == 7


def test_a_list_indented_three_spaces_is_said_not_to_nest(tmp_path: Path) -> None:
    text = "# A\n\n- one\n   - three spaces\n    - four spaces\n\n1. first\n  2. two spaces\n"
    pack = write_pack(tmp_path / "p", {"a.md": text})
    flat = [d for d in check_pack(pack) if "is not nested" in d.message]
    assert [(d.line, d.severity) for d in flat] == [(4, "warning"), (8, "warning")]


def _png(width: int, height: int, *, whole: bool = True) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    body = chunk(b"IDAT", zlib.compress(b"\x00" * (width * 3 + 1)))
    data = b"\x89PNG\r\n\x1a\n" + header + body + chunk(b"IEND", b"")
    return data if whole else data[:40]


def test_check_warns_about_images_the_reader_cannot_show(tmp_path: Path) -> None:
    # Each of these showed as a broken image with no word from `check`.
    root = write_pack(
        tmp_path / "p",
        {"a.md": "# A\n\n![ok](ok.png) ![big](big.png) ![cut](cut.png) ![text](text.png)\n"},
    )
    (root / "ok.png").write_bytes(_png(4, 4))
    (root / "big.png").write_bytes(_png(30_000, 30_000))  # 3.6 GB once decoded
    (root / "cut.png").write_bytes(_png(4, 4, whole=False))
    (root / "text.png").write_bytes(b"just text, not an image\n")
    warnings = {f"{d.path} {d.message}" for d in check_pack(root) if d.severity == "warning"}
    assert not any("ok.png" in w for w in warnings), warnings
    assert any("big.png" in w and "too large" in w for w in warnings), warnings
    assert any("cut.png" in w and "truncated" in w for w in warnings), warnings
    assert any("text.png" in w and "not an image" in w for w in warnings), warnings
