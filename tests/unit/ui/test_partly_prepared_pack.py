"""UI room tests: a big pack can be read as it is prepared, and Cancel brings back the old one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ketreader import library_loader, prepare
from ketreader.content.pack import load_pack
from ketreader.library import StoredLibrary
from ketreader.partial_library import STILL_PREPARING, PartialLibrary, stand_in_id
from ketreader.pipeline import cached_library
from ketreader.render.draft import DocumentDraft, render_draft
from ketreader.render.pack_render import render_pack
from ketreader.ui.main_window import MainWindow
from ketreader.ui.preparing_status import PreparingStatus
from tests.conftest import write_pack
from tests.unit.ui.conftest import make_window

WAIT_MS = 20000
GATE = 3  # documents before this one render at once; this one waits for the test


class Gate:
    """Stands in front of render_draft: document GATE waits until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.last = threading.Event()  # the last document waits for this one
        self.last.set()
        self.rendered: list[str] = []
        self._real = render_draft

    def __call__(self, path: str, text: str) -> DocumentDraft:
        if len(self.rendered) == GATE:
            self._wait(self.open)
        if path == "ch5.md":
            self._wait(self.last)
        self.rendered.append(path)
        return self._real(path, text)

    @staticmethod
    def _wait(event: threading.Event) -> None:
        deadline = time.monotonic() + 20
        while not event.wait(0.01):
            assert time.monotonic() < deadline, "the gate was never opened"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    fake = Gate()
    monkeypatch.setattr(prepare, "render_draft", fake)
    # Every pack counts as large: these small ones are prepared in the background too.
    monkeypatch.setattr(library_loader, "QUICK_OPEN_BYTES", 1)
    yield fake
    fake.open.set()
    fake.last.set()


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(_parent: object, _title: str, message: str) -> None:
        raise AssertionError(f"refused: {message}")

    monkeypatch.setattr(QMessageBox, "warning", refused)


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = make_window(qtbot)
    qtbot.waitUntil(lambda: win.status_line is not None)
    return win


def chapters(tmp_path: Path, count: int = 6, name: str = "chapters") -> Path:
    """Chapters sharing their headings' names; chapter 1 long enough to scroll in."""
    docs = {}
    for n in range(count):
        body = "\n\n".join(
            f"Paragraph {p} of chapter {n}. " * 8 for p in range(60 if n == 1 else 2)
        )
        docs[f"ch{n}.md"] = (
            f"# Chapter {n}\n\n## Introduction\n\n{body}\n\n## Notes\n\nSee [the notes](#notes)"
            f" and [chapter 0](ch0.md#introduction).\n"
        )
    return write_pack(tmp_path / name, docs, title="Chapters")


def partly_shown(win: MainWindow) -> bool:
    return isinstance(win.library, PartialLibrary)


def text(win: MainWindow) -> str:
    return win.view.document().toPlainText()


def status(win: MainWindow) -> PreparingStatus:
    found = win.findChild(PreparingStatus, "preparing-status")
    assert found is not None
    return found


def test_finished_documents_are_readable_before_the_rest(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    ticks: list[int] = []
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    assert window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert not gate.open.is_set() and window.packs.preparing is not None
    assert window.windowTitle() == "Chapters — ketreader"
    # The finished chapters read as they will, shared headings and all.
    assert window.open_section("introduction-3")
    assert "Paragraph 0 of chapter 2." in text(window)
    # Their outline is in the sidebar; the rest are greyed entries, in reading order.
    model = window.sidebar.model()
    tops = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert tops == ["Chapter 0", "Chapter 1", "Chapter 2", "ch3 (preparing…)",
                    "ch4 (preparing…)", "ch5 (preparing…)"]  # fmt: skip
    assert model.rowCount(model.index(2, 0)) == 2  # Introduction, Notes
    # Search covers the finished chapters, and says so.
    assert "prepared so far" in window.search.bar.placeholderText()
    assert status(window).ready.text().startswith("3 ready to read")
    qtbot.keyClicks(window.search.bar, "chapter")  # search is used: it is indexed
    qtbot.waitUntil(lambda: window.search.results.current_id() is not None)
    qtbot.waitUntil(
        lambda: window.search.bar.placeholderText() == "Search the 3 of 6 documents prepared so far"
    )
    assert status(window).ready.text() == "3 ready to read · search covers 3"
    hits = window.search.library.index.search("chapter").hits  # type: ignore[union-attr]
    assert {h.id for h in hits} <= {"chapter-0", "chapter-1", "chapter-2", "introduction",
                                    "introduction-2", "introduction-3", "notes", "notes-2",
                                    "notes-3"}  # fmt: skip
    ticks.clear()
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop runs throughout
    timer.stop()
    gate.open.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert isinstance(window.library, StoredLibrary)  # prepared and cached, as before


def test_an_unfinished_document_says_it_is_still_being_prepared(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    gate.last.clear()
    window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    model = window.sidebar.model()
    window.sidebar.clicked.emit(model.index(4, 0))
    assert STILL_PREPARING in text(window)
    assert window.current_section_id() == stand_in_id(4)
    gate.open.set()
    # It turns into the chapter when it is finished, without another click, while the
    # last chapter is still being prepared.
    qtbot.waitUntil(lambda: "Paragraph 0 of chapter 4." in text(window), timeout=WAIT_MS)
    assert window.packs.preparing is not None and partly_shown(window)
    assert window.current_section_id() == "chapter-4"
    assert model.index(4, 0).data() == "Chapter 4"
    gate.last.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert window.current_section_id() == "chapter-4"


def test_cancel_midway_brings_back_the_previous_pack_at_its_place(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    second = window.navigator.step(window.navigator.home, 2)
    assert second is not None and window.open_section(second)
    before = window.current_section_id()
    pack = chapters(tmp_path)
    window.open_pack(pack)
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    status(window).button.click()
    gate.open.set()  # the document being rendered finishes; nothing after it starts
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert window.windowTitle() == "What is ketamine? — ketreader"
    assert window.current_section_id() == before
    assert window.search.bar.placeholderText() == "" or "prepared" not in (
        window.search.bar.placeholderText()
    )
    assert cached_library(pack) is None  # nothing kept of the cancelled preparation
    assert len(gate.rendered) <= GATE + 1


def test_another_pack_opened_midway_stops_the_work(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n\nText.\n", "b.md": "# B\n"}, "Other")
    assert cached_library(other) is None
    prepare.prepare(other, lambda _d, _t: None, lambda: False)  # cached: it opens at once
    gate.rendered.clear()
    pack = chapters(tmp_path)
    window.open_pack(pack)
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    assert window.open_pack(other)  # in place of the partly prepared pack
    assert window.windowTitle() == "Other — ketreader"
    assert not partly_shown(window)
    gate.open.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    qtbot.wait(200)
    assert window.windowTitle() == "Other — ketreader"  # nothing switches back
    assert cached_library(pack) is None and len(gate.rendered) <= GATE + 1


def test_a_second_pack_to_prepare_brings_back_the_first_until_its_own_start_is_ready(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n\nText.\n", "b.md": "# B\n"}, "Other")
    window.open_pack(other)
    assert window.windowTitle() == "What is ketamine? — ketreader"
    gate.open.set()
    qtbot.waitUntil(lambda: window.windowTitle() == "Other — ketreader", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert isinstance(window.library, StoredLibrary)


def test_the_reader_stays_at_the_same_place_when_preparation_ends(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    pack = chapters(tmp_path)
    window.open_pack(pack)
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert window.open_section("chapter-1")
    shown_early = window.view.rendered
    assert shown_early is not None
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 1000
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(50)
    value, here = bar.value(), window.current_section_id()
    assert here == "introduction-2"
    gate.open.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert isinstance(window.library, StoredLibrary)
    assert window.current_section_id() == here
    assert bar.value() == value  # not a pixel moved
    # What was shown early is byte for byte what the full render gives.
    full = render_pack(load_pack(pack))
    assert shown_early == full.documents[1]
    assert window.library.document_html(1) == full.documents[1].html


def test_the_growing_outline_keeps_rows_and_parents_consistent(qtbot: QtBot) -> None:
    from PySide6.QtGui import QBrush

    from ketreader.render.model import Section
    from ketreader.ui.preparing_outline import GrowingSectionModel
    from ketreader.ui.section_model import SECTION_ID_ROLE

    stand_ins = tuple(Section(stand_in_id(n), f"d{n} (preparing…)", 1, None, n) for n in range(4))
    model = GrowingSectionModel(stand_ins, QBrush())
    one_top = (Section("b", "B", 1, None, 1), Section("b1", "B.1", 2, "b", 1))
    two_tops = (
        Section("c", "C", 1, None, 2),
        Section("c1", "C.1", 2, "c", 2),
        Section("c-again", "C again", 1, None, 2),
    )
    first = model.replace(stand_in_id(1), one_top)
    assert first is not None and first.row() == 1 and model.rowCount(first) == 1
    assert model.replace(stand_in_id(2), two_tops) is not None
    rows = [model.index(r, 0).data(SECTION_ID_ROLE) for r in range(model.rowCount())]
    assert rows == [stand_in_id(0), "b", "c", "c-again", stand_in_id(3)]
    for section_id in [*rows, "b1", "c1"]:
        index = model.index_of(section_id)
        assert index.isValid() and index.data(SECTION_ID_ROLE) == section_id
        parent = model.parent(index)
        assert model.index(index.row(), 0, parent) == index  # rows and parents agree
    assert model.index_of(stand_in_id(1)).isValid() is False
    assert model.data(model.index_of(stand_in_id(3)), 9) is not None  # greyed
    assert model.data(model.index_of("b"), 9) is None


def test_a_failure_found_at_the_end_brings_back_the_previous_pack(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, message: warnings.append(message))
    before = window.current_section_id()
    pack = chapters(tmp_path)
    (pack / "ch5.md").write_text("# Chapter 5\n\n" + ">" * 5000 + " too deep\n", "utf-8")
    window.open_pack(pack)
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    gate.open.set()
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT_MS)
    assert "ch5.md" in warnings[0]
    assert window.windowTitle() == "What is ketamine? — ketreader"
    assert window.current_section_id() == before
    assert cached_library(pack) is None


def test_the_section_count_follows_the_outline_as_it_grows(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    assert window.status_line is not None
    gate.last.clear()
    window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert window.open_section("chapter-2")
    # Chapters 0 to 2 have three sections each; chapters 3 to 5 are one greyed entry each.
    assert window.status_line.position.text() == "Section 7 of 12"
    gate.open.set()  # chapters 3 and 4 are finished; chapter 5 still waits
    qtbot.waitUntil(lambda: window.library.ready_count == 5, timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: (
            window.status_line is not None
            and window.status_line.position.text() == "Section 7 of 16"
        )
    )
    gate.last.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert window.status_line.position.text() == "Section 7 of 18"


def test_back_stays_available_when_preparation_ends(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    # The history was carried over to the prepared pack, but Back and Forward were left
    # as the fresh pack set them: disabled, so Alt+Left and the toolbar's Back did nothing
    # until the reader went somewhere else.
    window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert window.open_section("chapter-1")
    assert window.open_section("chapter-2")
    back = window.actions_by_name["back"]
    assert back.isEnabled()
    gate.open.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert isinstance(window.library, StoredLibrary)
    assert window.current_section_id() == "chapter-2"
    assert back.isEnabled()
    back.trigger()
    assert window.current_section_id() == "chapter-1"


def test_the_outline_row_at_the_top_of_the_sidebar_stays_there_as_documents_finish(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    # Each finished document's subsections are inserted under its entry; the tree kept its
    # scroll value in rows, so every insertion above the view pushed what the reader was
    # looking at down and out of sight, and a click landed on another entry than the one
    # aimed at (a greyed entry near the end became "Chapter 584").
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QAbstractItemView

    window.open_pack(chapters(tmp_path, count=300))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    tree = window.sidebar
    model = tree.model()
    target = model.index(150, 0)  # a greyed entry for a document not finished yet
    tree.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtTop)
    qtbot.wait(50)
    top = QPoint(4, 2)
    assert tree.indexAt(top) == target
    gate.open.set()
    qtbot.waitUntil(lambda: window.library.ready_count > 100, timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.wait(100)
    shown = tree.indexAt(top)
    assert (shown.row(), shown.parent().isValid()) == (150, False)


def test_the_sidebar_stays_where_the_reader_scrolled_it_when_preparation_ends(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path
) -> None:
    # The prepared pack's outline replaced the growing one from its first row: the sidebar
    # jumped back to the top (or to the current entry), away from where the reader was.
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QAbstractItemView

    window.open_pack(chapters(tmp_path, count=300))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    tree = window.sidebar
    tree.scrollTo(tree.model().index(150, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    qtbot.wait(50)
    top = QPoint(4, 2)
    assert tree.indexAt(top).data() == "ch150 (preparing…)"
    gate.open.set()
    qtbot.waitUntil(lambda: window.packs.preparing is None, timeout=WAIT_MS)
    assert isinstance(window.library, StoredLibrary)
    qtbot.wait(100)  # the new outline's later entries unfold meanwhile
    assert tree.indexAt(top).data() == "Chapter 150"
    assert tree.current_section_id() == window.current_section_id() == "chapter-0"


def test_the_status_bar_never_counts_fewer_documents_prepared_than_ready(qtbot: QtBot) -> None:
    # The count of documents prepared comes at most every so often; the count ready to read
    # with each batch taken: "1,145 of 4,800 documents" stood beside "1,147 ready to read".
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    shown = PreparingStatus(parent)
    shown.begin("Big", cancellable=True)
    shown.show_progress(1145, 4800)
    shown.show_ready(1147, 0)
    assert shown.label.text() == "Preparing Big: 1,147 of 4,800 documents"
    assert shown.bar.value() == 1147
    shown.show_progress(1146, 4800)  # counted before the batch was taken
    assert shown.label.text() == "Preparing Big: 1,147 of 4,800 documents"
    shown.show_progress(1300, 4800)
    assert shown.label.text() == "Preparing Big: 1,300 of 4,800 documents"
    assert shown.ready.text() == "1,147 ready to read"
    shown.begin("Other", cancellable=True)  # another pack counts from nothing
    shown.show_progress(2, 10)
    assert shown.label.text() == "Preparing Other: 2 of 10 documents"


def test_search_says_it_is_getting_ready_while_its_first_index_is_built(
    window: MainWindow, qtbot: QtBot, gate: Gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first query ran over an empty stand-in index while the finished documents were
    # indexed (seconds, on a big pack): "No results." for words the pack has.
    from ketreader.search.index import SearchIndex
    from ketreader.search.results import NO_RESULTS

    indexed = threading.Event()
    real = SearchIndex.build.__func__  # type: ignore[attr-defined]

    def slow(cls: type[SearchIndex], rendered: object) -> SearchIndex:
        if threading.current_thread() is not threading.main_thread():
            Gate._wait(indexed)  # the partial index, on its own thread
        built: SearchIndex = real(cls, rendered)
        return built

    monkeypatch.setattr(SearchIndex, "build", classmethod(slow))
    window.open_pack(chapters(tmp_path))
    qtbot.waitUntil(lambda: partly_shown(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.library.ready_count == GATE, timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.keyClicks(window.search.bar, "paragraph")
    results = window.search.results
    qtbot.waitUntil(lambda: window.left.currentWidget() is results)
    notices, hits = results.spoken_rows()
    assert notices == ["Indexing the 3 finished documents…"] and hits == []
    assert NO_RESULTS not in notices
    indexed.set()
    qtbot.waitUntil(lambda: results.current_id() is not None, timeout=WAIT_MS)
    notices, hits = results.spoken_rows()
    assert NO_RESULTS not in notices and hits
    assert window.left.currentWidget() is results
