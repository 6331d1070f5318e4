"""CLI room: argument parsing, the error boundary, and safe output; never imports Qt."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from ketreader import __version__
from ketreader.config_schema import THEMES

if TYPE_CHECKING:
    from ketreader.policy import Effective

EXIT_CONTENT = 1
EXIT_USAGE = 2
MAX_LIMIT = 1000


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


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_LIMIT}")
    return value


def build_parser(subcommands: bool = True) -> argparse.ArgumentParser:
    """The parser; without subcommands it is built in a fraction of the time (window start)."""
    parser = _Parser(
        prog="ketreader",
        description="Offline reader for the clinical-education guide “What is ketamine?”.",
    )
    parser.add_argument("--version", action="version", version=f"ketreader {__version__}")
    parser.add_argument("--content", metavar="PACK", help="open this pack folder or .ketpack file")
    parser.add_argument("--section", metavar="ID", help="open at this section id or link")
    parser.add_argument("--theme", choices=THEMES, help="theme for this run")
    parser.add_argument(
        "--policy", metavar="FILE", help="also apply this policy file (it can only add locks)"
    )
    parser.add_argument("--portable", action="store_true", help="keep settings beside the program")
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--debug-log", action="store_true", help=argparse.SUPPRESS)
    if not subcommands:
        parser.set_defaults(command=None)
        return parser

    content = _Parser(add_help=False)
    content.add_argument(
        "--content", metavar="PACK", default=argparse.SUPPRESS, help="use this content pack"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sections = sub.add_parser("sections", parents=[content], help="print the outline")
    sections.add_argument("--json", action="store_true", help="print JSON")

    search = sub.add_parser("search", parents=[content], help="search the pack")
    search.add_argument("query", help="words to find; quote a phrase, e.g. '\"blood pressure\"'")
    search.add_argument(
        "--limit", type=_limit, default=10, metavar="N", help=f"at most N hits (1 to {MAX_LIMIT})"
    )
    search.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", parents=[content], help="write the pack as HTML or text")
    export.add_argument("--format", choices=("html", "text"), default="html", help="html or text")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    check = sub.add_parser("check", help="lint a content pack folder or .ketpack file")
    check.add_argument(
        "directory", metavar="PACK", nargs="?", help="default: the pack this computer shows"
    )

    pack = sub.add_parser("pack", help="compile a pack folder into one .ketpack file")
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", parser_class=_Parser)
    pack_sub.required = True
    build = pack_sub.add_parser("build", help="compile PACK into one file")
    build.add_argument("directory", metavar="PACK", help="the pack folder (with pack.toml)")
    build.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the .ketpack file to write"
    )

    policy = sub.add_parser("policy", help="show the effective settings and their sources")
    policy.add_argument("--show", action="store_true", help="each value, its source and lock")
    policy.add_argument("--json", action="store_true", help="print JSON")
    return parser


def resolve_effective(args: argparse.Namespace) -> Effective:
    """The effective settings for these arguments; a missing --policy file is a usage error."""
    from ketreader.policy import PolicyFileError, resolve

    try:
        return resolve(
            policy_file=args.policy,
            theme=args.theme,
            content=getattr(args, "content", None),
            portable=args.portable,
        )
    except PolicyFileError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def _write_all(text: str) -> None:
    """Write a subcommand's whole output at once; a closed or full stdout is a clean error."""
    stream = sys.stdout
    if stream is None:
        raise CliError("standard output is closed")
    try:
        if isinstance(stream, io.TextIOWrapper):
            # A path or query that is not UTF-8 reaches us as lone surrogates: replace them
            # rather than fail halfway through a JSON document.
            stream.reconfigure(errors="replace")
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(f"cannot write the output ({reason})") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: subcommands run here without Qt; otherwise the window starts."""
    from ketreader.log import log_unexpected, setup

    try:
        from ketreader.deeplink import links_as_options

        argv = links_as_options(sys.argv[1:] if argv is None else argv)
        wants_help = any(a in ("-h", "--help") for a in argv)
        args = build_parser(names_subcommand(argv) or wants_help).parse_args(argv)
        setup(stderr=True, debug=args.debug_log)
        if args.command:
            from ketreader.commands import run_subcommand

            if args.command == "export" and not resolve_effective(args).flag("allow_export"):
                # The whole guide as a file: the same lock as File > Export in the window.
                raise CliError("export is disabled by the policy", EXIT_USAGE)

            out = io.StringIO()
            code = run_subcommand(args, out)
            _write_all(out.getvalue())
            return code
        effective = resolve_effective(args)
        from ketreader.app import run_app

        return run_app(args, effective)
    except CliError as exc:
        _error(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        log = log_unexpected(exc)
        _error(f"unexpected {type(exc).__name__}: {exc} (details in {log})")
        return EXIT_CONTENT


def _error(message: str) -> None:
    from ketreader.textsafe import one_line

    if sys.stderr is not None:
        try:
            sys.stderr.write(f"ketreader: error: {one_line(message)}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
