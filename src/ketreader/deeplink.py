"""Links room: the ``ketreader://section/ID`` form of a section link, both ways; no Qt."""

from __future__ import annotations

from urllib.parse import quote, unquote

SCHEME = "ketreader://section/"


def section_link(section_id: str) -> str:
    return SCHEME + quote(section_id, safe="")


def section_from_link(text: str) -> str:
    """Accept a plain section id or a copied link; return the section id."""
    return unquote(text[len(SCHEME) :]) if text.startswith(SCHEME) else text
