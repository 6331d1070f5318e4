"""Lint room: ``ketreader check``, every problem of a pack as PATH:LINE diagnostics; no Qt."""

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
    from ketreader.search.synonyms_check import check_synonyms  # the search room's own file

    diagnostics.extend(check_synonyms(root, rendered))
    for index, document in enumerate(rendered.documents):
        shown = str(root / document.path)
        sections = [s for s in rendered.sections if s.document == index]
        if not document.html.lstrip().startswith("<h1"):
            diagnostics.append(
                Diagnostic(
                    shown, "no level-1 heading first; the file name is used as its title", "warning"
                )
            )
        seen: Counter[str] = Counter()
        for section in sections:
            key = section.title.casefold()
            seen[key] += 1
            if seen[key] > 1:
                line = _heading_line(pack.documents[index].text, section.title, seen[key])
                message = f"duplicate heading {section.title!r} (id {section.id!r} kept unique)"
                diagnostics.append(Diagnostic(shown, message, "warning", line))
    return diagnostics


def _heading_line(text: str, title: str, occurrence: int) -> int | None:
    """Line of the ``occurrence``-th ATX heading that mentions ``title``, where findable."""
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#") and title.casefold() in line.casefold():
            found += 1
            if found == occurrence:
                return number
    return None
