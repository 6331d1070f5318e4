"""UI room tests: the reader's accessible interfaces, in-process (AT-SPI itself: tests/a11y)."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from ketreader.ui.a11y.search_access import results_message
from ketreader.ui.a11y.structure import read_structure
from tests.conftest import run_python

# Accessibility already active before the window exists (a screen reader that was running
# when the reader started): Qt makes its own interfaces then, before the factory is installed
# right after the first paint; the factory must take their place.
ALREADY_ACTIVE = """
import json
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


def _outline_states(sidebar: object) -> dict[str, tuple[bool, bool]]:
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
