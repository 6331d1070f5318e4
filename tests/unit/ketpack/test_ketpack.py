"""Storage room tests: a compiled pack holds the whole pack, opens lazily, refuses damage."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from ketreader.content.diagnostics import PackError
from ketreader.ketpack.build import build_pack
from ketreader.ketpack.read import KetPack
from ketreader.ketpack.versions import FORMAT_VERSION
from ketreader.library import StoredLibrary
from ketreader.pipeline import open_library
from tests.conftest import GUIDE, write_pack

PNG = b"\x89PNG\r\n\x1a\n" + b"image bytes"


def sample(root: Path) -> Path:
    write_pack(
        root,
        {
            "a.md": "# Alpha\n\n## Introduction\n\nFirst ｋｅｔａｍｉｎｅ text.\n\n"
            "![chart](img/chart.png)\n\n## Notes\n\nSee [beta](b.md).\n",
            "b.md": "# Beta\n\n## Introduction\n\nSecond zebra text.\n",
        },
        title="Sample",
    )
    (root / "img").mkdir()
    (root / "img" / "chart.png").write_bytes(PNG)
    (root / "img" / "unused.png").write_bytes(PNG)
    return root


@pytest.fixture
def compiled(tmp_path: Path) -> Path:
    target = tmp_path / "out" / "sample.ketpack"
    target.parent.mkdir()
    build_pack(sample(tmp_path / "src"), target)
    return target


def test_a_compiled_pack_reads_like_its_folder(compiled: Path, tmp_path: Path) -> None:
    packed = open_library(compiled)
    folder = open_library(tmp_path / "src", use_cache=False)
    assert isinstance(packed, StoredLibrary)
    assert packed.title == folder.title == "Sample"
    assert packed.fingerprint == folder.fingerprint  # `check` shows the same in both forms
    assert [s.outline_entry() for s in packed.sections] == [
        s.outline_entry() for s in folder.sections
    ]
    for index in range(folder.document_count):
        assert packed.document(index) == folder.document(index)
    assert packed.resource("img/chart.png") == PNG
    assert packed.resource("img/unused.png") is None  # only the images the documents show
    assert packed.resource("../src/img/chart.png") is None
    assert [h.id for h in packed.index.search("zebra").hits] == ["introduction-2"]
    for section in folder.sections:
        assert packed.section_text(section) == folder.section_text(section)
    assert packed.rendered.text == folder.rendered.text


def test_opening_reads_no_document_until_one_is_shown(
    compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    real = KetPack.document

    def counting(self: KetPack, i: int) -> object:
        read.append(i)
        return real(self, i)

    monkeypatch.setattr(KetPack, "document", counting)
    library = open_library(compiled)
    assert library.title == "Sample" and library.sections and library.document_count == 2
    assert read == []
    library.document_html(1)
    library.document_html(1)
    assert read == [1]


def test_full_width_text_and_queries_find_each_other(compiled: Path) -> None:
    index = open_library(compiled).index
    assert [h.id for h in index.search("ketamine").hits] == ["introduction"]
    assert [h.id for h in index.search("ｚｅｂｒａ").hits] == ["introduction-2"]


def one_line_refusal(path: Path) -> str:
    with pytest.raises(PackError) as caught:
        open_library(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_a_truncated_pack_is_refused(compiled: Path) -> None:
    data = compiled.read_bytes()
    compiled.write_bytes(data[: len(data) // 2])
    assert "truncated" in one_line_refusal(compiled)


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.ketpack"
    text.write_text("just some text\n" * 20, "utf-8")
    assert "not a compiled pack" in one_line_refusal(text)
    other = tmp_path / "other.ketpack"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t(x)")
    db.commit()
    db.close()
    assert "another program" in one_line_refusal(other)


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE meta SET value = 'Forged title' WHERE key = 'title'",
        "UPDATE sections SET title = 'Forged' WHERE rowid = 1",
        "UPDATE documents SET hash = zeroblob(32) WHERE idx = 0",
    ],
)
def test_a_hand_edited_pack_is_refused(compiled: Path, edit: str) -> None:
    db = sqlite3.connect(compiled)
    db.execute(edit)
    db.commit()
    db.close()
    assert "edited" in one_line_refusal(compiled)


def test_an_edited_row_is_refused_when_read(compiled: Path) -> None:
    # Edited with SQLite's own change counter put back, so only the row's hash can tell.
    header = compiled.read_bytes()[:100]
    db = sqlite3.connect(compiled)
    (data,) = db.execute("SELECT data FROM documents WHERE idx = 1").fetchone()
    db.execute("UPDATE documents SET data = ? WHERE idx = 1", (data[:-1] + b"x",))
    db.commit()
    db.close()
    with compiled.open("r+b") as handle:
        handle.seek(24)
        handle.write(header[24:28])
    library = open_library(compiled)
    library.document_html(0)
    assert isinstance(library, StoredLibrary)
    with pytest.raises(PackError, match="does not match its hash"):
        library.stored.document(1)
    # The window shows that the part is damaged (it had no way to show the error).
    assert "does not match its hash" in library.document_html(1)


def test_an_unknown_format_version_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.ketpack import write

    monkeypatch.setattr(write, "FORMAT_VERSION", 99)
    target = tmp_path / "future.ketpack"
    build_pack(sample(tmp_path / "src"), target)
    message = one_line_refusal(target)
    assert "format version 99" in message and f"reads version {FORMAT_VERSION}" in message


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_named_like_a_pack_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ketpack"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_refusal(fifo)


def test_pack_build_refuses_an_output_inside_the_pack(tmp_path: Path) -> None:
    root = sample(tmp_path / "src")
    with pytest.raises(PackError, match="inside the pack"):
        build_pack(root, root / "self.ketpack")
    assert not list(root.rglob("*.ketpack"))


def test_a_failed_build_leaves_the_old_file_whole(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.search import index

    before = compiled.read_bytes()

    def full_disk(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index, "write_index", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        build_pack(tmp_path / "src", compiled)
    assert compiled.read_bytes() == before
    assert sorted(p.name for p in compiled.parent.iterdir()) == [compiled.name]


def test_the_fingerprint_covers_manifest_synonyms_and_images(tmp_path: Path) -> None:
    root = sample(tmp_path / "src")
    seen = {open_library(root).fingerprint}
    (root / "synonyms.toml").write_text('[synonyms]\nketamine = ["k"]\n', "utf-8")
    seen.add(open_library(root).fingerprint)
    (root / "img" / "chart.png").write_bytes(PNG + b"changed")
    seen.add(open_library(root).fingerprint)
    (root / "img" / "unused.png").write_bytes(PNG + b"not shown: no change")
    seen.add(open_library(root).fingerprint)
    manifest = (root / "pack.toml").read_text("utf-8")
    (root / "pack.toml").write_text(manifest.replace("Sample", "Renamed"), "utf-8")
    seen.add(open_library(root).fingerprint)
    assert len(seen) == 4


def test_editing_pack_toml_changes_the_title_shown(tmp_path: Path) -> None:
    root = sample(tmp_path / "src")
    assert open_library(root).title == "Sample"
    manifest = (root / "pack.toml").read_text("utf-8")
    # Same size, so only the modification time and the content tell the change.
    (root / "pack.toml").write_text(manifest.replace("Sample", "Sampla"), "utf-8")
    os.utime(root / "pack.toml", ns=(1, 1))
    assert open_library(root).title == "Sampla"


def test_the_cache_is_about_the_size_of_a_compiled_pack(tmp_path: Path) -> None:
    from ketreader import paths

    open_library(GUIDE)
    caches = list(paths.cache_dir().glob("pack-*.ketpack"))
    assert len(caches) == 1
    target = tmp_path / "guide.ketpack"
    build_pack(GUIDE, target)
    assert caches[0].stat().st_size == target.stat().st_size


def test_a_folder_named_like_a_compiled_pack_is_named_so(tmp_path: Path) -> None:
    folder = tmp_path / "guide.ketpack"
    folder.mkdir()
    with pytest.raises(PackError) as caught:
        KetPack.open(folder)
    message = str(caught.value)
    assert message.startswith(str(folder)) and "is a folder" in message
    assert "\n" not in message
