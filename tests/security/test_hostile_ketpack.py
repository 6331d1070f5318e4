"""A compiled pack crafted by its author: every hash and the change counter made to match.

The digest and the row hashes are checksums, not signatures (docs/content-packs.md), so a
hostile author can write any rows and seal them again. Such a file must still be refused
in one line, or bounded, never crash or freeze the reader.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ketreader.cli import main
from ketreader.content.diagnostics import PackError
from ketreader.ketpack import format as fmt
from ketreader.ketpack.build import build_pack
from ketreader.pipeline import open_library
from tests.conftest import write_pack


def _reseal(path: Path) -> None:
    """Recompute the digest and the change counter after an edit, as an attacker can."""
    db = sqlite3.connect(path, isolation_level=None)
    meta = {k: v for k, v in db.execute("SELECT key, value FROM meta")}
    (outline_hash,) = db.execute("SELECT hash FROM outline WHERE id = 1").fetchone()
    documents = db.execute("SELECT idx, path, hash FROM documents ORDER BY idx").fetchall()
    images = db.execute("SELECT path, hash FROM images ORDER BY path").fetchall()
    text_meta = {k: v if isinstance(v, str) else "" for k, v in meta.items()}
    seal = fmt.digest(text_meta, outline_hash, documents, images)
    db.execute("UPDATE meta SET value = ? WHERE key = 'digest'", (seal,))
    counter = int.from_bytes(path.read_bytes()[24:28], "big")
    db.execute("UPDATE meta SET value = ? WHERE key = 'counter'", (str(counter + 1),))
    db.close()


def _packed(value: object) -> bytes:
    return zlib.compress(json.dumps(value).encode())


def _edit_row(path: Path, table: str, where: str, change: Callable[[Any], Any]) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    (data,) = db.execute(f"SELECT data FROM {table} WHERE {where}").fetchone()
    new = _packed(change(json.loads(zlib.decompress(data))))
    db.execute(f"UPDATE {table} SET data = ?, hash = ? WHERE {where}", (new, fmt.row_hash(new)))
    db.close()


@pytest.fixture
def compiled(tmp_path: Path) -> Path:
    write_pack(
        tmp_path / "src",
        {"a.md": "# Alpha\n\n## Dosing\n\nSome text.\n", "b.md": "# Beta\n\nMore text.\n"},
        title="Sample",
    )
    target = tmp_path / "sample.ketpack"
    build_pack(tmp_path / "src", target)
    return target


def _refused(path: Path, read: Callable[[Any], object] = lambda library: None) -> str:
    with pytest.raises(PackError) as caught:
        read(open_library(path))
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def _sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        db.execute(statement)
    db.close()


@pytest.mark.parametrize("value", ["x'ff00'", "NULL"])
def test_a_manifest_value_that_is_not_text_is_refused(compiled: Path, value: str) -> None:
    _sql(compiled, f"UPDATE meta SET value = {value} WHERE key = 'title'")
    _reseal(compiled)
    assert "damaged" in _refused(compiled)


@pytest.mark.parametrize("table", ["fts", "sections", "words"])
def test_a_pack_without_its_search_tables_is_refused_on_open(compiled: Path, table: str) -> None:
    _sql(compiled, f"DROP TABLE {table}")
    _reseal(compiled)
    assert "tables are missing" in _refused(compiled)


@pytest.mark.parametrize(
    "forge",
    [
        lambda rows: [[*rows[0][:4], 999, rows[0][5]], *rows[1:]],  # no such document
        lambda rows: [[rows[0][0], None, *rows[0][2:]], *rows[1:]],  # a title not text
        lambda rows: [[*rows[0][:2], "x", *rows[0][3:]], *rows[1:]],  # a level not a number
        lambda rows: [[*rows[0][:3], rows[0][0], *rows[0][4:]], *rows[1:]],  # its own parent
        lambda rows: [[*rows[0][:5], [0, 1.5]], *rows[1:]],  # an offset not a whole number
        lambda rows: {"a": 1},
    ],
)
def test_a_forged_outline_is_refused(compiled: Path, forge: Callable[[Any], Any]) -> None:
    _edit_row(compiled, "outline", "id = 1", forge)
    _reseal(compiled)
    assert "outline" in _refused(compiled, lambda library: library.stored.outline())


def _with_html(html: str) -> Callable[[Any], Any]:
    return lambda row: [row[0], row[1], html, *row[3:]]


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><td>" * 30 + "x" + "</td></tr></table>" * 30,
        "<div>" * 5000 + "x" + "</div>" * 5000,
        "<p>" + "a" * 1_000_000 + "</p>",
        "<p>" + "&amp;" * 100_000 + "</p>",
    ],
    ids=["nested tables", "nested divs", "a long word", "a long entity run"],
)
def test_a_document_that_would_freeze_the_view_is_refused_when_read(
    compiled: Path, html: str
) -> None:
    # Qt takes minutes to lay these out (issue 11's freezes); a build never writes them,
    # since render/bounds.py and render/scan.py bound them, so only a forged file can.
    _edit_row(compiled, "documents", "idx = 0", _with_html('<h1 id="alpha">Alpha</h1>' + html))
    _reseal(compiled)
    assert "document 1" in _refused(compiled, lambda library: library.stored.document(0))
    assert "damaged" in open_library(compiled).document(0).html  # what the window shows


def test_a_built_document_is_read(compiled: Path) -> None:
    library = open_library(compiled)
    assert "Some text." in library.document(0).html


def test_export_of_a_forged_pack_is_one_line(
    compiled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_row(compiled, "documents", "idx = 1", lambda row: "x")
    _reseal(compiled)
    code = main(["export", "--content", str(compiled), "-o", str(tmp_path / "out.html")])
    err = capsys.readouterr().err
    assert code == 1
    assert "unexpected" not in err and str(compiled) in err and err.count("\n") == 1


def test_check_refuses_a_forged_pack(compiled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(compiled, "DROP TABLE words")
    _reseal(compiled)
    assert main(["check", str(compiled)]) == 1
    assert "error: not a compiled pack" in capsys.readouterr().out


def test_a_forged_outline_shows_as_damaged_in_the_window(
    compiled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The window reads the outline for its first paint: it ended with "unexpected
    # PackError" (IndexError before the outline was checked); now one page says why.
    _edit_row(compiled, "outline", "id = 1", lambda rows: [[*rows[0][:4], 9, rows[0][5]]])
    _reseal(compiled)
    library = open_library(compiled)
    (only,) = library.sections
    for index in (only.document, 1):
        shown = library.document(index)
        assert "damaged" in shown.html and str(compiled) in shown.html
    assert main(["check", str(compiled)]) == 1  # while check refuses it
    assert "outline" in capsys.readouterr().out


@pytest.mark.parametrize("index", [0, 1])
def test_a_damaged_document_shows_as_damaged_in_the_window(
    compiled: Path, index: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # The window reads a document when a section of it is opened (the first at start-up):
    # it showed "unexpected PackError" and ended; now a page says the part is damaged.
    _edit_row(compiled, "documents", f"idx = {index}", lambda row: "x")
    _reseal(compiled)
    library = open_library(compiled)
    shown = library.document(index)
    assert "damaged" in shown.html and shown.marks == ()
    assert main(["check", str(compiled)]) == 1  # while check and export still refuse it
    assert f"document {index + 1}" in capsys.readouterr().out


def test_the_bounds_check_itself_is_linear() -> None:
    # Words of 7,999 characters, one short of the bound: a backtracking search for a long
    # run tried every start inside every word (214 s for 8 MB).
    import time

    from ketreader.ketpack.rows import html_beyond_bounds

    html = "<p>" + ("a" * 7999 + " ") * 125 + "</p>"
    start = time.process_time()
    assert html_beyond_bounds(html) is None
    assert html_beyond_bounds(html + "b" * 8001) is not None
    assert time.process_time() - start < 1.0


def _red_pixels(win: Any) -> int:
    from PySide6.QtGui import QColor

    shown = win.view.viewport().grab().toImage()
    red = QColor("#ff0000").rgb()
    return sum(
        shown.pixel(x, y) == red for x in range(shown.width()) for y in range(0, shown.height(), 2)
    )


def _secret_image(tmp_path: Path) -> Path:
    from PySide6.QtGui import QColor, QImage

    secret = tmp_path / "secret.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff0000"))
    assert image.save(str(secret))
    return secret


def test_a_forged_document_shows_no_file_from_outside_the_pack(
    compiled: Path, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The view's loadResource refused these, but QTextDocument then read local files
    # itself: a sealed pack showed any image on the disk (a bare path, a file: URL, a path
    # climbing out of the working directory), and so could tell whether a file exists.
    from tests.unit.ui.conftest import make_window

    secret = _secret_image(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    sources = [str(secret), secret.as_uri(), "../secret.png"]
    images = "".join(f'<img src="{source}">' for source in sources)
    html = f'<h1 id="alpha">Alpha</h1><p>{images}</p><h2 id="dosing">Dosing</h2><p>Some text.</p>'
    _edit_row(compiled, "documents", "idx = 0", _with_html(html))
    _reseal(compiled)
    win = make_window(qtbot, pack=compiled)
    assert "Alpha" in win.view.toPlainText()
    assert _red_pixels(win) == 0


@pytest.mark.parametrize(
    "styles",
    [
        "<style>p {{ background-image: url({uri}); }}</style>",
        '<link rel="stylesheet" href="{sheet}">',
        '<p style="background-image: url({uri})">x</p>',
        '<table background="{uri}"><tr><td>x</td></tr></table>',
    ],
    ids=["style-tag", "linked-sheet", "style-attribute", "background-attribute"],
)
def test_a_forged_document_with_a_stylesheet_is_refused(
    compiled: Path, tmp_path: Path, qtbot: Any, styles: str
) -> None:
    # Qt loads a stylesheet's images and a linked sheet from the disk without asking the
    # view; no build writes any of these, so a row that holds one is forged.
    from tests.unit.ui.conftest import make_window

    secret = _secret_image(tmp_path)
    sheet = tmp_path / "sheet.css"
    sheet.write_text(f"h2 {{ background-image: url({secret.as_uri()}); }}", encoding="utf-8")
    head = styles.format(uri=secret.as_uri(), sheet=sheet.as_uri())
    html = (
        f'<html><head>{head}</head><body><h1 id="alpha">Alpha</h1><p>Text.</p>'
        '<h2 id="dosing">Dosing</h2><p>Some text.</p></body></html>'
    )
    _edit_row(compiled, "documents", "idx = 0", _with_html(html))
    _reseal(compiled)
    assert "markup no build writes" in _refused(
        compiled, lambda library: library.stored.document(0)
    )
    win = make_window(qtbot, pack=compiled)
    assert "damaged" in win.view.toPlainText()
    assert _red_pixels(win) == 0


def test_a_row_that_inflates_without_bound_is_refused(compiled: Path) -> None:
    # A row is zlib-compressed JSON, inflated whole before anything is checked: 1 MB of
    # padding in the file became 1 GB in memory (about 1,000 to 1), so a 15 MB pack took
    # the reader (and `ketreader sections`) past 15 GB. A build never writes such a row.
    db = sqlite3.connect(compiled, isolation_level=None)
    (data,) = db.execute("SELECT data FROM outline WHERE id = 1").fetchone()
    squeeze = zlib.compressobj(9)
    padded = squeeze.compress(b" " * (256 << 20)) + squeeze.compress(zlib.decompress(data))
    padded += squeeze.flush()
    db.execute("UPDATE outline SET data = ?, hash = ? WHERE id = 1", (padded, fmt.row_hash(padded)))
    db.close()
    _reseal(compiled)
    assert "outline" in _refused(compiled, lambda library: library.stored.outline())
