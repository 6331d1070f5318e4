"""Output room: text from a pack made safe for a terminal, and bidi controls isolated; no Qt."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC starts a terminal escape sequence), DEL, and lone surrogates, which
# a byte that is not UTF-8 in a path or query becomes and no terminal encoding can write.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return f"\\x{ord(char):02x}"


def for_terminal(text: str) -> str:
    """Control characters shown as ``\\xNN`` (tabs and newlines kept): a pack's text cannot
    clear the screen, move the cursor or forge a line of ``check``'s report."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """``for_terminal``, with newlines and tabs escaped too: for a single report line."""
    return for_terminal(text).replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def without_surrogates(text: str) -> str:
    """Lone surrogates replaced, so the text can be encoded as UTF-8 (for JSON output)."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def isolate_bidi(title: str) -> str:
    """A title whose direction controls cannot reorder what follows it on screen.

    ``Invoice \\u202efdp.exe`` would otherwise show as "Invoice exe.pdf". Explicit
    overrides and embeddings are dropped, and the whole title is wrapped in a first-strong
    isolate so it cannot leak direction into the surrounding text either.
    """
    cleaned = _BIDI.sub("", title)
    return cleaned if cleaned.isascii() else f"\u2068{cleaned}\u2069"


def isolate_bidi_controls(title: str) -> str:
    """``title`` unchanged unless it holds direction controls; then ``isolate_bidi`` of it.

    For titles taken from a pack (its manifest, its headings, its file names): everywhere
    they are shown (sidebar, search results, the window title), an override in one cannot
    reverse what follows it.
    """
    return isolate_bidi(title) if _BIDI.search(title) else title
