"""Render room tests: sections, ids, links, sanitizing and fidelity to the source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ketreader.content.pack import load_pack
from ketreader.render.export import export_html, export_text
from ketreader.render.model import RenderedPack
from ketreader.render.pack_render import render_pack
from tests.conftest import GUIDE, REPO, write_pack

SOURCE = REPO / "tests" / "data" / "what-is-ketamine.source.txt"
SHARED_SOURCE = REPO.parent / "shared" / "content-source" / "what-is-ketamine.txt"

OUTLINE_L2 = [
    "Introduction: A clear overview", "Origins and medical background",
    "Chemical profile and classification", "How ketamine works in the brain",
    "Approved medical uses", "Emerging psychiatric research",
    "Safety profile and common side effects", "Risks of misuse and long-term concerns",
    "Legal and regulatory considerations", "Ethical use in healthcare",
    "Frequently asked questions", "The future of ketamine research", "Key takeaways",
]  # fmt: skip


@pytest.fixture(scope="module")
def guide() -> RenderedPack:
    return render_pack(load_pack(GUIDE))


def render(tmp_path: Path, documents: dict[str, str]) -> RenderedPack:
    return render_pack(load_pack(write_pack(tmp_path / "pack", documents)))


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ")
        parts.extend(s for s in re.split(r"(?<=[.?!:])\s+", line) if s)
    return parts


# SHA-256 of the editors' source text as delivered; the copy in tests/data must be it.
SOURCE_SHA256 = "84466e243952ed21f5b0e94eca779bec69641bbfe0990230c22ce5bc5f015eb3"


def test_fixture_copy_is_the_editors_source() -> None:
    # The copy lets the suite run anywhere; the digest proves it is the delivered text.
    import hashlib

    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SOURCE_SHA256
    if SHARED_SOURCE.exists():  # beside the repository, where the source was delivered
        assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_every_source_sentence_is_exported_verbatim(guide: RenderedPack) -> None:
    text = export_text(guide)
    sentences = _sentences(SOURCE.read_text("utf-8"))
    assert len(sentences) > 90
    missing = [s for s in sentences if s not in text]
    assert missing == []


def test_removed_promotional_block_is_nowhere(guide: RenderedPack) -> None:
    text_files = [
        p for p in (REPO / "resources").rglob("*") if p.suffix in {".md", ".toml", ".css"}
    ]
    assert len(text_files) >= 3
    shipped = " ".join(p.read_text("utf-8") for p in text_files) + export_html(guide)
    assert "call to action" not in shipped.lower()
    assert not re.search(r"\+?\d[\d ()-]{7,}\d", export_text(guide))  # no telephone numbers
    assert not re.search(r"https?://|www\.", shipped)


def test_outline_matches_the_editorial_outline(guide: RenderedPack) -> None:
    top = guide.sections[0]
    assert (top.title, top.level, top.parent) == ("What is ketamine?", 1, None)
    assert guide.section_text(top).startswith("What is ketamine—this question often arises")
    assert [s.title for s in guide.sections if s.level == 2] == OUTLINE_L2
    approved = [s.title for s in guide.sections if s.parent == "approved-medical-uses"]
    assert approved == [
        "Anesthesia and sedation",
        "Pain management",
        "Emergency and disaster medicine",
    ]
    faq = [s.title for s in guide.sections if s.parent == "frequently-asked-questions"]
    assert faq == [
        "Is ketamine the same as other anesthetics?",
        "Does ketamine cure depression?",
        "Can anyone receive ketamine therapy?",
    ]


def test_closing_line_belongs_to_approved_medical_uses(guide: RenderedPack) -> None:
    closing = "These uses reflect decades of clinical experience and guideline development."
    approved = guide.section("approved-medical-uses")
    emergency = guide.section("emergency-and-disaster-medicine")
    assert approved is not None and emergency is not None
    assert closing in guide.section_text(approved)
    assert closing not in guide.section_text(emergency)


def test_safety_note_closes_the_guide_set_apart(guide: RenderedPack) -> None:
    html = guide.documents[0].html
    note = re.search(r'<p class="safety-note"[^>]*>(.*?)</p>', html)
    assert note is not None
    assert note.group(1).startswith("Always consult qualified healthcare professionals")
    assert html.rstrip().endswith("</p>") and html.rfind("safety-note") > html.rfind("<h2")


def test_ids_are_unique_across_documents_and_unicode_readable(tmp_path: Path) -> None:
    pack = render(tmp_path, {
        "a.md": "# Intro\n\n## Dose\n\n## Dose\n",
        "b.md": "# Intro\n\n## Доза\n\n## 日本語\n\n## 🎉\n\n## שלום\n",
    })  # fmt: skip
    ids = [s.id for s in pack.sections]
    assert len(ids) == len(set(ids))
    assert {"доза", "日本語", "שלום"} <= set(ids)
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_document_title_is_its_level_one_heading(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": "# First doc\n\ntext\n", "b.md": "no heading here\n"})
    roots = [s for s in pack.sections if s.level == 1]
    assert [r.title for r in roots] == ["First doc", "b"]
    assert all(r.parent is None for r in roots)


def test_links_between_documents_point_at_pack_ids(tmp_path: Path) -> None:
    pack = render(tmp_path, {
        "a.md": "# A\n\n## Target\n\nsee [b](b.md) and [t](#target)\n",
        "b.md": "# B\n\n## Target\n\nback to [a's](a.md#target)\n",
    })  # fmt: skip
    a, b = pack.documents
    assert 'href="#b"' in a.html and 'href="#target"' in a.html
    assert 'href="#target"' in b.html  # a.md#target keeps the id of a's heading
    assert pack.section("target-2") is not None
    assert not pack.diagnostics


def test_broken_internal_link_is_reported(tmp_path: Path) -> None:
    pack = render(tmp_path, {"a.md": "# A\n\n[x](#nowhere) [y](other.md)\n"})
    assert [d.message for d in pack.diagnostics] == [
        "link target not found: #nowhere",
        "link target not found: other.md",
    ]


def test_hostile_html_is_sanitized_and_text_kept(tmp_path: Path) -> None:
    hostile = (
        "# Title\n\nBefore <script>alert(1)</script>after.\n\n"
        '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="y">\n\n'
        "<style>body{display:none}</style>\n\n"
        '<p style="color:red" onclick="steal()">Styled text</p>\n\n'
        "[js](javascript:alert(1)) [data](data:text/html,hi) [file](file:///etc/passwd)\n\n"
        "![remote picture](https://evil.example/track.png)\n"
    )
    html = export_html(render(tmp_path, {"a.md": hostile}))
    for forbidden in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "onclick",
        "javascript:",
        "data:text",
        "file:",
        "evil.example",
        'style="',
    ):
        assert forbidden not in html
    body = html.split("</style>", 1)[1]
    assert "<style" not in body
    for kept in ("Before", "after.", "Styled text", "remote picture", "<p>js data file</p>"):
        assert kept in html  # refused links keep their words, as plain text


def test_pack_images_are_kept_and_missing_ones_reported(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\n![fig](img/fig.png) ![gone](no.png)\n"})
    (root / "img").mkdir()
    (root / "img" / "fig.png").write_bytes(b"\x89PNG\r\n")
    pack = render_pack(load_pack(root))
    assert '<img alt="fig" src="img/fig.png">' in pack.documents[0].html
    assert "image not found in the pack: no.png" in [d.message for d in pack.diagnostics]


def test_plain_text_keeps_lists_and_headings(guide: RenderedPack) -> None:
    text = export_text(guide)
    assert (
        "Key takeaways\n\n- Ketamine has a long, well-documented medical history.\n- Clin" in text
    )
    assert text.startswith("What is ketamine?\n\nWhat is ketamine—")


def test_export_html_is_standalone(guide: RenderedPack) -> None:
    html = export_html(guide)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert '<html lang="en">' in html
    assert "<link" not in html and "<script" not in html
