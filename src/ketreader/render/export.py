"""Render room: a whole pack as one standalone HTML page or as plain text."""

from __future__ import annotations

import html

from ketreader.render.model import RenderedPack
from ketreader.render.stylesheet import document_css


def export_text(pack: RenderedPack) -> str:
    return pack.text.rstrip("\n") + "\n"


def export_html(pack: RenderedPack, theme: str = "light") -> str:
    """One self-contained page: the stylesheet inlined, every document in reading order."""
    title = html.escape(pack.title)
    lang = html.escape(pack.language or "en", quote=True)
    body = "\n".join(
        f'<article data-document="{html.escape(d.path, quote=True)}">\n{d.html}\n</article>'
        for d in pack.documents
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Offline and inert by construction: no scripts, no remote loads.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src 'self'; style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{document_css(theme)}"
        "body { max-width: 42em; margin: 2em auto; padding: 0 1em; }\n</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def printable_html(pack: RenderedPack, section_id: str | None = None) -> tuple[str, str]:
    """Body HTML and title for printing: the whole pack, or a section with its subsections."""
    if section_id is None or pack.section(section_id) is None:
        return "".join(d.html for d in pack.documents), pack.title
    wanted = {section_id}
    for section in pack.sections:  # reading order: a parent always comes before its children
        if section.parent in wanted:
            wanted.add(section.id)
    body = "".join(s.html for s in pack.sections if s.id in wanted)
    chosen = pack.section(section_id)
    return body, f"{pack.title} — {chosen.title if chosen else section_id}"
