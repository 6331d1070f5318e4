"""UI room tests: the reader's accessible interfaces, in-process (AT-SPI itself: tests/a11y)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ketreader.ui.a11y.search_access import results_message
from ketreader.ui.a11y.structure import read_structure
from tests.conftest import run_python

# Accessibility already active before the window exists (a screen reader that was running
# when the reader started): Qt makes its own interfaces then, before the factory is installed
# right after the first paint; the factory must take their place.
ALREADY_ACTIVE = """
import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication
app = QApplication([])
QAccessible.setActive(True)
from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow
window = MainWindow(load_library(None).library, Preferences(resolve()))
early = QAccessible.queryAccessibleInterface(window.view.viewport())
before = [type(early).__name__, early.childCount()]
# The window wires accessibility on the turn after its first paint; quit on the one after.
window.view.first_paint.connect(lambda: QTimer.singleShot(0, app.quit))
window.show()
app.exec()
view = QAccessible.queryAccessibleInterface(window.view.viewport())
application = QAccessible.queryAccessibleInterface(app)
children = [view.child(i) for i in range(view.childCount())]
Role = QAccessible.Role
print(json.dumps({
    "before": before,
    "after": type(view).__name__,
    "headings": [c.text(QAccessible.Text.Name) for c in children if c.role() == Role.Heading],
    "notes": sum(c.role() == Role.Note for c in children),
    "description": application.text(QAccessible.Text.Description),
}))
"""


def test_interfaces_made_before_the_factory_are_replaced() -> None:
    result = run_python("-c", ALREADY_ACTIVE)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["before"] == ["QAccessibleWidget", 0]  # Qt's own: no structure
    assert found["after"] == "GuideStructure"
    assert found["headings"][:2] == ["What is ketamine?", "Introduction: A clear overview"]
    assert len(found["headings"]) == 20 and found["notes"] == 1
    assert (
        found["description"]
        == "Offline reader for the clinical-education guide “What is ketamine?”"
    )


def test_structure_of_a_document(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(
        '<h1><a name="top"></a>Title</h1><p><a name="n1"></a>Be careful.</p>'
        '<h2><a name="part"></a>Part</h2><p>See <a href="#top"><i>the</i> top</a> or '
        '<a href="https://example.org/">elsewhere</a>.</p>'
    )
    items = read_structure(document, ["n1"])
    assert [(i.kind, i.text, i.level, i.target) for i in items] == [
        ("heading", "Title", 1, ""),
        ("note", "Be careful.", 0, ""),
        ("heading", "Part", 2, ""),
        ("link", "the top", 0, "#top"),  # one link across its emphasis
        ("link", "elsewhere", 0, "https://example.org/"),
    ]
    assert "part" in items[2].anchors


def test_result_counts_in_words() -> None:
    assert results_message(0, "zzqxv") == "No results"
    assert results_message(1, "bladder", "Risks") == "1 result; first: Risks"
    assert results_message(12, "risk", "Risks") == "12 results; first: Risks"
    assert results_message(3, "  ") == ""  # nothing typed: nothing said


def _outline_states(sidebar: QObject) -> dict[str, tuple[bool, bool]]:
    """Each sidebar entry's (expandable, expanded), as Qt tells assistive technology."""
    from PySide6.QtGui import QAccessible

    tree = QAccessible.queryAccessibleInterface(sidebar)
    cells = [tree.child(i) for i in range(tree.childCount())]
    return {
        c.text(QAccessible.Text.Name).rsplit(", level ", 1)[0]: (
            bool(c.state().expandable),
            bool(c.state().expanded),
        )
        for c in cells
        if c.role() == QAccessible.Role.TreeItem
    }


def test_only_entries_with_questions_under_them_are_expanded(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from tests.unit.ui.conftest import make_window

    window = make_window(qtbot)
    states = _outline_states(window.sidebar)
    # A leaf is neither expandable nor expanded: "expanded" on it would promise entries.
    assert states["Introduction: A clear overview"] == (False, False)
    assert states["Pain management"] == (False, False)
    assert states["Approved medical uses"] == (True, True)
    assert states["Frequently asked questions"] == (True, True)
    assert [t for t, (expandable, _) in states.items() if expandable] == [
        "What is ketamine?",
        "Approved medical uses",
        "Frequently asked questions",
    ]
    # Left folds the current entry; its state says so.
    window.sidebar.setCurrentIndex(
        window.sidebar.model().index(4, 0, window.sidebar.model().index(0, 0))
    )
    assert window.sidebar.currentIndex().data() == "Approved medical uses"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Left)
    assert _outline_states(window.sidebar)["Approved medical uses"] == (True, False)


def test_what_is_said_about_the_results_is_what_the_list_shows(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketreader.ui.a11y import search_access
    from tests.unit.ui.conftest import make_window
    from tests.unit.ui.test_search_display import type_query

    said: list[str] = []
    monkeypatch.setattr(search_access, "announce_after_pause", lambda _t, m: said.append(m))
    window = make_window(qtbot)

    def heard(query: str) -> str:
        type_query(window, qtbot, query)
        return said[-1]

    # A corrected word: the correction first, then the hits only ("Search instead for"
    # is a choice, not a result).
    assert heard("bladdr") == (
        "Showing results for bladder. 1 result; first: Risks of misuse and long-term concerns"
    )
    # Only common words: the advice the list shows, not "No results".
    assert heard("the").startswith("“the” has only common words. Add a word for what")
    # No section has every word: said before the closest matches.
    partial = heard("ketamine zzqx")
    assert partial.startswith("No section has every word; showing the closest matches. ")
    assert " results; first: " in partial
    assert heard("zzqxv") == "No results"
    assert heard("bladder") == "1 result; first: Risks of misuse and long-term concerns"


def test_opening_a_result_says_the_match_once_after_focus_moved(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ketreader.ui.a11y import search_access
    from tests.unit.ui.conftest import make_window
    from tests.unit.ui.test_search_display import type_query

    said: list[tuple[str, object]] = []
    monkeypatch.setattr(
        search_access, "announce", lambda _t, m: said.append((m, QApplication.focusWidget()))
    )
    window = make_window(qtbot)
    type_query(window, qtbot, "ketamine")
    qtbot.keyClick(window.search.bar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(said))
    qtbot.wait(50)
    # Once, and when the text has focus: a screen reader speaks the newly focused text
    # first and would cut short anything said before it.
    assert len(said) == 1
    message, focused = said[0]
    assert message.endswith(f" of {window.view.highlights.count}")
    assert focused is window.view
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: len(said) == 2)
