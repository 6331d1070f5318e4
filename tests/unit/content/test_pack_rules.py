"""Content room tests: the exact wording and limits of every refusal, and what a pack holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import (
    MANIFEST,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_MANIFEST_BYTES,
    Pack,
    load_pack,
    read_manifest,
    resolve_inside,
    short_fingerprint,
)
from tests.conftest import write_pack

TITLE = "'title' is required and must be a non-empty string"
DOCS = "'documents' is required and must be a non-empty list of strings"
TWICE = "'documents' lists the same file twice"


def errors_of(root: Path) -> list[Diagnostic]:
    with pytest.raises(PackError) as info:
        load_pack(root)
    return info.value.diagnostics


def manifest_pack(tmp_path: Path, manifest: str | bytes) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "a.md").write_text("# A\n", "utf-8")
    data = manifest.encode("utf-8") if isinstance(manifest, str) else manifest
    (root / MANIFEST).write_bytes(data)
    return root


def test_the_limits_are_the_documented_figures() -> None:
    assert MANIFEST == "pack.toml"
    assert (MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_DOCUMENTS) == (8 << 20, 256 << 10, 5000)


# -- diagnostics ------------------------------------------------------------------------------


def test_a_diagnostic_names_its_file_line_and_severity() -> None:
    assert str(Diagnostic("p/a.md", "bad")) == "p/a.md: error: bad"
    assert str(Diagnostic("p/a.md", "odd", "warning", 3)) == "p/a.md:3: warning: odd"
    assert Diagnostic("p/a.md", "x", line=0).where == "p/a.md:0"


def test_a_pack_error_leads_with_its_first_diagnostic() -> None:
    first, second = Diagnostic("a", "one", line=2), Diagnostic("b", "two")
    error = PackError([first, second])
    assert str(error) == "a:2: one"
    assert error.diagnostics == [first, second]
    assert str(PackError([])) == "pack cannot be opened"


# -- paths ------------------------------------------------------------------------------------


def test_a_short_fingerprint_is_three_groups_of_four() -> None:
    assert short_fingerprint("0123456789abcdef0123") == "0123 4567 89ab"
    assert short_fingerprint("01234") == "0123 4"
    assert short_fingerprint("") == ""


@pytest.mark.parametrize(
    "relative", ["", "a\\b.md", "a\x00.md", "/etc/passwd", "../x.md", "a/../../x.md", "c:x.md"]
)
def test_paths_that_could_leave_the_pack_resolve_to_none(tmp_path: Path, relative: str) -> None:
    assert resolve_inside(tmp_path, relative) is None


def test_paths_inside_the_pack_resolve_to_their_real_place(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    real = tmp_path.resolve()
    assert resolve_inside(tmp_path, "sub/a.md") == real / "sub" / "a.md"
    assert resolve_inside(tmp_path, ".") == real
    assert resolve_inside(tmp_path, "sub/x:y.md") == real / "sub" / "x:y.md"
    (tmp_path / "inner").symlink_to(tmp_path / "sub")
    assert resolve_inside(tmp_path, "inner/a.md") == real / "sub" / "a.md"
    pack = Pack(tmp_path, "t", ())
    assert pack.resolve_inside("sub") == real / "sub"
    assert pack.resolve_inside("../x") is None


# -- the manifest -----------------------------------------------------------------------------


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nowhere") == [
        Diagnostic(str(tmp_path / "nowhere"), "pack folder not found")
    ]
    assert read_manifest(tmp_path / "nowhere") is None


def test_a_pack_holds_its_manifest_values(tmp_path: Path) -> None:
    root = manifest_pack(
        tmp_path,
        'title = "  Guide  "\ndocuments = ["a.md"]\nversion = "2.1"\nlanguage = "de"\n'
        'note = "From the editors"\nextra = 3\n',
    )
    pack = load_pack(root)
    assert (pack.title, pack.version, pack.language, pack.note) == (
        "Guide",
        "2.1",
        "de",
        "From the editors",
    )
    assert pack.root == root and pack.warnings == ()
    assert read_manifest(root) == ("Guide", ["a.md"])


def test_optional_values_default_to_none(tmp_path: Path) -> None:
    pack = load_pack(manifest_pack(tmp_path, 'title = "G"\ndocuments = ["a.md"]\n'))
    assert (pack.version, pack.language, pack.note) == (None, None, None)


def test_a_title_with_direction_controls_is_isolated(tmp_path: Path) -> None:
    root = manifest_pack(tmp_path, 'title = "Guide \u202efdp é"\ndocuments = ["a.md"]\n')
    assert load_pack(root).title == "\u2068Guide fdp é\u2069"


@pytest.mark.parametrize(
    ("manifest", "messages"),
    [
        ('title = "  "\ndocuments = ["a.md"]\n', [TITLE]),
        ('title = 3\ndocuments = ["a.md"]\n', [TITLE]),
        ('title = "x"\ndocuments = []\n', [DOCS]),
        ('title = "x"\ndocuments = ["a.md", 2]\n', [DOCS]),
        ('title = "x"\n', [DOCS]),
        ('title = "x"\ndocuments = ["a.md", "./a.md"]\n', [TWICE]),
        ('title = "x"\ndocuments = ["a.md", "a.md/"]\n', [TWICE]),
        ('title = "x"\ndocuments = ["a.md", "/a.md"]\n', [TWICE]),
        ('title = "x"\ndocuments = ["s/a.md", "s\\\\a.md"]\n', [TWICE]),
        ('title = "x"\ndocuments = ["a.md"]\nlanguage = 1\nnote = []\n', [
            "'language' must be a string", "'note' must be a string"
        ]),
        ("documents = 1\nversion = 2\n", [
            TITLE,
            DOCS,
            "'version' must be a string",
        ]),
    ],
)  # fmt: skip
def test_every_manifest_error_is_reported_at_once(
    tmp_path: Path, manifest: str, messages: list[str]
) -> None:
    root = manifest_pack(tmp_path, manifest)
    shown = str(root / MANIFEST)
    assert errors_of(root) == [Diagnostic(shown, m) for m in messages]
    assert read_manifest(root) is None


def test_a_manifest_may_list_the_limit_of_documents(tmp_path: Path) -> None:
    names = ", ".join(f'"d{n}.md"' for n in range(MAX_DOCUMENTS))
    root = manifest_pack(tmp_path, f'title = "x"\ndocuments = [{names}]\n')
    assert read_manifest(root) == ("x", [f"d{n}.md" for n in range(MAX_DOCUMENTS)])
    names += ', "one-more.md"'
    (root / MANIFEST).write_text(f'title = "x"\ndocuments = [{names}]\n', "utf-8")
    assert errors_of(root) == [Diagnostic(str(root / MANIFEST), "more than 5000 documents")]


def test_a_manifest_at_the_size_limit_is_read(tmp_path: Path) -> None:
    head = 'title = "x"\ndocuments = ["a.md"]\n#'
    root = manifest_pack(tmp_path, head + "x" * (MAX_MANIFEST_BYTES - len(head) - 1) + "\n")
    assert read_manifest(root) == ("x", ["a.md"])
    (root / MANIFEST).write_text(head + "x" * (MAX_MANIFEST_BYTES - len(head)) + "\n", "utf-8")
    assert errors_of(root) == [
        Diagnostic(str(root / MANIFEST), f"larger than {MAX_MANIFEST_BYTES} bytes")
    ]


def test_a_manifest_that_is_not_utf8_names_the_line_and_offset(tmp_path: Path) -> None:
    root = manifest_pack(tmp_path, b'title = "x"\n\ndocuments = ["\xff"]\n')
    assert errors_of(root) == [
        Diagnostic(str(root / MANIFEST), "not UTF-8 (bad byte at offset 27)", line=3)
    ]


@pytest.mark.parametrize(
    ("manifest", "line"),
    [
        ('title = "x"\ndocuments = [\n', 2),
        ('title = "x"\n\n\nti tle = 1\n', 4),
        ("a = 1\na = 2\n", 2),
        ("ti tle = 1\n\nx = 2\n", 1),
        ("documents = [", 1),
    ],
)
def test_a_toml_syntax_error_names_its_line(tmp_path: Path, manifest: str, line: int) -> None:
    root = manifest_pack(tmp_path, manifest)
    (error,) = errors_of(root)
    assert error.message.startswith("TOML syntax error: ")
    assert (error.path, error.line) == (str(root / MANIFEST), line)


def test_a_manifest_symlink_inside_the_pack_is_followed_and_a_broken_one_named(
    tmp_path: Path,
) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    os.replace(root / MANIFEST, root / "real.toml")
    (root / MANIFEST).symlink_to(root / "real.toml")
    assert read_manifest(root) == ("Test pack", ["a.md"])
    (root / "real.toml").unlink()
    (root / "gone.toml").write_text("", "utf-8")
    (root / MANIFEST).unlink()
    (root / MANIFEST).symlink_to("gone-for-good.toml")
    assert errors_of(root) == [Diagnostic(str(root / MANIFEST), "pack.toml is a broken symlink")]


def test_a_manifest_that_is_a_socket_is_not_a_regular_file(tmp_path: Path) -> None:
    import socket

    root = tmp_path / "p"
    root.mkdir()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / MANIFEST))
        assert errors_of(root) == [
            Diagnostic(str(root / MANIFEST), "pack.toml is not a regular file")
        ]


# -- documents --------------------------------------------------------------------------------


def test_a_document_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / "dir.md").mkdir()
    (root / MANIFEST).write_text('title = "x"\ndocuments = ["dir.md", "a.md"]\n', "utf-8")
    assert errors_of(root) == [Diagnostic(str(root / "dir.md"), "document is not a regular file")]


def test_every_bad_document_is_named_in_order(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    (root / MANIFEST).write_text(
        'title = "x"\ndocuments = ["gone.md", "a.md", "../out.md"]\n', "utf-8"
    )
    assert errors_of(root) == [
        Diagnostic(str(root / "gone.md"), "document not found"),
        Diagnostic(
            str(root / "../out.md"),
            "document path leaves the pack (absolute, '..', symlink or loop)",
        ),
    ]


def test_a_document_at_the_size_limit_loads_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": ""})
    with (root / "a.md").open("wb") as file:
        file.write(b"# A\n")
        file.truncate(MAX_DOCUMENT_BYTES)  # NUL bytes: cheap to write, read as text
    assert len(load_pack(root).documents[0].text) == MAX_DOCUMENT_BYTES
    with (root / "a.md").open("r+b") as file:
        file.truncate(MAX_DOCUMENT_BYTES + 1)
    assert errors_of(root) == [
        Diagnostic(
            str(root / "a.md"),
            f"document is {MAX_DOCUMENT_BYTES + 1} bytes; the limit is {MAX_DOCUMENT_BYTES}",
        )
    ]


def test_a_document_that_is_not_utf8_names_its_byte_column_and_offset(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": ""})
    (root / "a.md").write_bytes(b"\xc3")
    assert errors_of(root) == [
        Diagnostic(
            str(root / "a.md"),
            "not UTF-8: bad byte 0xc3 at column 1 (file offset 0)",
            line=1,
        )
    ]
    (root / "a.md").write_bytes(b"ab\ncd\nef\xfegh")
    (error,) = errors_of(root)
    assert (error.message, error.line) == (
        "not UTF-8: bad byte 0xfe at column 3 (file offset 8)",
        3,
    )


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "\ufeff# A\n\ufeff"})
    assert load_pack(root).documents[0].text == "# A\n\ufeff"


def test_nul_bytes_are_replaced_and_the_first_one_located(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": "\x00\nb\x00\n"})
    pack = load_pack(root)
    assert pack.documents[0].text == "\ufffd\nb\ufffd\n"
    assert pack.warnings == (
        Diagnostic(str(root / "a.md"), "NUL bytes are shown as U+FFFD", "warning", 1),
    )


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_an_empty_document_loads_with_a_warning(tmp_path: Path, text: str) -> None:
    root = write_pack(tmp_path / "p", {"a.md": text, "b.md": "x"})
    pack = load_pack(root)
    assert [d.text for d in pack.documents] == [text, "x"]
    assert pack.warnings == (Diagnostic(str(root / "a.md"), "document is empty", "warning"),)


def test_the_fingerprint_is_stable_and_covers_names_and_order(tmp_path: Path) -> None:
    one = write_pack(tmp_path / "one", {"a.md": "x", "b.md": "y"})
    same = write_pack(tmp_path / "same", {"a.md": "x", "b.md": "y"})
    assert load_pack(one).fingerprint == load_pack(same).fingerprint
    assert len(load_pack(one).fingerprint) == 64
    renamed = write_pack(tmp_path / "renamed", {"a.md": "x", "c.md": "y"})
    moved = write_pack(tmp_path / "moved", {"a.md": "xy", "b.md": ""})
    reordered = write_pack(tmp_path / "reordered", {"b.md": "y", "a.md": "x"})
    prints = {load_pack(p).fingerprint for p in (one, renamed, moved, reordered)}
    assert len(prints) == 4
    import hashlib

    manifest = (one / MANIFEST).read_bytes()
    expected = hashlib.sha256(
        b"pack.toml\x00" + manifest + b"\x00a.md\x00x\x00b.md\x00y\x00"
    ).hexdigest()
    assert load_pack(one).fingerprint == expected


def test_a_manifest_that_fails_to_read_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from ketreader.content import pack as pack_module

    def fail(path: Path, limit: int, *, regular_only: bool = False) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    monkeypatch.setattr(pack_module, "read_at_most", fail)
    assert errors_of(root) == [
        Diagnostic(str(root / MANIFEST), "cannot be read (Input/output error)")
    ]


def test_a_document_that_fails_to_read_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from ketreader.bounded_read import read_at_most as real
    from ketreader.content import pack as pack_module

    seen: list[tuple[int, bool]] = []

    def fail_documents(path: Path, limit: int, *, regular_only: bool = False) -> bytes:
        seen.append((limit, regular_only))
        if path.name == MANIFEST:
            return real(path, limit, regular_only=regular_only)
        raise OSError(errno.EIO, "Input/output error")

    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    monkeypatch.setattr(pack_module, "read_at_most", fail_documents)
    (error,) = errors_of(root)
    assert error.path == str(root / "a.md")
    assert error.message == "document cannot be read ([Errno 5] Input/output error)"
    # One byte past each limit is asked for, so a file that grew is caught.
    assert seen == [(MAX_MANIFEST_BYTES + 1, True), (MAX_DOCUMENT_BYTES + 1, False)]


def test_a_document_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.bounded_read import read_at_most as real
    from ketreader.content import pack as pack_module

    def grown(path: Path, limit: int, *, regular_only: bool = False) -> bytes:
        if path.name == MANIFEST:
            return real(path, limit, regular_only=regular_only)
        return b"x" * limit

    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    monkeypatch.setattr(pack_module, "read_at_most", grown)
    (error,) = errors_of(root)
    assert error.message == "document cannot be read ()"


def test_a_bad_byte_after_a_leading_newline_is_in_column_one(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"a.md": ""})
    (root / "a.md").write_bytes(b"\n\xff")
    (error,) = errors_of(root)
    assert (error.message, error.line) == (
        "not UTF-8: bad byte 0xff at column 1 (file offset 1)",
        2,
    )


def test_a_manifest_that_cannot_be_looked_at_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def refuse(path: object) -> os.stat_result:
        raise PermissionError(errno.EACCES, "Permission denied")

    root = write_pack(tmp_path / "p", {"a.md": "# A\n"})
    monkeypatch.setattr("ketreader.content.pack.os.lstat", refuse)
    assert errors_of(root) == [
        Diagnostic(str(root / MANIFEST), "pack.toml cannot be read (Permission denied)")
    ]


def test_a_toml_error_that_carries_its_line_is_believed() -> None:
    import tomllib

    from ketreader.content.pack import _toml_line

    error = tomllib.TOMLDecodeError("Invalid value (at line 2, column 1)")
    error.lineno = 7  # type: ignore[attr-defined]  # Python 3.14 adds lineno
    assert _toml_line(error, "a\nb\n") == 7
    error.lineno = "7"  # type: ignore[attr-defined]
    assert _toml_line(error, "a\nb\n") == 2
    assert _toml_line(tomllib.TOMLDecodeError("Invalid value (at line x, column 1)"), "") is None
    assert _toml_line(tomllib.TOMLDecodeError("Invalid value"), "") is None
    assert _toml_line(tomllib.TOMLDecodeError("Unclosed (at end of document)"), "") == 1


def test_a_manifest_that_is_a_fifo_is_named_exactly(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    os.mkfifo(root / MANIFEST)
    assert errors_of(root) == [
        Diagnostic(str(root / MANIFEST), "pack.toml is a FIFO (named pipe), not a file")
    ]
