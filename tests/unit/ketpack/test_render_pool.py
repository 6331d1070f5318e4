"""Wiring room tests: render workers over pipes: order, progress, cancel, a worker lost."""

from __future__ import annotations

import signal
import time

import pytest

from ketreader.content.pack import Document
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render_pool import PoolCancelled, render_in_workers


def documents(count: int) -> list[Document]:
    return [
        Document(f"d{n}.md", f"# Document {n}\n\n" + f"Text of {n}. " * 200) for n in range(count)
    ]


def test_workers_render_every_document_in_order_with_progress() -> None:
    docs = documents(12)
    seen: list[int] = []
    given: list[str] = []

    def done(count: int, draft: DocumentDraft) -> None:
        seen.append(count)
        given.append(draft.path)

    drafts = render_in_workers(docs, 2, done, lambda: False)
    assert [d.path for d in drafts] == [d.path for d in docs]
    assert drafts == [render_draft(d.path, d.text) for d in docs]
    assert seen == list(range(1, 13))
    assert given == [d.path for d in docs]  # each draft as it is counted, in reading order


def test_cancel_stops_at_once_and_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    import subprocess

    real = subprocess.Popen

    def tracking(*args: object, **kwargs: object) -> object:
        process = real(*args, **kwargs)  # type: ignore[call-overload]
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", tracking)
    begun = time.monotonic()
    stop = begun + 0.3
    with pytest.raises(PoolCancelled):
        render_in_workers(documents(3000), 2, lambda _n, _d: None, lambda: time.monotonic() > stop)
    assert time.monotonic() - begun < 10
    assert started and all(p.poll() is not None for p in started)  # type: ignore[attr-defined]


def test_a_worker_that_dies_leaves_its_documents_to_be_rendered_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import subprocess

    real = subprocess.Popen

    def dying(*args: object, **kwargs: object) -> object:
        process = real(*args, **kwargs)  # type: ignore[call-overload]
        process.send_signal(signal.SIGKILL)
        return process

    monkeypatch.setattr(subprocess, "Popen", dying)
    docs = documents(5)
    drafts = render_in_workers(docs, 2, lambda _n, _d: None, lambda: False)
    assert drafts == [render_draft(d.path, d.text) for d in docs]
