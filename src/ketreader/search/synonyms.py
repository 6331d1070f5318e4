"""Search room: a pack's own synonyms (synonyms.toml), parsed and checked, expanded at query time.

The file maps what readers type to the words the pack uses::

    [synonyms]
    addictive = ["dependence"]
    "side affects" = ["side effects"]

Keys match the words of a query, whatever their case, spacing, hyphens or width; values are
searched as the pack writes them (a value of several words is searched as a phrase). The index
never changes: synonyms only widen a query.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ketreader.content.diagnostics import Diagnostic, Severity
from ketreader.search.query import normalize, words_of

FILE_NAME = "synonyms.toml"
MAX_FILE_BYTES = 256 * 1024
MAX_ENTRIES = 5000
MAX_VALUES = 16
MAX_KEY_WORDS = 6
MAX_VALUE_CHARS = 100
_TABLE = "synonyms"
_TOML_LINE = re.compile(r"at line (\d+)")
_KEY_LINE = re.compile(
    r"""^\s*(?:"(?P<basic>(?:[^"\\]|\\.)*)"|'(?P<literal>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))\s*="""
)
_HEADER = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]")


def key_of(words: list[str] | tuple[str, ...]) -> str:
    """The lookup form of a run of typed words: lower case, hyphens as spaces, ’ as '."""
    return " ".join(" ".join(words).replace("-", " ").replace("’", "'").split())


def normalize_key(text: str) -> str:
    """The lookup form of a key as written in the file."""
    return key_of(words_of(normalize(text).replace("-", " ")))


@dataclass(frozen=True)
class SynonymTable:
    """Keys (lookup form) to the pack's own words or phrases, as written."""

    entries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> line in file

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def longest(self) -> int:
        """The most words in any key, bounding how far a query is scanned for one."""
        return max((k.count(" ") + 1 for k in self.entries), default=0)

    def get(self, key: str) -> tuple[str, ...]:
        return self.entries.get(key, ())

    def single_words(self) -> list[str]:
        """Keys of one word: spelling suggestions and prefixes may lead to them too."""
        return sorted(k for k in self.entries if " " not in k)


EMPTY = SynonymTable()


def parse_synonyms(text: str, path: str) -> tuple[SynonymTable, list[Diagnostic]]:
    """The table of a synonyms file, and every problem in it as PATH:LINE diagnostics.

    A pure function of the file's text: folder packs and compiled packs read the same way.
    The reader uses every valid entry and skips the others; `ketreader check` reports them.
    """
    import tomllib

    problems: list[Diagnostic] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        problems.append(Diagnostic(path, f"not valid TOML: {exc}; no synonyms are used", line=line))
        return EMPTY, problems
    except RecursionError:
        problems.append(Diagnostic(path, "nested too deeply to read; no synonyms are used"))
        return EMPTY, problems
    lines = _key_lines(text)
    for extra in sorted(set(data) - {_TABLE}):
        problems.append(
            Diagnostic(
                path,
                f"unknown key {extra!r}; entries belong under [{_TABLE}]",
                line=_take(lines, "", extra) or _header_line(text, extra),
            )
        )
    table = data.get(_TABLE)
    if table is None:
        problems.append(Diagnostic(path, f"no [{_TABLE}] table; no synonyms are used"))
        return EMPTY, problems
    if not isinstance(table, dict):
        problems.append(Diagnostic(path, f"{_TABLE!r} must be a table", line=1))
        return EMPTY, problems
    entries: dict[str, tuple[str, ...]] = {}
    written: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    for raw_key, raw_values in table.items():
        key = normalize_key(raw_key)
        key_line = _take(lines, _TABLE, raw_key)

        def report(message: str, severity: Severity, _line: int | None = key_line) -> None:
            problems.append(Diagnostic(path, message, severity, _line))

        if not key:
            report(f"key {raw_key!r} has no word in it; entry skipped", "error")
            continue
        if key.count(" ") + 1 > MAX_KEY_WORDS:
            report(f"key {raw_key!r} has more than {MAX_KEY_WORDS} words; entry skipped", "error")
            continue
        if key in entries:
            report(f"key {raw_key!r} repeats {written[key]!r}; entry skipped", "error")
            continue
        values = _values(raw_key, raw_values, report)
        if values is None:
            continue
        if len(entries) >= MAX_ENTRIES:
            report(f"more than {MAX_ENTRIES} entries; the rest are skipped", "error")
            break
        entries[key] = values
        written[key] = raw_key
        if key_line is not None:
            key_lines[key] = key_line
    return SynonymTable(entries, key_lines), problems


def _values(
    raw_key: str, raw: object, report: Callable[[str, Severity], None]
) -> tuple[str, ...] | None:
    if not isinstance(raw, list) or not raw:
        report(
            f"{raw_key!r} must map to a list of one or more words or phrases; entry skipped",
            "error",
        )
        return None
    if len(raw) > MAX_VALUES:
        report(f"{raw_key!r} has more than {MAX_VALUES} values; entry skipped", "error")
        return None
    values: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if not isinstance(value, str):
            report(
                f"{raw_key!r}: every value must be a string, not {value!r}; entry skipped", "error"
            )
            return None
        text = " ".join(normalize(value).split())
        if not words_of(text) or len(text) > MAX_VALUE_CHARS:
            report(
                f"{raw_key!r}: value {value!r} must hold a word and at most"
                f" {MAX_VALUE_CHARS} characters; entry skipped",
                "error",
            )
            return None
        folded = normalize_key(text)
        if folded == normalize_key(raw_key):
            report(f"{raw_key!r} lists itself as a synonym; value ignored", "warning")
            continue
        if folded in seen:
            report(f"{raw_key!r} lists {value!r} twice; value ignored", "warning")
            continue
        seen.add(folded)
        values.append(text)
    if not values:
        report(f"{raw_key!r} has no other word or phrase; entry skipped", "error")
        return None
    return tuple(values)


def _take(lines: dict[tuple[str, str], list[int]], table: str, raw_key: str) -> int | None:
    """The line of the next definition of a key (a repeated key has several)."""
    found = lines.get((table, normalize_key(raw_key)))
    return found.pop(0) if found else None


def _key_lines(text: str) -> dict[tuple[str, str], list[int]]:
    """Lines of each key, by (table, lookup form), in file order."""
    found: dict[tuple[str, str], list[int]] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = header.group(1).strip().strip("\"'")
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        raw = match.group("literal") or match.group("bare") or ""
        if match.group("basic") is not None:
            try:
                raw = json.loads(f'"{match.group("basic")}"')
            except ValueError:
                raw = match.group("basic")
        found.setdefault((table, normalize_key(raw)), []).append(number)
    return found


def _header_line(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header and header.group(1).strip("[]\"' ") == name:
            return number
    return None


def read_synonyms(root: Path) -> tuple[str | None, list[Diagnostic]]:
    """The text of a folder pack's synonyms file; None when it has none.

    Read like every other pack file: only from inside the pack, only a regular file (a FIFO
    would block), bounded in size, UTF-8 with an optional byte-order mark.
    """
    from ketreader.content.pack import resolve_inside

    shown = str(root / FILE_NAME)
    if not root.is_dir():
        return None, []
    real = resolve_inside(root, FILE_NAME)
    if real is None:
        if (root / FILE_NAME).is_symlink():
            return None, [Diagnostic(shown, "leaves the pack (a symlink out of it); not used")]
        return None, []
    try:
        info = os.stat(real)
    except OSError:
        return None, []
    if not stat.S_ISREG(info.st_mode):
        return None, [Diagnostic(shown, "not a regular file; not used")]
    if info.st_size > MAX_FILE_BYTES:
        return None, [Diagnostic(shown, f"larger than {MAX_FILE_BYTES} bytes; not used")]
    try:
        with real.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Diagnostic(shown, f"cannot be read ({exc.strerror or exc}); not used")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(shown, f"larger than {MAX_FILE_BYTES} bytes; not used")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(shown, "not UTF-8; not used", line=line)]
    return text.removeprefix("\ufeff"), []


def load_synonyms(root: Path) -> SynonymTable:
    """The valid entries of a folder pack's synonyms file; empty when it has none."""
    text, _ = read_synonyms(root)
    if text is None:
        return EMPTY
    table, _ = parse_synonyms(text, str(root / FILE_NAME))
    return table
