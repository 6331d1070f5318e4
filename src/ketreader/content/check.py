"""Content room: ``ketreader check``, every problem of a pack as PATH:LINE diagnostics."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import load_pack


def check_pack(root: Path) -> list[Diagnostic]:
    """Everything wrong with the pack at ``root``; errors make it unopenable."""
    try:
        pack = load_pack(root)
    except PackError as exc:
        return exc.diagnostics
    from ketreader.render.pack_render import render_pack

    diagnostics = list(pack.warnings)
    try:
        rendered = render_pack(pack)
    except PackError as exc:
        return diagnostics + exc.diagnostics
    diagnostics.extend(rendered.diagnostics)
    for index, document in enumerate(rendered.documents):
        shown = str(root / document.path)
        sections = [s for s in rendered.sections if s.document == index]
        if not document.html.lstrip().startswith("<h1"):
            diagnostics.append(
                Diagnostic(
                    shown, "no level-1 heading first; the file name is used as its title", "warning"
                )
            )
        titles = Counter(s.title.casefold() for s in sections)
        for section in sections:
            if titles[section.title.casefold()] > 1:
                diagnostics.append(
                    Diagnostic(
                        shown,
                        f"duplicate heading {section.title!r} (id {section.id!r} kept unique)",
                        "warning",
                        _line_of(pack.documents[index].text, section.title),
                    )
                )
                titles[section.title.casefold()] = 0  # report each title once
    return diagnostics


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#") and needle in line:
            return number
    return None
