"""Wiring room: documents rendered by worker processes, one per core, in order; no Qt.

Each worker is this program again, started with ``--render-worker`` (frozen) or as
``python -m ketreader.render_worker`` (from source), and talks over its stdin and stdout:
a task is a length-prefixed pickle of (index, path, Markdown), an answer one of (index,
DocumentDraft). Pipes, not multiprocessing: multiprocessing imports ``socket`` on every
start, and the bundle carries no network stack.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, cast

from ketreader.content.pack import Document
from ketreader.render.draft import DocumentDraft, render_draft

WORKER_FLAG = "--render-worker"
_LENGTH = struct.Struct(">I")
_POLL_SECONDS = 0.05


class PoolCancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """``cancelled()`` said stop before every document was rendered."""


def worker_command() -> list[str]:
    """How to start one more copy of this program as a render worker."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "ketreader.render_worker"]


def _worker_environment() -> dict[str, str]:
    """This environment, with this copy of ketreader importable first (from source)."""
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        here = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env


def write_frame(stream: IO[bytes], payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> object | None:
    """The next frame, or None at the end of the stream (the other side has gone)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    frame = pickle.loads(data)
    return cast(object, frame)


def render_in_workers(
    documents: Sequence[Document],
    processes: int,
    on_done: Callable[[int, DocumentDraft], None],
    cancelled: Callable[[], bool],
) -> list[DocumentDraft]:
    """Each document rendered by one of ``processes`` workers; results in reading order.

    ``on_done(n, draft)`` is called, on this thread, as the first n documents are ready,
    with the n-th one's draft. A worker
    that dies leaves its document to be rendered here. Raises PoolCancelled as soon as
    ``cancelled()`` is true: the workers are killed, nothing is waited for.
    """
    results: list[DocumentDraft | None] = [None] * len(documents)
    lock = threading.Condition()
    next_task = [0]
    workers = [
        subprocess.Popen(
            worker_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_worker_environment(),
            # No console window flashing up for each worker on Windows.
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        for _ in range(max(1, min(processes, len(documents))))
    ]

    def feed(worker: subprocess.Popen[bytes]) -> None:
        assert worker.stdin is not None and worker.stdout is not None
        while True:
            with lock:
                index = next_task[0]
                if index >= len(documents):
                    return
                next_task[0] += 1
            document = documents[index]
            try:
                write_frame(worker.stdin, (index, document.path, document.text))
                answer = read_frame(worker.stdout)
            except (OSError, ValueError):
                answer = None
            if not (isinstance(answer, tuple) and answer[0] == index):
                # The worker is gone (killed, crashed): this and the rest render elsewhere.
                with lock:
                    lock.notify_all()
                return
            with lock:
                results[index] = answer[1]
                lock.notify_all()

    threads = [threading.Thread(target=feed, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        done = 0
        while done < len(documents):
            with lock:
                while results[done] is None and not cancelled():
                    if not any(t.is_alive() for t in threads):
                        break
                    lock.wait(_POLL_SECONDS)
            if cancelled():
                raise PoolCancelled
            if results[done] is None:  # every worker has gone: render it here
                document = documents[done]
                results[done] = render_draft(document.path, document.text)
            done += 1
            draft = results[done - 1]
            assert draft is not None
            on_done(done, draft)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            for stream in (worker.stdin, worker.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # a pipe to a killed worker
                        stream.close()
            worker.wait()
    return [r for r in results if r is not None]
