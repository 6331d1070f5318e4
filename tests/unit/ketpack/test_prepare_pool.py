"""Wiring room tests: documents render in a pool of processes, in order, and stop on Cancel."""

from __future__ import annotations

import time
from pathlib import Path

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


def test_cancel_stops_the_pool_without_waiting_for_the_queue(tmp_path: Path) -> None:
    pack = load_pack(many_documents(tmp_path / "p", count=60))
    done: list[int] = []
    start = time.monotonic()
    with pytest.raises(prepare.Cancelled):
        prepare.render_drafts(
            pack.documents, lambda d, _t: done.append(d), lambda: len(done) > 2, processes=2
        )
    assert time.monotonic() - start < 30
    assert 2 < len(done) < 61


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


def test_cancel_while_the_cache_is_written_stops_the_write(tmp_path: Path) -> None:
    # After the last document renders, writing the cache of a big pack takes seconds:
    # Cancel then must not wait for it, and must leave no file behind.
    from ketreader import paths
    from ketreader.pipeline import StoreCancelled, cached_library, store_rendered
    from ketreader.render.pack_render import render_pack

    root = many_documents(tmp_path / "p", count=40)
    pack = load_pack(root)
    rendered = render_pack(pack)
    looks = [0]

    def cancelled() -> bool:
        looks[0] += 1
        return looks[0] > 3  # a few looks into the write

    with pytest.raises(StoreCancelled):
        store_rendered(pack, rendered, cancelled)
    assert looks[0] > 3  # SQLite asked while writing
    assert cached_library(root) is None
    assert [p.name for p in paths.cache_dir().glob("*.tmp*")] == []
    assert store_rendered(pack, rendered).fingerprint  # without a stop, it is stored
