"""Wiring room: a folder pack that is not cached, rendered and stored with progress; no Qt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ketreader.content.pack import load_pack
from ketreader.library import Library
from ketreader.pipeline import store_rendered
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.pack_render import assemble

# Called with (documents done, documents in all) as each document is rendered.
Progress = Callable[[int, int], None]


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """The preparation was stopped (Cancel, or another pack opened) before it finished."""


def prepare(root: Path | str, on_progress: Progress, cancelled: Callable[[], bool]) -> Library:
    """Load, validate, render and cache the pack at ``root``; raise PackError or Cancelled.

    Runs off the GUI thread. ``cancelled`` is polled between documents.
    """
    pack = load_pack(root)
    total = len(pack.documents)
    drafts: list[DocumentDraft] = []
    on_progress(0, total)
    for done, document in enumerate(pack.documents, 1):
        if cancelled():
            raise Cancelled
        drafts.append(render_draft(document.path, document.text))
        on_progress(done, total)
    if cancelled():
        raise Cancelled
    return store_rendered(pack, assemble(pack, drafts))
