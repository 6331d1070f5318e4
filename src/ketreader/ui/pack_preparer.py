"""UI room: a pack prepared (loaded, validated, rendered, cached) off the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from ketreader.library import Library
from ketreader.log import get
from ketreader.partial_library import PreparingPack

_log = get("prepare")
# How long quitting waits for a preparation to notice its stop. It is polled between
# documents, so this is only reached inside one huge document; the thread is a daemon,
# and the process then exits without it.
QUIT_WAIT_S = 2.0
PROGRESS_INTERVAL_MS = 100
# Hand finished documents to the window as they come (benchmarks/partial_open.py turns it off
# to measure the whole preparation as it was without).
STREAM_DOCUMENTS = True


class _Job(QObject):
    """One preparation: a Python thread running prepare.prepare, and its outcome.

    The object lives in the GUI thread; its signals are emitted from the worker thread, so
    Qt queues them to the preparer's slots, which run on the GUI thread
    (https://doc.qt.io/qt-6/threads-qobject.html#signals-and-slots-across-threads).
    """

    progressed = Signal(object)  # the job; read its latest progress
    ended = Signal(object)  # the job; read library / error

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.library: Library | None = None
        self.error: str | None = None
        self.partial: PreparingPack | None = None  # set by the worker once the pack is read
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._latest = (0, 0)
        self._pending = False
        self.worker = threading.Thread(target=self._run, name=f"prepare {root.name}", daemon=True)

    def _run(self) -> None:
        from ketreader import prepare
        from ketreader.content.diagnostics import PackError

        try:
            self.library = prepare.prepare(
                self.root,
                self._progress,
                self.stop.is_set,
                on_loaded=self._loaded if STREAM_DOCUMENTS else None,
            )
        except prepare.Cancelled:
            pass
        except PackError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported, never lost in a dead thread
            from ketreader.log import log_unexpected

            log = log_unexpected(exc)
            where = f" Details were written to {log}." if log else ""
            self.error = f"{self.root}: could not be prepared ({type(exc).__name__}).{where}"
        finally:
            # Always the thread's last word: the preparer waits for it before starting another.
            self.ended.emit(self)

    def _loaded(self, partial: PreparingPack) -> None:
        self.partial = partial  # read on the GUI thread at the next count

    def _progress(self, done: int, total: int) -> None:
        # Coalesced: no new signal until the GUI thread has shown a count and its interval
        # has passed (PackPreparer._rearm); the slot reads the latest count. Thousands of
        # documents never flood the queue, and the last count is never lost.
        with self._lock:
            self._latest = (done, total)
            if self._pending:
                return
            self._pending = True
        self.progressed.emit(self)

    def latest(self) -> tuple[int, int]:
        with self._lock:
            return self._latest

    def rearm(self, shown: tuple[int, int]) -> bool:
        """Let the next count signal again; True if the count moved past ``shown`` meanwhile."""
        with self._lock:
            if self._latest != shown:
                return True
            self._pending = False
            return False


class PackPreparer(QObject):
    """Prepares one pack at a time on a worker thread; results come as signals.

    ``start`` cancels the preparation under way, if any, and the new one begins once the
    old thread has ended: never two at once. Signals concern the latest request only.
    """

    progress = Signal(int, int)  # documents done, documents in all
    # The pack being prepared (a PreparingPack), with each count once its first documents
    # are finished: they can be read before the rest.
    partial = Signal(object)
    finished = Signal(object)  # the Library
    failed = Signal(str)  # a one-line message naming the culprit
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: _Job | None = None  # the thread running now
        self._next: Path | None = None  # the request waiting for it to end
        self._wanted: Path | None = None  # the latest request: the one signals are about
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    @property
    def active(self) -> bool:
        """A preparation is requested and has not yet finished, failed or been cancelled."""
        return self._wanted is not None

    @property
    def target(self) -> Path | None:
        """The pack being prepared, if any."""
        return self._wanted

    def start(self, root: Path) -> None:
        """Prepare ``root``, stopping the preparation under way first."""
        self._wanted = root
        if self._job is not None:
            _log.debug("preparation of %s stopped for %s", self._job.root, root)
            self._job.stop.set()
            self._next = root  # begins when the running thread ends
            return
        self._launch(root)

    def cancel(self) -> None:
        """Stop the preparation; ``cancelled`` follows once its thread has ended."""
        self._next = None
        if self._job is None:
            if self._wanted is not None:
                self._wanted = None
                self.cancelled.emit()
            return
        self._job.stop.set()

    def _launch(self, root: Path) -> None:
        job = _Job(root)
        job.progressed.connect(self._job_progressed)
        job.ended.connect(self._job_ended)
        self._job = job
        self._next = None
        _log.debug("preparing %s", root)
        job.worker.start()

    @Slot(object)
    def _job_progressed(self, job: _Job) -> None:
        shown = job.latest()
        if job is self._job and not job.stop.is_set():
            self.progress.emit(*shown)
            if job.partial is not None:
                self.partial.emit(job.partial)
        # At most one count per interval: each one repaints the status bar, and the GUI
        # thread's turns take the interpreter from the worker.
        QTimer.singleShot(PROGRESS_INTERVAL_MS, self, lambda: self._rearm(job, shown))

    def _rearm(self, job: _Job, shown: tuple[int, int]) -> None:
        if job.rearm(shown):
            self._job_progressed(job)

    @Slot(object)
    def _job_ended(self, job: _Job) -> None:
        if job is not self._job:
            return
        self._job = None
        job.worker.join()  # it has emitted its last signal: this returns at once
        if self._next is not None:
            self._launch(self._next)  # the old request was replaced: nothing said about it
            return
        self._wanted = None
        if job.stop.is_set():
            _log.debug("preparation cancelled")
            self.cancelled.emit()
        elif job.library is not None:
            _log.debug("pack prepared")
            self.finished.emit(job.library)
        else:
            _log.debug("preparation failed")
            self.failed.emit(job.error or f"{job.root}: could not be prepared")

    @Slot()
    def shutdown(self, wait_s: float = QUIT_WAIT_S) -> None:
        """Stop any preparation and wait for it a bounded time (application quit)."""
        self._next = None
        self._wanted = None
        job, self._job = self._job, None
        if job is None:
            return
        job.stop.set()
        job.worker.join(wait_s)
        if job.worker.is_alive():
            _log.warning("preparing %s did not stop in %.0f s; quitting anyway", job.root, wait_s)
        else:
            _log.debug("preparation stopped for quit")
