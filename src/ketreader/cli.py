"""CLI room: argument parsing and the Qt-free subcommands (sections, search, export, check)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ketreader import __version__

if TYPE_CHECKING:
    from ketreader.pipeline import Library

EXIT_CONTENT = 1
EXIT_USAGE = 2
THEME_CHOICES = ("system", "light", "dark", "high-contrast")


class CliError(Exception):
    """A user-facing failure: printed as one line, exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_CONTENT) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, never the usage block: admins grep logs for "ketreader: error:".
        raise CliError(message, EXIT_USAGE)


_VALUE_OPTIONS = ("--content", "--section", "--theme", "--policy")


def names_subcommand(argv: Sequence[str]) -> bool:
    """Whether the first positional argument is a subcommand (options' values skipped)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return True  # a subcommand, or a stray word the full parser will report
    return False


def build_parser(subcommands: bool = True) -> argparse.ArgumentParser:
    """The parser; without subcommands it is built in a fraction of the time (window start)."""
    parser = _Parser(
        prog="ketreader",
        description="Offline reader for the clinical-education guide “What is ketamine?”.",
    )
    parser.add_argument("--version", action="version", version=f"ketreader {__version__}")
    parser.add_argument("--content", metavar="DIR", help="open this content pack")
    parser.add_argument("--section", metavar="ID", help="open at this section")
    parser.add_argument("--theme", choices=THEME_CHOICES, help="theme for this run")
    parser.add_argument("--policy", metavar="FILE", help="use this admin policy file")
    parser.add_argument("--portable", action="store_true", help="keep settings beside the program")
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    if not subcommands:
        parser.set_defaults(command=None)
        return parser

    content = _Parser(add_help=False)
    content.add_argument(
        "--content", metavar="DIR", default=argparse.SUPPRESS, help="use this content pack"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sections = sub.add_parser("sections", parents=[content], help="print the outline")
    sections.add_argument("--json", action="store_true", help="print JSON")

    search = sub.add_parser("search", parents=[content], help="search the pack")
    search.add_argument("query", help="words to find; quote a phrase, e.g. '\"blood pressure\"'")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits")
    search.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", parents=[content], help="write the pack as HTML or text")
    export.add_argument("--format", choices=("html", "text"), default="html")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    check = sub.add_parser("check", help="lint a content pack")
    check.add_argument("directory", metavar="DIR", nargs="?", help="default: the bundled guide")

    policy = sub.add_parser("policy", help="show the effective settings")
    policy.add_argument(
        "--show", action="store_true", required=True, help="each value, its source and lock"
    )
    policy.add_argument("--json", action="store_true", help="print JSON")
    return parser


def content_dir(args: argparse.Namespace) -> Path:
    """--content, else the admin policy's ``content``, else the bundled guide.

    Subcommands follow the policy like the window does, so `ketreader check` on a
    training-room PC checks (and fingerprints) the pack its trainees see.
    """
    if args.content:
        return Path(args.content)
    from ketreader.policy import resolve

    policy_content = resolve(args, read_user=False).entries["content"]
    if policy_content.source == "policy" and policy_content.value:
        return Path(str(policy_content.value))
    from ketreader.resources import default_pack_dir

    return default_pack_dir()


def run_subcommand(args: argparse.Namespace, out: TextIO) -> int:
    handler = {
        "sections": _sections,
        "search": _search,
        "export": _export,
        "check": _check,
        "policy": _policy,
    }[args.command]
    return handler(args, out)


def _open(args: argparse.Namespace) -> Library:
    from ketreader.content.diagnostics import PackError
    from ketreader.pipeline import open_library

    try:
        return open_library(content_dir(args))
    except PackError as exc:
        raise CliError(str(exc)) from None


def _sections(args: argparse.Namespace, out: TextIO) -> int:
    import json

    pack = _open(args).pack
    if args.json:
        json.dump([s.outline_entry() for s in pack.sections], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for section in pack.sections:
            out.write(f"{'  ' * (section.level - 1)}{section.title}  [{section.id}]\n")
    return 0


def _search(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ketreader.search.index import SearchUnavailableError

    if args.limit < 1:
        raise CliError("--limit must be at least 1", EXIT_USAGE)
    library = _open(args)
    try:
        result = library.index.search(args.query, limit=args.limit)
    except SearchUnavailableError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        json.dump(result.as_json(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if result.suggestion:
        out.write(f"Did you mean: {result.suggestion}?\n")
    if not result.hits:
        out.write("No results.\n")
    for hit in result.hits:
        parent = f" — {hit.parent_title}" if hit.parent_title else ""
        out.write(f"{hit.title}{parent}  [{hit.id}]\n    {_plain(hit.snippet)}\n")
    return 0


def _plain(snippet: str) -> str:
    import html

    text = snippet.replace("<b>", "*").replace("</b>", "*")
    return " ".join(html.unescape(text).split())


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ketreader.render.export import export_html, export_text

    pack = _open(args).pack
    document = export_text(pack) if args.format == "text" else export_html(pack)
    if args.output:
        try:
            Path(args.output).write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    else:
        out.write(document)
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ketreader.content.check import check_pack
    from ketreader.content.diagnostics import PackError
    from ketreader.content.pack import load_pack, short_fingerprint

    folder = Path(args.directory) if args.directory else content_dir(args)
    diagnostics = check_pack(folder)
    for diagnostic in diagnostics:
        out.write(f"{diagnostic}\n")
    errors = sum(1 for d in diagnostics if d.severity == "error")
    summary = f"{folder}: {errors} error(s), {len(diagnostics) - errors} warning(s)"
    if not errors:
        # Trainers compare this across a room: the same short form as Help > About.
        with contextlib.suppress(PackError):
            summary += f", fingerprint {short_fingerprint(load_pack(folder).fingerprint)}"
    out.write(summary + "\n")
    return 1 if errors else 0


def _policy(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ketreader.policy import effective_settings

    table = effective_settings(args)
    if args.json:
        json.dump(table, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for key, entry in table.items():
            lock = " (locked)" if entry["locked"] else ""
            out.write(f"{key} = {entry['value']!r}  [{entry['source']}]{lock}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: subcommands run here without Qt; otherwise the window starts."""
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        wants_help = any(a in ("-h", "--help") for a in argv)
        args = build_parser(names_subcommand(argv) or wants_help).parse_args(argv)
        if args.command:
            return run_subcommand(args, sys.stdout)
        from ketreader.app import run_app

        return run_app(args)
    except CliError as exc:
        print(f"ketreader: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        from ketreader.crashlog import write_crash_log

        log = write_crash_log(exc)
        print(
            f"ketreader: error: unexpected {type(exc).__name__}: {exc} (details in {log})",
            file=sys.stderr,
        )
        return EXIT_CONTENT
