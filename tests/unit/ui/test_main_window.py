"""UI room tests: sidebar navigation, scroll-spy, search flow and links."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ketreader.render.model import Section
from ketreader.ui.main_window import MainWindow
from tests.conftest import run_python
from tests.unit.ui.conftest import make_window


def heading_at_top(win: MainWindow) -> int:
    return win.view.cursorForPosition(QPoint(0, 2)).position()


def anchor_position(win: MainWindow, anchor: str) -> int:
    from ketreader.ui.note_frames import anchor_positions

    return anchor_positions(win.view.document())[anchor]


def test_title_names_the_pack(window: MainWindow) -> None:
    assert window.windowTitle() == "What is ketamine? — ketreader"


def test_sidebar_nests_level_three_under_parent(window: MainWindow) -> None:
    model = window.sidebar.model()
    root = model.index(0, 0)
    assert root.data() == "What is ketamine?"
    assert model.rowCount(root) == 13
    approved = window.sidebar._model.index_of("approved-medical-uses")  # type: ignore[union-attr]
    assert [model.index(r, 0, approved).data() for r in range(model.rowCount(approved))] == [
        "Anesthesia and sedation",
        "Pain management",
        "Emergency and disaster medicine",
    ]


def test_sidebar_click_brings_heading_to_top(window: MainWindow, qtbot: QtBot) -> None:
    sidebar = window.sidebar
    index = sidebar._model.index_of("legal-and-regulatory-considerations")  # type: ignore[union-attr]
    sidebar.scrollTo(index)
    rect = sidebar.visualRect(index)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    top = heading_at_top(window)
    target = anchor_position(window, "legal-and-regulatory-considerations")
    block = window.view.document().findBlock(target)
    assert block.position() <= top <= block.position() + block.length()
    assert window.view.section_at_top() == "legal-and-regulatory-considerations"


def test_scrolling_moves_the_sidebar(window: MainWindow, qtbot: QtBot) -> None:
    bar = window.view.verticalScrollBar()
    with qtbot.waitSignal(window.view.section_in_view, timeout=2000) as blocker:
        window.view.scroll_to_anchor("does-ketamine-cure-depression")
    assert blocker.args == ["does-ketamine-cure-depression"]
    assert window.sidebar.current_section_id() == "does-ketamine-cure-depression"
    bar.setValue(0)
    assert window.sidebar.current_section_id() == "what-is-ketamine"


def test_resumed_parent_text_spies_as_parent(window: MainWindow) -> None:
    window.view.scroll_to_anchor("approved-medical-uses--resume-1")
    assert window.sidebar.current_section_id() == "approved-medical-uses"
    window.view.scroll_to_anchor("what-is-ketamine--resume-2")  # the closing safety note
    assert window.sidebar.current_section_id() == "what-is-ketamine"


def test_search_flow_enter_opens_first_result_with_highlights(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.search.focus()
    with qtbot.waitSignal(window.search.bar.query_changed, timeout=2000):
        qtbot.keyClicks(window.search.bar, "risk")
    assert window.left.currentWidget() is window.search.results
    first = window.search.results.current_id()
    assert first is not None
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    assert window.view.section_at_top() == first
    current, total = (int(n) for n in window.search.match_label.text().split(" of "))
    assert total >= 4  # "risks" and "risk" forms across the guide
    # The current match is the first one in the opened section, not the document's first.
    match = window.view.textCursor()
    assert match.selectedText().lower().startswith("risk")
    assert match.selectionStart() >= anchor_position(window, first)
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.search.match_label.text().strip() == f"{current % total + 1} of {total}"
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.search.match_label.text().strip() == f"{current} of {total}"


def test_down_arrow_then_enter_opens_second_result(window: MainWindow, qtbot: QtBot) -> None:
    window.search.focus()
    qtbot.keyClicks(window.search.bar, "ketamine")
    window.search.bar.flush()
    second = window.search.results.item(1).data(Qt.ItemDataRole.UserRole + 2)
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Down)
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    assert window.navigator.history.current == second


def test_escape_closes_results_and_clears_highlights(window: MainWindow, qtbot: QtBot) -> None:
    window.search.focus()
    qtbot.keyClicks(window.search.bar, "bladder")
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    window.search.focus()
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Escape)
    assert window.left.currentWidget() is window.sidebar
    assert window.view.extraSelections() == []


def test_internal_link_navigates_and_back_returns(window: MainWindow) -> None:
    window.view.internal_link.emit("key-takeaways")
    assert window.view.section_at_top() == "key-takeaways"
    window.go_back()
    assert window.view.section_at_top() == "what-is-ketamine"
    window.go_forward()
    assert window.view.section_at_top() == "key-takeaways"


def test_external_link_needs_confirmation(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", opened.append)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.view.highlighted.emit(QUrl("https://example.org/page"))
    assert "https://example.org/page" in window.statusBar().currentMessage()
    window.view.external_link.emit(QUrl("https://example.org/page"))
    assert opened == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Open)
    window.view.external_link.emit(QUrl("https://example.org/page"))
    assert opened == [QUrl("https://example.org/page")]


def _broken_image() -> object:
    from ketreader.ui.reader_view import _broken_image as broken

    return broken()


def test_view_refuses_resources_from_outside_the_pack(window: MainWindow) -> None:
    from PySide6.QtGui import QTextDocument

    image = QTextDocument.ResourceType.ImageResource.value
    for url in (
        "file:///etc/passwd",
        "https://example.org/x.png",
        "../outside.png",
        "data:image/png;base64,AAAA",
    ):
        # Qt's own broken-image icon: given None, Qt would read the path from the disk itself.
        assert window.view.loadResource(image, QUrl(url)) == _broken_image()
    sheet = QTextDocument.ResourceType.StyleSheetResource.value
    assert window.view.loadResource(sheet, QUrl("file:///etc/passwd")).isEmpty()


def test_none_returning_calls_do_not_leak_none(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on CPython 3.11 dropped a None reference per call and aborted.
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText("x" if i % 2 else "y")
    assert sys.getrefcount(None) >= before - 100
    assert QApplication.instance() is not None


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        ([], "what-is-ketamine"),
        (["--section", "pain-management"], "pain-management"),
        (["--section", "ketreader://section/key-takeaways"], "key-takeaways"),
    ],
)
def test_quit_after_paint_opens_the_section_asked_for(extra: list[str], shown: str) -> None:
    result = run_python("-m", "ketreader", "--debug-log", "--quit-after-paint", *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    opened = [
        line.rsplit(" ", 1)[-1] for line in result.stderr.splitlines() if ": section " in line
    ]
    assert opened[-1] == shown, result.stderr


def test_an_unknown_section_says_so_and_opens_the_beginning() -> None:
    result = run_python("-m", "ketreader", "--quit-after-paint", "--section", "nosuch-section")
    assert result.returncode == 0, result.stderr
    assert "ketreader: error: section not found: nosuch-section" in result.stderr


def test_missing_fts5_disables_search_with_a_reason(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.search import index as index_module

    def no_fts5() -> None:
        raise index_module.SearchUnavailableError("search needs SQLite with FTS5")

    monkeypatch.setattr(index_module, "require_fts5", no_fts5)
    window.search.run("bladder")
    assert not window.search.bar.isEnabled()
    assert "FTS5" in window.statusBar().currentMessage()
    window.open_section("key-takeaways")  # reading goes on
    assert window.view.section_at_top() == "key-takeaways"


def test_view_loads_images_from_inside_the_pack(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtGui import QTextDocument

    root = tmp_path / "p"
    from PySide6.QtGui import QColor, QImage

    (root / "img").mkdir(parents=True)
    figure = QImage(30, 12, QImage.Format.Format_RGB32)
    figure.fill(QColor("#00aa00"))
    assert figure.save(str(root / "img" / "fig.png"))
    (root / "img" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (root / "pack.toml").write_text('title = "P"\ndocuments = ["a.md"]\n', "utf-8")
    (root / "a.md").write_text("# P\n\n![fig](img/fig.png) ![bad](img/bad.png)\n", "utf-8")
    win = make_window(qtbot, pack=root)
    image = QTextDocument.ResourceType.ImageResource.value
    shown = win.view.loadResource(image, QUrl("img/fig.png"))
    assert shown.size().width() == 30 and QColor(shown.pixel(5, 5)) == QColor("#00aa00")
    assert win.view.loadResource(image, QUrl("img/../../p/img/fig.png")) == _broken_image()
    # Data that is no image is shown broken; Qt would otherwise look for the name on disk.
    assert win.view.loadResource(image, QUrl("img/bad.png")) == _broken_image()


def test_window_icon_is_set_after_the_first_paint(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not window.windowIcon().isNull(), timeout=2000)
    assert 256 in [size.width() for size in window.windowIcon().availableSizes()]


def test_open_pack_switches_or_refuses_and_keeps_the_guide(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_pack

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    broken = write_pack(tmp_path / "broken", {"a.md": "# A\n"})
    (broken / "pack.toml").write_text("title = \n", "utf-8")
    assert not window.open_pack(broken)
    assert warnings and "pack.toml" in warnings[0]
    assert window.windowTitle() == "What is ketamine? — ketreader"
    other = write_pack(tmp_path / "other", {"a.md": "# Other\n\n## Part two\n"}, title="Other")
    assert window.open_pack(other)
    assert window.windowTitle() == "Other — ketreader"
    assert window.sidebar.model().index(0, 0).data() == "Other"
    window.search.run("part")
    assert window.search.results.current_id() == "part-two"


def test_escape_in_the_text_clears_highlights(window: MainWindow, qtbot: QtBot) -> None:
    window.search.focus()
    qtbot.keyClicks(window.search.bar, "risk")
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    assert window.view.hasFocus() and window.view.extraSelections()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.extraSelections() == []
    assert window.left.currentWidget() is window.sidebar
    assert window.search.match_label.text() == ""


def test_safety_note_is_framed_apart_in_the_view(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextFrame

    def framed_notes() -> list[QTextFrame]:
        frames = window.view.document().rootFrame().childFrames()
        return [f for f in frames if f.frameFormat().padding() > 0]

    # Framed right after the first paint: see ReaderView._load.
    qtbot.waitUntil(lambda: len(framed_notes()) == 1, timeout=2000)
    note = framed_notes()
    cursor = note[0].firstCursorPosition()
    assert cursor.block().text().startswith("Always consult qualified healthcare professionals")
    assert note[0].frameFormat().border() > 0
    window.view.scroll_to_anchor("what-is-ketamine--resume-2")
    assert window.sidebar.current_section_id() == "what-is-ketamine"


def test_the_window_opens_at_its_start_building_the_outline_once(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.library_loader import load_library
    from ketreader.policy import resolve
    from ketreader.preferences import Preferences
    from ketreader.ui.sidebar import Sidebar

    built: list[int] = []
    real = Sidebar.set_sections

    def counting(self: Sidebar, sections: tuple[Section, ...]) -> None:
        built.append(len(sections))
        real(self, sections)

    monkeypatch.setattr(Sidebar, "set_sections", counting)
    library = load_library(None).library
    window = MainWindow(library, Preferences(resolve()), "pain-management")
    qtbot.addWidget(window)
    assert window.start_found and window.sidebar.current_section_id() == "pain-management"
    assert len(built) == 1
    elsewhere = MainWindow(library, Preferences(resolve()), "no-such-section")
    qtbot.addWidget(elsewhere)
    assert not elsewhere.start_found
