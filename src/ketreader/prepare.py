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
from ketreader.partial_library import PreparingPack
from ketreader.pipeline import StoreCancelled, store_rendered
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.pack_render import assemble

# Called with (documents done, documents in all) as each document is rendered.
Progress = Callable[[int, int], None]
# Called with each document's draft, in reading order, as it is rendered.
OnDraft = Callable[[DocumentDraft], None]
# Below this much Markdown, starting worker processes (about 0.3 s each, for the imports)
# costs more than rendering in this one.
POOL_MIN_BYTES = 256 * 1024


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """The preparation was stopped (Cancel, or another pack opened) before it finished."""


def prepare(
    root: Path | str,
    on_progress: Progress,
    cancelled: Callable[[], bool],
    on_loaded: Callable[[PreparingPack], None] | None = None,
) -> Library:
    """Load, validate, render and cache the pack at ``root``; raise PackError or Cancelled.

    Runs off the GUI thread. ``cancelled`` is polled while documents render. With
    ``on_loaded``, a pack of more than one document is handed over as a PreparingPack once
    its manifest is read: its documents become readable one by one as they are rendered.
    """
    pack = load_pack(root)
    partial = PreparingPack(pack) if on_loaded is not None and len(pack.documents) > 1 else None
    if on_loaded is not None and partial is not None:
        on_loaded(partial)
    drafts = render_drafts(
        pack.documents, on_progress, cancelled, on_draft=partial.add if partial else None
    )
    if cancelled():
        raise Cancelled
    try:
        # The documents shown meanwhile keep their HTML: the cached pack shares it, byte for
        # byte, rather than hold a second copy while it is written.
        rendered = assemble(pack, drafts, partial.finished() if partial is not None else None)
        return store_rendered(pack, rendered, cancelled)
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
    on_draft: OnDraft | None = None,
) -> list[DocumentDraft]:
    """Render each document (render.draft.render_draft), in order, with progress.

    ``on_draft`` is given each draft in reading order, before its progress is reported.

    Raises Cancelled as soon as ``cancelled()`` says so: pending documents are dropped and
    the pool shut down without waiting for them.
    """
    total = len(documents)
    on_progress(0, total)
    processes = workers() if processes is None else processes
    size = sum(len(d.text) for d in documents)
    if processes < 2 or total < 2 or size < POOL_MIN_BYTES:
        return _render_here(documents, on_progress, cancelled, on_draft)
    return _render_in_pool(documents, on_progress, cancelled, processes, on_draft)


def _render_here(
    documents: Sequence[Document],
    on_progress: Progress,
    cancelled: Callable[[], bool],
    on_draft: OnDraft | None,
) -> list[DocumentDraft]:
    drafts: list[DocumentDraft] = []
    for done, document in enumerate(documents, 1):
        if cancelled():
            raise Cancelled
        draft = render_draft(document.path, document.text)
        drafts.append(draft)
        if on_draft is not None:
            on_draft(draft)
        on_progress(done, len(documents))
    return drafts


def _render_in_pool(
    documents: Sequence[Document],
    on_progress: Progress,
    cancelled: Callable[[], bool],
    processes: int,
    on_draft: OnDraft | None,
) -> list[DocumentDraft]:
    from ketreader.render_pool import PoolCancelled, render_in_workers

    def done(count: int, draft: DocumentDraft) -> None:
        if on_draft is not None:
            on_draft(draft)
        on_progress(count, len(documents))

    try:
        return render_in_workers(documents, processes, done, cancelled)
    except PoolCancelled:
        raise Cancelled from None
