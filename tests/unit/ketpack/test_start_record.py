"""Start record tests: the guide paints from it; a record that does not match is not used."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ketreader import resources
from ketreader.ketpack.build import build_pack
from ketreader.ketpack.read import KetPack
from ketreader.ketpack.start import read_start, start_path, write_start
from ketreader.library import StoredLibrary
from ketreader.library_loader import load_library
from tests.conftest import GUIDE, REPO


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("installed") / "content"
    folder.mkdir()
    target = folder / "what-is-ketamine.ketpack"
    build_pack(GUIDE, target)
    write_start(target)
    return target


def _copy(compiled: Path, tmp_path: Path) -> Path:
    target = tmp_path / compiled.name
    target.write_bytes(compiled.read_bytes())
    start_path(target).write_bytes(start_path(compiled).read_bytes())
    return target


def test_the_record_holds_what_the_pack_file_holds(compiled: Path) -> None:
    record = read_start(compiled)
    stored = KetPack.open(compiled)
    assert record is not None
    assert record.meta == stored.meta
    assert record.sections == stored.outline()
    assert record.document_count == stored.document_count
    recorded = StoredLibrary(compiled, None, record)
    assert recorded.document(0) == stored.document(0)
    assert (recorded.title, recorded.version, recorded.language, recorded.note) == (
        stored.title,
        stored.optional("version"),
        stored.optional("language"),
        stored.optional("note"),
    )
    assert recorded.fingerprint == stored.fingerprint


def test_the_first_paint_needs_no_sqlite(compiled: Path) -> None:
    # What start-up reads (title, outline, the first document) comes from the record; the
    # pack file, and SQLite with it, wait until something more is asked for.
    probe = f"""
import sys
from pathlib import Path
from ketreader import resources
resources.resource_path = lambda *parts: Path({str(compiled.parent.parent)!r}).joinpath(*parts)
from ketreader.library_loader import load_library
library = load_library(None).library
library.title, library.sections, library.document(0).html, library.document_count
print("sqlite3" in sys.modules, "json" in sys.modules)
library.index.search("bladder", 3)
print("sqlite3" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    ).stdout.split()
    assert out == ["False", "False", "True"]


def test_what_the_record_lacks_comes_from_the_pack_file(compiled: Path) -> None:
    record = read_start(compiled)
    assert record is not None
    library = StoredLibrary(compiled, None, record._replace(documents={}))
    assert library.document(0) == KetPack.open(compiled).document(0)  # read from the file
    hits = library.index.search("bladder", 3).hits
    assert hits and hits[0].id == "risks-of-misuse-and-long-term-concerns"


def test_a_record_for_another_file_is_not_used(compiled: Path, tmp_path: Path) -> None:
    target = _copy(compiled, tmp_path)
    assert read_start(target) is not None
    edited = tmp_path / "edited"
    shutil.copytree(GUIDE, edited)
    page = edited / "what-is-ketamine.md"
    page.write_text(page.read_text(encoding="utf-8").replace("ketamine", "ketamina", 1))
    build_pack(edited, target)  # another pack in its place
    assert read_start(target) is None


def test_a_pack_edited_in_place_is_not_matched(compiled: Path, tmp_path: Path) -> None:
    # SQLite's header is left as it was, and the size too: only the bytes tell.
    target = _copy(compiled, tmp_path)
    data = bytearray(target.read_bytes())
    where = data.rindex(b"bladder")
    data[where : where + 7] = b"BLADDER"
    target.write_bytes(bytes(data))
    assert read_start(target) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: b"",
        lambda raw: marshal.dumps([1, 2, 3]),  # not a record
        lambda raw: marshal.dumps({**marshal.loads(raw), "start": 99}),  # a later format
        lambda raw: marshal.dumps({**marshal.loads(raw), "outline": [["x", "X", 9, None, 0, []]]}),
        lambda raw: marshal.dumps({**marshal.loads(raw), "documents": {5: []}}),
        lambda raw: marshal.dumps({**marshal.loads(raw), "meta": {"title": 3}}),
        lambda raw: marshal.dumps(
            {**marshal.loads(raw), "meta": {"title": "t", "fingerprint": "f"}}
        ),
    ],
    ids=["truncated", "empty", "list", "format", "outline", "documents", "meta", "version"],
)
def test_a_damaged_record_is_not_used(compiled: Path, tmp_path: Path, damage: object) -> None:
    target = _copy(compiled, tmp_path)
    record = start_path(target)
    record.write_bytes(damage(record.read_bytes()))  # type: ignore[operator]
    assert read_start(target) is None


def test_a_fifo_in_place_of_the_record_does_not_hang(compiled: Path, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    target = _copy(compiled, tmp_path)
    start_path(target).unlink()
    os.mkfifo(start_path(target))
    assert read_start(target) is None


def test_a_document_beyond_the_bounds_shows_as_damaged(compiled: Path, tmp_path: Path) -> None:
    target = _copy(compiled, tmp_path)
    data = marshal.loads(start_path(target).read_bytes())
    data["documents"][0][2] = "<p>" + "x" * 9000 + "</p>"
    start_path(target).write_bytes(marshal.dumps(data))
    record = read_start(target)
    assert record is not None
    shown = StoredLibrary(target, None, record).document(0)
    assert "damaged" in shown.html and "x" * 9000 not in shown.html


def test_an_installed_copy_starts_from_the_record(
    compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = compiled.parent.parent
    monkeypatch.setattr(resources, "resource_path", lambda *parts: bundle.joinpath(*parts))
    library = load_library(None).library
    assert isinstance(library, StoredLibrary) and library._stored is None
    assert library.sections == KetPack.open(compiled).outline()


def test_without_a_record_the_guide_opens_from_its_file(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()
    target = _copy(compiled, tmp_path / "content")
    start_path(target).unlink()
    monkeypatch.setattr(resources, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    library = load_library(None).library
    assert isinstance(library, StoredLibrary) and library._stored is not None
    assert library.title == "What is ketamine?"


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_damaged_installed_guide_still_opens_the_window_and_says_why(
    compiled: Path, tmp_path: Path, damage: str
) -> None:
    # It was "unexpected PackError" on the terminal and no window: on a training PC
    # started from the desktop, nothing at all.
    content = tmp_path / "resources" / "content"
    content.mkdir(parents=True)
    for folder in (REPO / "resources").iterdir():  # styles and icons, as installed
        if folder.is_dir() and folder.name != "content":
            (tmp_path / "resources" / folder.name).symlink_to(folder)
    target = _copy(compiled, content)
    if damage == "missing":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[:5000])
    probe = f"""
import sys
from pathlib import Path
from ketreader import resources
resources.resource_path = lambda *parts: Path({str(tmp_path / "resources")!r}).joinpath(*parts)
import ketreader.app as app
def painted(qapp, window):
    print("TITLE", window.windowTitle())
    print("TEXT", " ".join(window.view.toPlainText().split()))
    qapp.quit()
app._report_paint_and_quit = painted
from ketreader.cli import main
sys.exit(main(["--quit-after-paint"]))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "QT_QPA_PLATFORM": "offscreen",
             "XDG_CONFIG_HOME": str(tmp_path / "config"),
             "KETREADER_LOG_DIR": str(tmp_path / "logs")},
    )  # fmt: skip
    shown = done.stdout
    assert "TEXT The guide cannot be shown" in shown
    assert str(target) in shown  # the file, not a folder an installed copy never has
    errors = [line for line in done.stderr.splitlines() if line.startswith("ketreader: error")]
    assert len(errors) == 1 and str(target) in errors[0] and "unexpected" not in errors[0]
