"""UI room tests: a pack that takes long to prepare never freezes the window."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ketreader import library_loader, prepare
from ketreader.content.diagnostics import Diagnostic, PackError
from ketreader.library import Library
from ketreader.partial_library import PreparingPack
from ketreader.pipeline import open_library
from ketreader.ui.main_window import MainWindow
from ketreader.ui.preparing_status import PreparingStatus, progress_text
from tests.conftest import GUIDE, run_python, write_pack
from tests.unit.ui.conftest import make_window

GUIDE_TITLE = "What is ketamine? — ketreader"
WAIT_S = 10.0  # only a bound: every wait ends when its condition holds


class SlowPrepare:
    """Stands in for prepare.prepare: reports progress, then waits for the test's go-ahead.

    It polls ``cancelled`` as the real one does between documents, and records how many
    preparations ran at once.
    """

    def __init__(self, steps: tuple[tuple[int, int], ...] = ((0, 1000), (312, 1000))) -> None:
        self.steps = steps
        self.release = threading.Event()
        self.started: list[Path] = []
        self.stopped: list[Path] = []
        self.fail_with: Exception | None = None
        self.ignore_cancel = False
        self._running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(
        self,
        root: Path | str,
        on_progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
        on_loaded: object = None,
    ) -> Library:
        root = Path(root)
        with self._lock:
            self._running += 1
            self.most_at_once = max(self.most_at_once, self._running)
            self.started.append(root)
        try:
            for done, total in self.steps:
                on_progress(done, total)
            deadline = time.monotonic() + WAIT_S  # on the GUI thread, it would wait forever
            while not self.release.wait(0.01):
                if time.monotonic() > deadline:
                    raise AssertionError("never released")
                if cancelled() and not self.ignore_cancel:
                    self.stopped.append(root)
                    raise prepare.Cancelled
            if self.fail_with is not None:
                raise self.fail_with
            return open_library(root)  # the real thing, off the GUI thread as in the product
        finally:
            with self._lock:
                self._running -= 1


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowPrepare]:
    fake = SlowPrepare()
    monkeypatch.setattr(prepare, "prepare", fake)
    # Every pack counts as large: each test's packs are tiny, and go to the background.
    monkeypatch.setattr(library_loader, "QUICK_OPEN_BYTES", 1)
    yield fake
    fake.release.set()


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.status_line is not None)
    return win


def big_pack(tmp_path: Path, title: str = "Big guide") -> Path:
    name = "".join(c for c in title.lower() if c.isalnum()) or "pack"
    return write_pack(tmp_path / name, {"a.md": f"# {title}\n\n## Part two\n"}, title=title)


def status(win: MainWindow) -> PreparingStatus:
    found = win.findChild(PreparingStatus, "preparing-status")
    assert found is not None
    return found


def preparing_shown(win: MainWindow) -> bool:
    found = win.findChild(PreparingStatus, "preparing-status")
    return found is not None and found.isVisible()


def test_a_slow_pack_leaves_the_window_responsive_and_shows_progress(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    began = time.monotonic()
    assert window.open_pack(big_pack(tmp_path))
    assert time.monotonic() - began < 1.0  # it returns at once
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=int(WAIT_S * 1000))
    assert not slow.release.is_set()  # the event loop ran while the pack was being prepared
    bar = status(window)
    qtbot.waitUntil(lambda: bar.label.text() == "Preparing Big guide: 312 of 1,000 documents")
    assert bar.isVisible() and bar.bar.value() == 312 and bar.bar.maximum() == 1000
    # The current pack stays shown and usable meanwhile.
    assert window.windowTitle() == GUIDE_TITLE
    window.search.run("bladder")
    assert window.search.results.current_id() is not None
    slow.release.set()
    qtbot.waitUntil(lambda: window.windowTitle() == "Big guide — ketreader")
    assert not bar.isVisible()
    assert window.sidebar.model().index(0, 0).data() == "Big guide"
    timer.stop()


def test_progress_reaches_the_status_bar_when_the_window_opens_with_a_slow_pack(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    # Start-up: the window is built on the guide and the pack prepared after it is shown.
    win = make_window(qtbot)
    win.packs.prepare(big_pack(tmp_path), at_start=True)
    qtbot.waitUntil(lambda: status(win).label.text().endswith("312 of 1,000 documents"))
    assert win.isVisible() and win.windowTitle() == GUIDE_TITLE
    slow.release.set()
    qtbot.waitUntil(lambda: win.windowTitle() == "Big guide — ketreader")


def test_cancel_stops_it_and_the_old_pack_stays(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    pack = big_pack(tmp_path)
    window.open_pack(pack)
    bar = status(window)
    qtbot.waitUntil(lambda: bar.label.text().endswith("312 of 1,000 documents"))
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not preparing_shown(window))
    assert slow.stopped == [pack]
    assert window.packs.preparing is None
    assert window.windowTitle() == GUIDE_TITLE
    assert window.statusBar().currentMessage().startswith("Stopped preparing Big guide")
    slow.release.set()  # nothing is left to switch to it later
    qtbot.wait(50)
    assert window.windowTitle() == GUIDE_TITLE


def test_escape_in_the_progress_cancels(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    window.open_pack(big_pack(tmp_path))
    bar = status(window)
    qtbot.waitUntil(lambda: bar.label.text().endswith("312 of 1,000 documents"))
    bar.button.setFocus()
    qtbot.keyClick(bar.button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not preparing_shown(window))
    assert len(slow.stopped) == 1 and window.windowTitle() == GUIDE_TITLE


def test_a_second_open_cancels_the_first_and_never_runs_two(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    first, second = big_pack(tmp_path, "First"), big_pack(tmp_path, "Second")
    window.open_pack(first)
    qtbot.waitUntil(lambda: slow.started == [first])
    window.open_pack(second)
    assert status(window).label.text() == "Preparing Second…"
    qtbot.waitUntil(lambda: slow.started == [first, second])
    assert slow.stopped == [first]
    qtbot.waitUntil(lambda: status(window).label.text().endswith("312 of 1,000 documents"))
    slow.release.set()
    qtbot.waitUntil(lambda: window.windowTitle() == "Second — ketreader")
    assert slow.most_at_once == 1
    qtbot.wait(50)
    assert window.windowTitle() == "Second — ketreader"  # the first never arrives late


def test_a_quick_pack_opened_meanwhile_stops_the_slow_one(
    window: MainWindow,
    qtbot: QtBot,
    slow: SlowPrepare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_pack(big_pack(tmp_path))
    qtbot.waitUntil(lambda: len(slow.started) == 1)
    monkeypatch.setattr(library_loader, "QUICK_OPEN_BYTES", 512 * 1024)
    small = write_pack(tmp_path / "small", {"a.md": "# Small\n"}, title="Small")
    assert window.open_pack(small)
    assert window.windowTitle() == "Small — ketreader"  # at once
    assert not preparing_shown(window)
    qtbot.waitUntil(lambda: len(slow.stopped) == 1)
    slow.release.set()
    qtbot.wait(50)
    assert window.windowTitle() == "Small — ketreader"


def test_a_failure_is_shown_and_the_old_pack_stays(
    window: MainWindow,
    qtbot: QtBot,
    slow: SlowPrepare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    slow.fail_with = PackError([Diagnostic("/packs/big/b.md", "not UTF-8")])
    window.open_pack(big_pack(tmp_path))
    slow.release.set()
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["/packs/big/b.md: not UTF-8"]
    assert window.windowTitle() == GUIDE_TITLE and not preparing_shown(window)


def test_an_unexpected_error_is_shown_too(
    window: MainWindow,
    qtbot: QtBot,
    slow: SlowPrepare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    slow.fail_with = MemoryError()
    window.open_pack(big_pack(tmp_path))
    slow.release.set()
    qtbot.waitUntil(lambda: bool(warnings))
    assert "could not be prepared (MemoryError)" in warnings[0]
    assert window.windowTitle() == GUIDE_TITLE


def test_a_failure_at_start_up_is_the_refusal_dialog_over_the_guide(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    win = make_window(qtbot)
    slow.fail_with = PackError([Diagnostic("/packs/big/pack.toml", "broken")])
    win.packs.prepare(big_pack(tmp_path), at_start=True)
    slow.release.set()

    def dialog() -> QMessageBox | None:
        boxes = [b for b in win.findChildren(QMessageBox) if b.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: dialog() is not None)
    box = dialog()
    assert box is not None
    assert box.text() == "/packs/big/pack.toml: broken\n\nShowing the bundled guide instead."
    assert win.windowTitle() == GUIDE_TITLE
    assert "ketreader: error: /packs/big/pack.toml: broken" in capsys.readouterr().err
    box.close()


def test_the_saved_place_in_the_prepared_pack_is_restored(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    pack = big_pack(tmp_path)
    window.prefs.remember_position(open_library(pack).fingerprint, "part-two")
    window.open_pack(pack)
    slow.release.set()
    qtbot.waitUntil(lambda: window.windowTitle() == "Big guide — ketreader")
    assert window.sidebar.current_section_id() == "part-two"


def test_a_pack_the_policy_sets_offers_no_cancel(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path, isolated_user_dirs: Path
) -> None:
    pack = big_pack(tmp_path)
    win = make_window(qtbot, policy=f"[policy]\ncontent = {pack}\n", home=isolated_user_dirs)
    assert win.prefs.locked("content")
    win.packs.prepare(pack, at_start=True)
    bar = status(win)
    qtbot.waitUntil(lambda: bar.label.text().endswith("312 of 1,000 documents"))
    assert not bar.button.isVisible()
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert slow.stopped == [] and bar.isVisible()
    slow.release.set()
    qtbot.waitUntil(lambda: win.windowTitle() == "Big guide — ketreader")


def test_the_real_preparation_runs_off_the_gui_thread_and_fills_the_cache(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_loader, "QUICK_OPEN_BYTES", 1)
    threads: list[threading.Thread] = []
    real = prepare.prepare

    def watched(
        root: Path | str,
        on_progress: prepare.Progress,
        cancelled: Callable[[], bool],
        on_loaded: Callable[[PreparingPack], None] | None = None,
    ) -> Library:
        threads.append(threading.current_thread())
        return real(root, on_progress, cancelled, on_loaded)

    monkeypatch.setattr(prepare, "prepare", watched)
    docs = {f"d{n}.md": f"# Doc {n}\n\nText {n}.\n" for n in range(20)}
    pack = write_pack(tmp_path / "real", docs, title="Real pack")
    assert window.open_pack(pack)
    qtbot.waitUntil(lambda: window.windowTitle() == "Real pack — ketreader", timeout=20000)
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=20000)
    assert threads and threads[0] is not threading.main_thread()
    assert window.library.document_count == 20
    # Prepared once, it is cached: opening it again is immediate, with no preparation.
    window.open_pack(GUIDE)
    assert window.windowTitle() == GUIDE_TITLE
    assert window.open_pack(pack)
    assert window.windowTitle() == "Real pack — ketreader" and len(threads) == 1


def test_shutdown_stops_a_preparation_promptly(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    window.open_pack(big_pack(tmp_path))
    qtbot.waitUntil(lambda: len(slow.started) == 1)
    began = time.monotonic()
    window.packs.shutdown()
    assert time.monotonic() - began < 1.0
    assert len(slow.stopped) == 1


QUIT_SCRIPT = """
import sys, threading, time
from pathlib import Path
from typing import Any
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ketreader import library_loader, prepare
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow

def stuck(root, on_progress, cancelled):  # inside one huge document: never polls cancelled
    on_progress(0, 10)
    threading.Event().wait()

prepare.prepare = stuck
library_loader.QUICK_OPEN_BYTES = 1
app = QApplication([])
window = MainWindow(library_loader.load_library(None).library, Preferences(resolve()))
window.show()
window.open_pack(Path(sys.argv[1]))
QTimer.singleShot(200, app.quit)
began = time.monotonic()
app.exec()
print(f"quit in {time.monotonic() - began:.2f}")
"""


def test_quit_during_a_preparation_exits_promptly(tmp_path: Path) -> None:
    # The worst case: a preparation that never notices the stop. The process still ends.
    script = tmp_path / "quit.py"
    script.write_text(QUIT_SCRIPT, "utf-8")
    began = time.monotonic()
    result = run_python(str(script), str(big_pack(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "quit in" in result.stdout
    assert time.monotonic() - began < 20  # start-up included; the wait itself is bounded


def test_opens_quickly_decides_by_sizes_without_reading_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = write_pack(tmp_path / "small", {"a.md": "# A\n" * 1000})
    large = write_pack(tmp_path / "large", {"a.md": "x" * 300_000, "b.md": "y" * 300_000})
    broken = write_pack(tmp_path / "broken", {"a.md": "x" * 600_000})
    (broken / "pack.toml").write_text("title = \n", "utf-8")
    opened: list[str] = []
    real_open = io.open

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(Path(str(file)).name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    real_os_open = os.open

    def os_spy(file: object, *args: Any, **kwargs: Any) -> int:  # the bounded, fd-based read
        opened.append(Path(str(file)).name)
        return real_os_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(os, "open", os_spy)
    assert library_loader.opens_quickly(small)
    assert not library_loader.opens_quickly(large)
    assert library_loader.opens_quickly(broken)  # refused at once, as ever
    assert library_loader.opens_quickly(tmp_path / "missing")
    assert "pack.toml" in opened  # the spy sees what is read
    assert "a.md" not in opened and "b.md" not in opened


def test_progress_text() -> None:
    assert progress_text("Big", 312, 1000) == "Preparing Big: 312 of 1,000 documents"
    assert progress_text("Big", 0, 1) == "Preparing Big: 0 of 1 document"
    assert progress_text("Big", 0, 0) == "Preparing Big…"


def test_a_title_with_markup_is_shown_as_text(
    window: MainWindow, qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    window.open_pack(big_pack(tmp_path, "<b>Bold</b>"))
    bar = status(window)
    assert bar.label.text() == "Preparing <b>Bold</b>…"
    assert bar.label.textFormat() == Qt.TextFormat.PlainText
    assert isinstance(bar, QWidget)


def test_a_section_asked_for_at_start_up_is_opened_in_the_prepared_pack(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    win = make_window(qtbot)
    win.packs.prepare(big_pack(tmp_path), at_start=True, section="part-two")
    slow.release.set()
    qtbot.waitUntil(lambda: win.windowTitle() == "Big guide — ketreader")
    assert win.sidebar.current_section_id() == "part-two"
    other = make_window(qtbot)
    other.packs.prepare(big_pack(tmp_path / "x"), at_start=True, section="nosuch")
    qtbot.waitUntil(lambda: other.windowTitle() == "Big guide — ketreader")
    assert "ketreader: error: section not found: nosuch" in capsys.readouterr().err


def test_at_start_up_the_work_waits_for_the_first_paint(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences

    win = MainWindow(load_library(None).library, Preferences(resolve()))
    qtbot.addWidget(win)
    pack = big_pack(tmp_path)
    win.packs.prepare(pack, at_start=True)
    assert win.packs.preparing == pack
    qtbot.wait(50)
    assert slow.started == []  # the worker would slow the first paint down
    win.show()
    qtbot.waitUntil(lambda: slow.started == [pack])
    assert win.status_line is not None  # it began after the window's own after-paint work
    slow.release.set()
    qtbot.waitUntil(lambda: win.windowTitle() == "Big guide — ketreader")


def test_progress_is_coalesced_and_the_last_count_is_never_lost(
    qtbot: QtBot, slow: SlowPrepare, tmp_path: Path
) -> None:
    from ketreader.ui.pack_preparer import PackPreparer

    slow.steps = tuple((n, 5000) for n in range(5001))
    preparer = PackPreparer()
    counts: list[tuple[int, int]] = []
    preparer.progress.connect(lambda done, total: counts.append((done, total)))
    preparer.start(big_pack(tmp_path))
    qtbot.waitUntil(lambda: bool(counts) and counts[-1] == (5000, 5000))
    assert len(counts) < 100  # not one signal, and one repaint, per document
    assert counts == sorted(counts)
    preparer.shutdown()
