"""Docs room: writes docs/settings.md from the settings schema (``--check`` to compare only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ketreader.config_schema import (  # noqa: E402
    SETTINGS,
    STATE,
    allowed_values,
    spell,
)

TARGET = ROOT / "docs" / "settings.md"


def render() -> str:
    """The whole of docs/settings.md."""
    lines = [
        "# Settings",
        "",
        "<!-- Generated from src/ketreader/config_schema.py by scripts/settings_docs.py;"
        " edit the schema, not this file. -->",
        "",
        "Every setting in one table. An admin sets any lockable key by policy, which locks it",
        "(see [deployment.md](deployment.md)); the user changes the others in the reader, which",
        "keeps them in the user's settings file. A locked value is never written to that file.",
        "",
        "| key | values | default | lockable | user's file | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        where = f"`[{s.user_section}] {s.key}`" if s.user_section else "—"
        default = f"`{spell(s.default)}`" if spell(s.default) else "empty"
        lines.append(
            f"| `{s.key}` | {allowed_values(s)} | {default} | {'yes' if s.lockable else 'no'} "
            f"| {where} | {s.description} |"
        )
    lines += [
        "",
        "## What happens when a value cannot be read",
        "",
        "A policy value that cannot be read takes the value that restricts most:",
        "",
        "| key | restrictive value |",
        "| --- | --- |",
    ]
    for s in SETTINGS:
        if s.lockable and s.restrictive is not None:
            spelt = spell(s.restrictive)
            value = f"`{spelt}`" if spelt else "empty (the bundled guide)"
            lines.append(f"| `{s.key}` | {value} |")
    lines += [
        "",
        "The other keys fall back to their defaults. A policy file that cannot be read at all",
        "(not UTF-8 or UTF-16, no `key = value` lines, a folder in its place) locks every key to",
        "its restrictive value, and the reader says so on screen. A value in the user's settings",
        "file that cannot be read is ignored with a warning in the log; a file that cannot be",
        "decoded (or holds a NUL byte) is copied aside, once, as",
        "`ketreader.ini.unreadable-<CRC-32 of its bytes>`; one larger than 256 KiB is renamed to",
        "`ketreader.ini.unreadable-<time>` instead of copied.",
        "A FIFO or a device in its place is not read at all.",
        "",
        "## The user's settings file",
        "",
        "- Linux: `$XDG_CONFIG_HOME/ketreader/ketreader.ini` (default `~/.config/ketreader/`)",
        "- Windows: `%LOCALAPPDATA%\\ketreader\\ketreader.ini`",
        "- macOS: `~/Library/Application Support/ketreader/ketreader.ini`",
        "- Portable mode: `ketreader.ini` beside the program (see deployment.md)",
        "",
        "It is written whole through a temporary file and a rename, so a crash or a full disk",
        "never leaves half a file. Besides the settings above it remembers:",
        "",
        "| section | key | what |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `[{k.section}]` | `{k.option}` | {k.description} |" for k in STATE]
    lines += [
        "",
        "Saved window geometry and splitter state are checked field by field before they are",
        "handed to Qt; anything out of range is ignored. In kiosk mode they are not written.",
        "",
        "## Where each value comes from",
        "",
        "Lowest to highest: the default, a recommended value (policy `[recommended]` section or",
        "the registry's `Recommended` key), the user's settings (ignored under `reset_on_start`),",
        "the command line (`--theme`, `--content`), then the policy, which locks. `ketreader",
        "policy` prints each value with its source.",
        "",
        "Only the settings a user may change (those with a file section above) can be",
        "recommended; any other key in a recommended place is ignored, with a warning.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text("utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run scripts/settings_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
