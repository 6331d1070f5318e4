"""Wiring room tests: documents render in a pool of processes, in order, and stop on Cancel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from ketreader import prepare
from ketreader.content.pack import load_pack
from ketreader.render.draft import render_draft
from tests.conftest import write_pack


def many_documents(root: Path, count: int = 12) -> Path:
    body = "\n\n".join(f"## Introduction\n\nWords {i} " + "filler text " * 800 for i in range(4))
    return write_pack(root, {f"d{n:02d}.md": f"# Doc {n}\n\n{body}\n" for n in range(count)})


def test_the_pool_renders_every_document_in_order_with_progress(tmp_path: Path) -> None:
    pack = load_pack(many_documents(tmp_path / "p"))
    assert sum(len(d.text) for d in pack.documents) >= prepare.POOL_MIN_BYTES
    progress: list[tuple[int, int]] = []
    drafts = prepare.render_drafts(
        pack.documents, lambda d, t: progress.append((d, t)), processes=2
    )
    assert drafts == [render_draft(d.path, d.text) for d in pack.documents]
    assert progress == [(n, 12) for n in range(13)]


def test_cancel_stops_the_pool_without_waiting_for_the_queue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = load_pack(many_documents(tmp_path / "p", count=60))
    shutdowns: list[dict[str, object]] = []
    from concurrent.futures import ProcessPoolExecutor

    real = ProcessPoolExecutor.shutdown

    def spy(self: ProcessPoolExecutor, wait: bool = True, *, cancel_futures: bool = False) -> None:
        shutdowns.append({"wait": wait, "cancel_futures": cancel_futures})
        real(self, wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", spy)
    done: list[int] = []
    start = time.monotonic()
    with pytest.raises(prepare.Cancelled):
        prepare.render_drafts(
            pack.documents, lambda d, _t: done.append(d), lambda: len(done) > 2, processes=2
        )
    assert time.monotonic() - start < 30
    assert 2 < len(done) < 61
    assert shutdowns == [{"wait": False, "cancel_futures": True}]


def test_prepare_stores_the_pack_and_opens_it_from_the_cache(tmp_path: Path) -> None:
    from ketreader.pipeline import cached_library

    root = many_documents(tmp_path / "p", count=3)
    assert cached_library(root) is None
    library = prepare.prepare(root, lambda _d, _t: None, lambda: False)
    again = cached_library(root)
    assert again is not None
    assert again.fingerprint == library.fingerprint
    assert [s.id for s in again.sections] == [s.id for s in library.sections]


def test_prepare_raises_cancelled_before_storing(tmp_path: Path) -> None:
    from ketreader.pipeline import cached_library

    root = many_documents(tmp_path / "p", count=3)
    with pytest.raises(prepare.Cancelled):
        prepare.prepare(root, lambda _d, _t: None, lambda: True)
    assert cached_library(root) is None


def test_after_cancel_the_workers_render_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cancel (or another pack, or quitting) must free the cores: before, the pool went on
    # rendering every queued document after Cancelled was raised, and the process could not
    # exit until it had (10 s for a 10,000-section pack).
    from concurrent.futures import Future, ProcessPoolExecutor

    futures: list[Future[object]] = []
    real = ProcessPoolExecutor.submit

    def spy(self: ProcessPoolExecutor, *args: Any, **kwargs: Any) -> Future[object]:
        future = real(self, *args, **kwargs)
        futures.append(future)
        return future

    monkeypatch.setattr(ProcessPoolExecutor, "submit", spy)
    pack = load_pack(many_documents(tmp_path / "p", count=200))
    done: list[int] = []
    with pytest.raises(prepare.Cancelled):
        prepare.render_drafts(
            pack.documents, lambda d, _t: done.append(d), lambda: len(done) > 2, processes=2
        )
    time.sleep(0.5)
    rendered = sum(1 for f in futures if f.done() and not f.cancelled())
    # Only the few already handed to a worker may still finish.
    assert rendered <= len(done) + 6, (rendered, len(futures))
    assert all(f.done() or f.running() for f in futures)
