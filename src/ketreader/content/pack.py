"""Content room: reading a pack folder into memory, refusing anything unsafe or broken."""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from ketreader.bounded_read import read_at_most
from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.textsafe import isolate_bidi_controls

if TYPE_CHECKING:
    import hashlib
    import tomllib

MANIFEST = "pack.toml"
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024
MAX_DOCUMENTS = 5000
_OPTIONAL_STRING_KEYS = ("version", "language", "note")


class Document(NamedTuple):
    """One Markdown file of a pack, decoded."""

    path: str  # relative to the pack, POSIX separators, as written in pack.toml
    text: str


class Pack(NamedTuple):
    """A validated pack: its manifest values and its documents in reading order."""

    root: Path
    title: str
    documents: tuple[Document, ...]
    version: str | None = None
    language: str | None = None
    note: str | None = None  # the editors' note about this pack, for About this guide
    warnings: tuple[Diagnostic, ...] = ()
    fingerprint: str = ""

    def resolve_inside(self, relative: str) -> Path | None:
        """The real path of a pack file, or None if it would leave the pack."""
        return resolve_inside(self.root, relative)


def short_fingerprint(fingerprint: str) -> str:
    """The first 12 hex digits in groups of four: easy to compare across a room of PCs."""
    head = fingerprint[:12]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def resolve_inside(root: Path, relative: str) -> Path | None:
    """Resolve ``relative`` under ``root``; None for absolute, ``..`` or escaping symlinks."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        return None
    try:
        real_root = root.resolve()
        candidate = (real_root / pure).resolve()
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError before Python 3.13
        return None
    if candidate != real_root and real_root not in candidate.parents:
        return None
    return candidate


def load_pack(root: Path | str) -> Pack:
    """Load and validate the pack at ``root``; raise PackError naming the first culprit."""
    import hashlib  # here, not at module level: the window's start-up path imports this module

    root = Path(root)
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    manifest = _read_manifest(root, errors)
    if manifest is None:
        raise PackError(errors)
    title, doc_paths, extras, manifest_bytes = manifest
    digest = hashlib.sha256()
    # The manifest is content too: a new title or version must never reuse an old rendering.
    digest.update(MANIFEST.encode() + b"\x00" + manifest_bytes + b"\x00")
    documents: list[Document] = []
    for rel in doc_paths:
        document = _read_document(root, rel, errors, warnings, digest)
        if document is not None:
            documents.append(document)
    if errors:
        raise PackError(errors)
    return Pack(
        root=root,
        title=title,
        documents=tuple(documents),
        version=extras.get("version"),
        language=extras.get("language"),
        note=extras.get("note"),
        warnings=tuple(warnings),
        fingerprint=digest.hexdigest(),
    )


def read_manifest(root: Path) -> tuple[str, list[str]] | None:
    """The title and document list of the pack at ``root``, read and contained as on load;
    None when the manifest cannot be read or is invalid (load_pack then says why)."""
    manifest = _read_manifest(root, [])
    return None if manifest is None else (manifest[0], manifest[1])


def _read_manifest(
    root: Path, errors: list[Diagnostic]
) -> tuple[str, list[str], dict[str, str], bytes] | None:
    import tomllib

    manifest_path = root / MANIFEST
    shown = str(manifest_path)
    if not root.is_dir():
        errors.append(Diagnostic(str(root), "pack folder not found"))
        return None
    problem = _manifest_problem(root, manifest_path)
    if problem is not None:
        errors.append(Diagnostic(shown, problem))
        return None
    try:
        raw = _read_bounded(manifest_path, MAX_MANIFEST_BYTES, regular_only=True)
        data = tomllib.loads(raw.decode("utf-8"))
    except RecursionError:
        errors.append(Diagnostic(shown, "TOML nests too deeply to read"))
        return None
    except _TooLargeError:
        errors.append(Diagnostic(shown, f"larger than {MAX_MANIFEST_BYTES} bytes"))
        return None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(Diagnostic(shown, f"not UTF-8 (bad byte at offset {exc.start})", line=line))
        return None
    except tomllib.TOMLDecodeError as exc:
        errors.append(
            Diagnostic(shown, f"TOML syntax error: {exc}", line=_toml_line(exc, raw.decode()))
        )
        return None
    except OSError as exc:
        errors.append(Diagnostic(shown, f"cannot be read ({exc.strerror or exc})"))
        return None

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(Diagnostic(shown, "'title' is required and must be a non-empty string"))
    documents = data.get("documents")
    if (
        not isinstance(documents, list)
        or not documents
        or not all(isinstance(d, str) for d in documents)
    ):
        errors.append(
            Diagnostic(shown, "'documents' is required and must be a non-empty list of strings")
        )
        documents = []
    elif len(documents) > MAX_DOCUMENTS:
        errors.append(Diagnostic(shown, f"more than {MAX_DOCUMENTS} documents"))
    elif len({_normalised(d) for d in documents}) != len(documents):
        # "a.md", "./a.md" and "a.md/" are one file.
        errors.append(Diagnostic(shown, "'documents' lists the same file twice"))
    extras: dict[str, str] = {}
    for key in _OPTIONAL_STRING_KEYS:
        if key in data:
            if isinstance(data[key], str):
                extras[key] = data[key]
            else:
                errors.append(Diagnostic(shown, f"'{key}' must be a string"))
    if errors:
        return None
    assert isinstance(title, str)
    return isolate_bidi_controls(title.strip()), list(documents), extras, raw


def _normalised(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/")).removeprefix("/")


def _manifest_problem(root: Path, manifest: Path) -> str | None:
    """Why pack.toml cannot be read as the pack's manifest, without opening it; or None.

    It is contained like documents and images: a symlink out of the pack is never followed,
    so no file outside the pack is read or quoted. A FIFO or a folder is named for what it
    is (and a FIFO is never opened, which would block).
    """
    try:
        info = os.lstat(manifest)
    except FileNotFoundError:
        return "pack.toml is missing"
    except OSError as exc:
        return f"pack.toml cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        if resolve_inside(root, MANIFEST) is None:
            return "pack.toml leaves the pack (a symlink to a file outside it, or a loop)"
        try:
            info = os.stat(manifest)
        except OSError:
            return "pack.toml is a broken symlink"
    if stat.S_ISDIR(info.st_mode):
        return "pack.toml is a folder, not a file"
    if stat.S_ISFIFO(info.st_mode):
        return "pack.toml is a FIFO (named pipe), not a file"
    if not stat.S_ISREG(info.st_mode):
        return "pack.toml is not a regular file"
    return None


def _toml_line(exc: tomllib.TOMLDecodeError, text: str) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    if "at end of document" in str(exc):
        return max(1, len(text.splitlines()))
    # Python 3.11/3.12 put the position only in the message: "... (at line 3, column 7)".
    text = str(exc)
    marker = "at line "
    if marker in text:
        digits = text.split(marker, 1)[1].split(",", 1)[0].strip(" )")
        if digits.isdigit():
            return int(digits)
    return None


class _TooLargeError(Exception):
    pass


def _read_bounded(path: Path, limit: int, *, regular_only: bool = False) -> bytes:
    data = read_at_most(path, limit + 1, regular_only=regular_only)
    if len(data) > limit:
        raise _TooLargeError
    return data


def _read_document(
    root: Path,
    rel: str,
    errors: list[Diagnostic],
    warnings: list[Diagnostic],
    digest: hashlib._Hash,
) -> Document | None:
    shown = str(root / rel)
    real = resolve_inside(root, rel)
    if real is None:
        errors.append(
            Diagnostic(shown, "document path leaves the pack (absolute, '..', symlink or loop)")
        )
        return None
    try:
        info = os.stat(real)
    except OSError:
        errors.append(Diagnostic(shown, "document not found"))
        return None
    if not stat.S_ISREG(info.st_mode):
        errors.append(Diagnostic(shown, "document is not a regular file"))
        return None
    if info.st_size > MAX_DOCUMENT_BYTES:
        errors.append(
            Diagnostic(
                shown, f"document is {info.st_size} bytes; the limit is {MAX_DOCUMENT_BYTES}"
            )
        )
        return None
    try:
        raw = _read_bounded(real, MAX_DOCUMENT_BYTES)
    except (OSError, _TooLargeError) as exc:
        errors.append(Diagnostic(shown, f"document cannot be read ({exc})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(
            Diagnostic(
                shown,
                f"not UTF-8: bad byte 0x{raw[exc.start]:02x} at column {exc.start - line_start + 1}"
                f" (file offset {exc.start})",
                line=line,
            )
        )
        return None
    digest.update(rel.encode("utf-8") + b"\x00" + raw + b"\x00")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        warnings.append(Diagnostic(shown, "NUL bytes are shown as U+FFFD", "warning", line))
        text = text.replace("\x00", "\ufffd")
    if not text.strip():
        warnings.append(Diagnostic(shown, "document is empty", "warning"))
    return Document(path=rel, text=text)
