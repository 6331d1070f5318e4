"""Lint room: ``ketreader check``, every problem of a pack as PATH:LINE diagnostics; no Qt."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.content.pack import load_pack
from ketreader.render.model import RenderedPack, Section


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
    sources = {str(root / d.path): d.text for d in pack.documents}
    diagnostics.extend(_with_line(d, sources) for d in rendered.diagnostics)
    for source in pack.documents:
        diagnostics.extend(_flattened_lists(str(root / source.path), source.text))
    from ketreader.search.synonyms_check import check_synonyms  # the search room's own file

    diagnostics.extend(check_synonyms(root, rendered))
    diagnostics.extend(_check_images(root, rendered))
    by_document: dict[int, list[Section]] = {}
    for section in rendered.sections:
        by_document.setdefault(section.document, []).append(section)
    for index, document in enumerate(rendered.documents):
        shown = str(root / document.path)
        if not document.html.lstrip().startswith("<h1"):
            diagnostics.append(
                Diagnostic(
                    shown, "no level-1 heading first; the file name is used as its title", "warning"
                )
            )
        seen: Counter[str] = Counter()
        headings: _HeadingLines | None = None
        for section in by_document.get(index, []):
            key = section.title.casefold()
            seen[key] += 1
            if seen[key] > 1:
                if headings is None:
                    headings = _HeadingLines(pack.documents[index].text)
                line = headings.find(key)
                message = f"duplicate heading {section.title!r} (id {section.id!r} kept unique)"
                diagnostics.append(Diagnostic(shown, message, "warning", line))
    return diagnostics


# Diagnostics that name what the author wrote, after this prefix, up to " (" if any.
_QUOTED = (
    "link target not found: ",
    "link refused: ",
    "image not found in the pack: ",
    "remote image shown as its alt text: ",
)


def _with_line(diagnostic: Diagnostic, sources: dict[str, str]) -> Diagnostic:
    """The diagnostic with the line of the first mention of what it names, when it has none."""
    text = sources.get(diagnostic.path)
    if diagnostic.line is not None or text is None:
        return diagnostic
    prefix = next((p for p in _QUOTED if diagnostic.message.startswith(p)), None)
    if prefix is None:
        return diagnostic
    named = diagnostic.message[len(prefix) :].split(" (", 1)[0]
    at = text.find(named) if named else -1
    if at < 0:
        return diagnostic
    return diagnostic._replace(line=text.count("\n", 0, at) + 1)


_LIST_ITEM = re.compile(r"( *)(?:[-*+]|\d{1,9}[.)])[ \t]")


def _flattened_lists(shown: str, text: str) -> list[Diagnostic]:
    """List items indented 1 to 3 spaces under another item: Markdown does not nest them."""
    found: list[Diagnostic] = []
    in_list = False
    for number, line in enumerate(text.splitlines(), 1):
        item = _LIST_ITEM.match(line)
        if item is None:
            in_list = in_list and bool(line.strip()) and line.startswith(" ")
            continue
        indent = len(item.group(1))
        if in_list and 1 <= indent <= 3:
            found.append(
                Diagnostic(
                    shown,
                    f"list item indented {indent} space(s) is not nested: indent a nested"
                    " list by 4 spaces",
                    "warning",
                    number,
                )
            )
        in_list = True
    return found


def _check_images(root: Path, rendered: RenderedPack) -> list[Diagnostic]:
    """A warning for each image shown that the reader would show as a broken image."""
    from ketreader.content.image_check import image_problem
    from ketreader.content.pack import resolve_inside
    from ketreader.ketpack import MAX_IMAGE_BYTES
    from ketreader.ketpack.contents import image_paths, read_image

    found: list[Diagnostic] = []
    for relative in image_paths(rendered):
        data = read_image(root, relative)
        if data is None:
            # Missing or outside the pack: render_pack reports those as errors already.
            path = resolve_inside(root, relative)
            if path is not None and path.is_file() and path.stat().st_size > MAX_IMAGE_BYTES:
                problem: str | None = f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB"
            else:
                continue
        else:
            problem = image_problem(data)
        if problem:
            message = f"{problem}; it shows as a broken image"
            found.append(Diagnostic(str(root / relative), message, "warning"))
    return found


class _HeadingLines:
    """Where each ATX heading mentioning a title is, found in one pass per title.

    Each title keeps its place in the list of heading lines, so the n-th duplicate is found
    where the search for the (n-1)-th stopped: linear in the document for every title,
    where searching from the top each time took minutes for ``## x`` x 20,000.
    """

    def __init__(self, text: str) -> None:
        self._lines = [
            (number, line.casefold())
            for number, line in enumerate(text.splitlines(), 1)
            if line.lstrip().startswith("#")
        ]
        self._next: dict[str, int] = {}

    def find(self, title: str) -> int | None:
        """Line of the next ATX heading that mentions ``title`` (casefolded), if any."""
        start = self._next.get(title, 0)
        if start == 0:
            start = self._first(title)
        for position in range(start, len(self._lines)):
            number, line = self._lines[position]
            if title in line:
                self._next[title] = position + 1
                return number
        self._next[title] = len(self._lines)
        return None

    def _first(self, title: str) -> int:
        # The first mention is the original, not a duplicate: skip past it.
        for position, (_, line) in enumerate(self._lines):
            if title in line:
                return position + 1
        return len(self._lines)
