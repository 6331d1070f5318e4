"""Wiring room: a folder pack that is not cached, rendered and stored with progress; no Qt.

Documents render in worker processes, one document per task, on every core; the results
come back in reading order. Workers are this program again and import only the render room
(no Qt): see render_pool.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ketreader.content.pack import Document, load_pack
from ketreader.library import Library
from ketreader.pipeline import StoreCancelled, store_rendered
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.pack_render import assemble

# Called with (documents done, documents in all) as each document is rendered.
Progress = Callable[[int, int], None]
# Below this much Markdown, starting worker processes (about 0.3 s each, for the imports)
# costs more than rendering in this one.
POOL_MIN_BYTES = 256 * 1024


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """The preparation was stopped (Cancel, or another pack opened) before it finished."""


def prepare(root: Path | str, on_progress: Progress, cancelled: Callable[[], bool]) -> Library:
    """Load, validate, render and cache the pack at ``root``; raise PackError or Cancelled.

    Runs off the GUI thread. ``cancelled`` is polled while documents render.
    """
    pack = load_pack(root)
    drafts = render_drafts(pack.documents, on_progress, cancelled)
    if cancelled():
        raise Cancelled
    try:
        return store_rendered(pack, assemble(pack, drafts), cancelled)
    except StoreCancelled:
        raise Cancelled from None


def workers() -> int:
    return max(1, os.cpu_count() or 1)


def render_drafts(
    documents: Sequence[Document],
    on_progress: Progress,
    cancelled: Callable[[], bool] = lambda: False,
    *,
    processes: int | None = None,
) -> list[DocumentDraft]:
    """Render each document (render.draft.render_draft), in order, with progress.

    Raises Cancelled as soon as ``cancelled()`` says so: pending documents are dropped and
    the pool shut down without waiting for them.
    """
    total = len(documents)
    on_progress(0, total)
    processes = workers() if processes is None else processes
    size = sum(len(d.text) for d in documents)
    if processes < 2 or total < 2 or size < POOL_MIN_BYTES:
        return _render_here(documents, on_progress, cancelled)
    return _render_in_pool(documents, on_progress, cancelled, processes)


def _render_here(
    documents: Sequence[Document], on_progress: Progress, cancelled: Callable[[], bool]
) -> list[DocumentDraft]:
    drafts: list[DocumentDraft] = []
    for done, document in enumerate(documents, 1):
        if cancelled():
            raise Cancelled
        drafts.append(render_draft(document.path, document.text))
        on_progress(done, len(documents))
    return drafts


def _render_in_pool(
    documents: Sequence[Document],
    on_progress: Progress,
    cancelled: Callable[[], bool],
    processes: int,
) -> list[DocumentDraft]:
    from ketreader.render_pool import PoolCancelled, render_in_workers

    try:
        return render_in_workers(
            documents, processes, lambda done: on_progress(done, len(documents)), cancelled
        )
    except PoolCancelled:
        raise Cancelled from None
