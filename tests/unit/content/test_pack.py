"""Content room tests: loading packs and refusing broken ones by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketreader.content.diagnostics import PackError
from ketreader.content.pack import load_pack, resolve_inside
from tests.conftest import GUIDE, write_pack


def test_bundled_guide_loads_with_manifest_values() -> None:
    pack = load_pack(GUIDE)
    assert pack.title == "What is ketamine?"
    assert [d.path for d in pack.documents] == ["what-is-ketamine.md"]
    assert pack.language == "en"
    assert len(pack.fingerprint) == 64


def test_fingerprint_changes_when_a_document_changes(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\none\n"})
    before = load_pack(root).fingerprint
    (root / "a.md").write_text("# A\n\ntwo\n", "utf-8")
    assert load_pack(root).fingerprint != before


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (None, "pack.toml is missing"),
        ('title = "x"\ndocuments = [\n', "TOML syntax error"),
        ('documents = ["a.md"]\n', "'title' is required"),
        ('title = "x"\ndocuments = "a.md"\n', "'documents' is required"),
        ('title = "x"\ndocuments = ["a.md"]\nversion = 3\n', "'version' must be a string"),
    ],
)
def test_broken_manifest_is_refused_naming_pack_toml(
    tmp_path: Path, manifest: str | None, expected: str
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "a.md").write_text("# A\n", "utf-8")
    if manifest is not None:
        (root / "pack.toml").write_text(manifest, "utf-8")
    with pytest.raises(PackError) as info:
        load_pack(root)
    assert "pack.toml" in str(info.value)
    assert expected in str(info.value)


def test_toml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pack.toml").write_text('title = "x"\n\ndocuments = [1,,]\n', "utf-8")
    with pytest.raises(PackError) as info:
        load_pack(root)
    assert info.value.diagnostics[0].line == 3


def test_missing_document_is_named(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").write_text('title = "x"\ndocuments = ["a.md", "gone.md"]\n', "utf-8")
    with pytest.raises(PackError, match=r"gone\.md: document not found"):
        load_pack(root)


@pytest.mark.parametrize("path", ["../outside.md", "/etc/passwd", "sub/../../outside.md"])
def test_paths_leaving_the_pack_are_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "outside.md").write_text("# secret\n", "utf-8")
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "pack.toml").write_text(f'title = "x"\ndocuments = ["{path}"]\n', "utf-8")
    with pytest.raises(PackError, match="leaves the pack"):
        load_pack(root)


def test_symlink_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("# secret\n", "utf-8")
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "link.md").symlink_to(tmp_path / "outside.md")
    (root / "pack.toml").write_text('title = "x"\ndocuments = ["link.md"]\n', "utf-8")
    with pytest.raises(PackError, match="leaves the pack"):
        load_pack(root)
    assert resolve_inside(root, "link.md") is None


def test_non_utf8_document_reports_line_and_offset(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": ""})
    (root / "a.md").write_bytes(b"# A\n\nok line\nbad \xff byte\n")
    with pytest.raises(PackError) as info:
        load_pack(root)
    diagnostic = info.value.diagnostics[0]
    assert diagnostic.line == 4
    assert "0xff at column 5" in diagnostic.message


def test_nul_bytes_become_replacement_characters_with_a_warning(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n\nx\x00y\n"})
    pack = load_pack(root)
    assert "x\ufffdy" in pack.documents[0].text
    assert any("NUL" in w.message and w.line == 3 for w in pack.warnings)


def test_fingerprint_covers_the_manifest(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"}, title="First")
    before = load_pack(root).fingerprint
    (root / "pack.toml").write_text('title = "Second"\ndocuments = ["a.md"]\n', "utf-8")
    assert load_pack(root).fingerprint != before


def test_an_edited_manifest_shows_everywhere_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ketreader.cli import main
    from ketreader.library_loader import load_library

    root = write_pack(tmp_path / "p", {"a.md": "## Part\n"}, title="Old title")
    assert load_library(root).library.title == "Old title"
    assert main(["sections", "--content", str(root), "--json"]) == 0
    capsys.readouterr()
    (root / "pack.toml").write_text(
        'title = "New title"\nversion = "2"\ndocuments = ["a.md"]\n', "utf-8"
    )
    library = load_library(root).library
    assert (library.title, library.version) == ("New title", "2")
    assert main(["sections", "--content", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["title"] == "New title"


def test_a_pack_loads_where_os_has_no_nonblocking_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from tests.conftest import GUIDE

    monkeypatch.delattr(os, "O_NONBLOCK")  # Windows has none
    assert load_pack(GUIDE).title == "What is ketamine?"
