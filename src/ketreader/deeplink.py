"""Links room: the ``ketreader://section/ID`` form of a section link, both ways; no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, unquote

SCHEME = "ketreader://section/"


def section_link(section_id: str) -> str:
    return SCHEME + quote(section_id, safe="")


def section_from_link(text: str) -> str:
    """Accept a plain section id or a copied link; return the section id.

    The scheme is matched without regard to case, and a trailing slash (which some
    desktops add when they hand a link over) is dropped.
    """
    if text[: len(SCHEME)].lower() != SCHEME:
        return text
    return unquote(text[len(SCHEME) :].rstrip("/"))


def links_as_options(argv: Sequence[str]) -> list[str]:
    """``ketreader ketreader://section/ID``, as a desktop or browser opens a link, means
    ``ketreader --section ketreader://section/ID``."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        after_option = i > 0 and argv[i - 1] in ("--section", "--content", "--theme", "--policy")
        if not after_option and arg.lower().startswith("ketreader://"):
            out += ["--section", arg]
        else:
            out.append(arg)
    return out
