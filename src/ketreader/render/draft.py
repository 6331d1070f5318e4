"""Render room: one document rendered on its own, with no pack-wide state (worker-safe)."""

from __future__ import annotations

from typing import NamedTuple

from ketreader.render.markdown_html import MarkdownRenderer, nesting_problem


class DocumentDraft(NamedTuple):
    """One document's sanitized HTML before pack-wide ids and links; picklable.

    ``problem`` (with its ``line``) says why the document cannot be rendered; assemble()
    turns it into the PackError that names the document.
    """

    path: str
    html: str
    heading_ids: tuple[str, ...]
    problem: str | None = None
    line: int | None = None


_renderer: MarkdownRenderer | None = None


def render_draft(path: str, text: str) -> DocumentDraft:
    """Render one document's Markdown; safe to run in a worker process."""
    global _renderer
    problem = nesting_problem(text)
    if problem is not None:
        return DocumentDraft(path, "", (), problem[1], problem[0])
    if _renderer is None:  # one per process: building the Markdown instance costs ~1 ms
        _renderer = MarkdownRenderer()
    try:
        converted = _renderer.convert(text)
    except RecursionError:
        return DocumentDraft(path, "", (), "Markdown nests too deeply to render")
    return DocumentDraft(path, converted.html, converted.heading_ids)
