"""Render room: one document rendered on its own, with no pack-wide state (worker-safe)."""

from __future__ import annotations

from typing import NamedTuple

from ketreader.render.bounds import bound
from ketreader.render.markdown_html import MarkdownRenderer, nesting_problem
from ketreader.render.scan import DraftSection, SectionSlot, Slot, scan


class DocumentDraft(NamedTuple):
    """One document rendered as far as it can be alone; picklable, for worker processes.

    The HTML is ``pieces`` around ``slots`` (see render.scan): assemble() fills the slots
    with pack-wide ids and resolved links and images, without parsing the HTML again.
    ``problem`` (with its ``line``) says why the document cannot be rendered; assemble()
    turns it into the PackError that names the document. ``warnings`` (message, line) are
    what ``check`` and the window report about content that was rendered in a bounded way.
    """

    path: str
    pieces: tuple[str, ...] = ("",)
    slots: tuple[Slot, ...] = ()
    text: str = ""
    sections: tuple[DraftSection, ...] = ()
    marks: tuple[SectionSlot, ...] = ()
    notes: tuple[SectionSlot, ...] = ()
    heading_ids: tuple[str, ...] = ()  # the toc extension's ids, in document order
    leading_h1: str | None = None
    problem: str | None = None
    line: int | None = None
    warnings: tuple[tuple[str, int | None], ...] = ()


_renderer: MarkdownRenderer | None = None


def render_draft(path: str, text: str) -> DocumentDraft:
    """Render one document's Markdown; safe to run in a worker process."""
    global _renderer
    problem = nesting_problem(text)
    if problem is not None:
        return DocumentDraft(path, problem=problem[1], line=problem[0])
    if _renderer is None:  # one per process: building the Markdown instance costs ~1 ms
        _renderer = MarkdownRenderer()
    bounded = bound(text)
    try:
        converted = _renderer.convert(bounded.text)
    except RecursionError:
        return DocumentDraft(path, problem="Markdown nests too deeply to render")
    except (ValueError, IndexError, KeyError, AttributeError) as exc:
        # Python-Markdown's own consistency checks (for one, "failed to strip top-level
        # tags") fail on some malformed input: the document is refused by name, in one
        # line, never a traceback, and its text is never echoed.
        _renderer = None  # a failed conversion may leave the instance's state half-reset
        return DocumentDraft(
            path, problem=f"Markdown cannot render this document ({type(exc).__name__})"
        )
    found = scan(converted.html)
    # Headings past the scan's cap are not sections: their toc ids must not be reserved.
    listed = {s.local_id for s in found.sections}
    heading_ids = tuple(i for i in converted.heading_ids if i in listed)
    warnings = bounded.warnings + tuple((message, None) for message in found.warnings)
    return DocumentDraft(
        path,
        found.pieces,
        found.slots,
        found.text,
        found.sections,
        found.marks,
        found.notes,
        heading_ids,
        found.leading_h1,
        warnings=warnings,
    )
