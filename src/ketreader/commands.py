"""CLI room: the subcommands (sections, search, export, check, pack, policy); never imports Qt.

Everything a pack says is escaped before it reaches a terminal: a crafted title or file name
must not clear the screen or forge a line of the report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ketreader.cli import EXIT_USAGE, CliError, resolve_effective
from ketreader.library import Library
from ketreader.policy import Effective
from ketreader.textsafe import for_terminal, one_line

if TYPE_CHECKING:
    from ketreader.content.diagnostics import Diagnostic


def run_subcommand(args: argparse.Namespace, out: TextIO) -> int:
    handler = {
        "sections": _sections,
        "search": _search,
        "export": _export,
        "check": _check,
        "policy": _policy,
        "pack": _pack,
    }[args.command]
    return handler(args, out)


def content_path(args: argparse.Namespace, effective: Effective) -> Path | None:
    """The pack a subcommand works on: the one this computer's reader shows, or --content.

    Subcommands follow the policy like the window does, so `ketreader check` on a
    training-room PC checks (and fingerprints) the pack its trainees see.
    """
    if getattr(args, "content", None) and not effective.flag("allow_open_pack"):
        raise CliError("--content: opening other packs is disabled by the policy", EXIT_USAGE)
    from ketreader.library_loader import requested_pack

    return requested_pack(str(effective["content"]))


def _open(args: argparse.Namespace) -> Library:
    from ketreader.content.diagnostics import PackError
    from ketreader.library_loader import load_library

    try:
        return load_library(content_path(args, resolve_effective(args)), fallback=False).library
    except PackError as exc:
        raise CliError(str(exc)) from None


def _dump(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _sections(args: argparse.Namespace, out: TextIO) -> int:
    sections = _open(args).sections
    if args.json:
        _dump([s.outline_entry() for s in sections], out)
    else:
        for section in sections:
            indent = "  " * (section.level - 1)
            out.write(f"{indent}{one_line(section.title)}  [{one_line(section.id)}]\n")
    return 0


def _search(args: argparse.Namespace, out: TextIO) -> int:
    from ketreader.search.index import SearchUnavailableError

    library = _open(args)
    try:
        result = library.index.search(args.query, limit=args.limit)
    except SearchUnavailableError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        _dump(result.as_json(), out)
        return 0
    from ketreader.search.results import SOME_WORDS

    for notice in result.notices():  # "Showing results for …", "No results." and the like
        out.write(f"{one_line(notice)}\n")
    for number, hit in enumerate(result.hits):
        if number == result.complete > 0:
            out.write(f"{SOME_WORDS}\n")
        parent = f" — {hit.parent_title}" if hit.parent_title else ""
        out.write(f"{one_line(hit.title + parent)}  [{one_line(hit.id)}]\n")
        if hit.answer:
            out.write(f"    > {one_line(hit.answer)}\n")
        out.write(f"    {one_line(_plain(hit.snippet))}\n")
    return 0


def _plain(snippet: str) -> str:
    import html

    text = snippet.replace("<b>", "*").replace("</b>", "*")
    return " ".join(html.unescape(text).split())


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ketreader.content.diagnostics import PackError
    from ketreader.render.export import export_html, export_text

    library = _open(args)
    try:
        pack = library.rendered  # a compiled pack's documents are verified as they are read
    except PackError as exc:
        raise CliError(str(exc)) from None
    document = export_text(pack) if args.format == "text" else export_html(pack, library.resource)
    if not args.output:
        out.write(for_terminal(document))
        return 0
    target = Path(args.output)
    _refuse_inside(target, library.source)
    from ketreader.atomic_write import write_atomically

    try:
        write_atomically(target, document.encode("utf-8"))
    except OSError as exc:
        raise CliError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    return 0


def _refuse_inside(target: Path, source: Path) -> None:
    """An export never lands in the pack it was made from: it could replace its sources."""
    try:
        real_target = target.resolve()
        real_source = source.resolve()
    except (OSError, RuntimeError):
        return
    if real_target == real_source or real_source in real_target.parents:
        raise CliError(f"{target}: refusing to write inside the pack {source}", EXIT_USAGE)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ketreader.content.pack import short_fingerprint
    from ketreader.ketpack import is_ketpack
    from ketreader.resources import default_pack_dir

    if args.directory:
        folder = Path(args.directory)
    else:
        folder = content_path(args, resolve_effective(args)) or default_pack_dir()
    diagnostics, fingerprint = (_check_ketpack if is_ketpack(folder) else _check_folder)(folder)
    for diagnostic in diagnostics:
        out.write(f"{one_line(str(diagnostic))}\n")
    errors = sum(1 for d in diagnostics if d.severity == "error")
    summary = f"{one_line(str(folder))}: {errors} error(s), {len(diagnostics) - errors} warning(s)"
    if not errors and fingerprint:
        # Trainers compare this across a room: the same short form as Help > About.
        summary += f", fingerprint {short_fingerprint(fingerprint)}"
    out.write(summary + "\n")
    return 1 if errors else 0


def _check_folder(folder: Path) -> tuple[list[Diagnostic], str | None]:
    from ketreader.content.diagnostics import PackError
    from ketreader.lint import check_pack
    from ketreader.pipeline import open_library

    diagnostics = check_pack(folder)
    if any(d.severity == "error" for d in diagnostics):
        return diagnostics, None
    try:
        # The whole pack's fingerprint (images and synonyms too), as the window shows it.
        return diagnostics, open_library(folder).fingerprint
    except PackError:
        return diagnostics, None


def _check_ketpack(path: Path) -> tuple[list[Diagnostic], str | None]:
    """A compiled pack is checked when it is built; here: it opens, and every row verifies."""
    from ketreader.content.diagnostics import PackError
    from ketreader.library import StoredLibrary
    from ketreader.pipeline import open_ketpack

    try:
        library = open_ketpack(path)
        assert isinstance(library, StoredLibrary)
        library.stored.outline()  # the rows themselves: the window would show a page
        for index in range(library.document_count):
            library.stored.document(index)  # the rows themselves: the window would show a page
        damaged = library.stored.quick_check()
    except PackError as exc:
        return list(exc.diagnostics), None
    if damaged:
        from ketreader.content.diagnostics import Diagnostic

        return [Diagnostic(str(path), f"damaged: {damaged}")], None
    return [], library.fingerprint


def _pack(args: argparse.Namespace, out: TextIO) -> int:
    import sqlite3

    from ketreader.content.diagnostics import PackError
    from ketreader.ketpack import SUFFIX
    from ketreader.ketpack.build import build_pack
    from ketreader.search.index import SearchUnavailableError

    target = Path(args.output)
    if not target.name.lower().endswith(SUFFIX):
        raise CliError(f"{args.output}: the output must end in {SUFFIX}", EXIT_USAGE)
    try:
        built = build_pack(Path(args.directory), target)
    except (PackError, SearchUnavailableError) as exc:
        raise CliError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(f"{args.output}: cannot write ({reason})") from None
    for problem in built.problems:
        out.write(f"{one_line(str(problem))}\n")
    from ketreader.content.pack import short_fingerprint

    counts = f"{built.documents} document(s), {built.sections} section(s), {built.images} image(s)"
    short = short_fingerprint(built.fingerprint)
    out.write(f"{one_line(str(built.path))}: {counts}, fingerprint {short}\n")
    return 0


def _policy(args: argparse.Namespace, out: TextIO) -> int:
    effective = resolve_effective(args)
    if args.json:
        _dump(effective.as_json(), out)
    else:
        out.writelines(f"{one_line(line)}\n" for line in effective.lines())
        if effective.lockdown:
            out.write(f"locked down: {one_line(effective.lockdown)}\n")
    return 0
