"""UI room: the search field, its results and its match count, told to screen readers.

Qt's AT-SPI bridge drops active-descendant events, so a result chosen while the caret stays
in the field would be chosen silently. Down in the field therefore moves keyboard focus into
the results list (which then announces the chosen result), and the list hands typing back.
Counts ("No results", "3 of 12") are announcements: live status text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

from ketreader.search.results import NO_RESULTS, SOME_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from PySide6.QtWidgets import QLineEdit, QListWidget

    from ketreader.ui.main_window import MainWindow

# "No results." is said as the count; the heading over the closest matches is for the eye.
_UNSPOKEN_NOTICES = (NO_RESULTS, SOME_WORDS)
# Results change on every keystroke: say their count once typing pauses.
ANNOUNCE_PAUSE_MS = 400
CONTROLLING_SIGNAL = "move_selection(int)"


def announce(target: QObject, message: str) -> None:
    """Ask assistive technology to say ``message`` politely (a live status, not an alert)."""
    if message and QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(target, message))


class _Later(QObject):
    """One pending announcement per target; a newer message replaces the waiting one."""

    def __init__(self, target: QObject) -> None:
        super().__init__(target)
        self.message = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(ANNOUNCE_PAUSE_MS)
        self.timer.timeout.connect(lambda: announce(target, self.message))


def announce_after_pause(target: QObject, message: str) -> None:
    later = target.findChild(_Later)
    if later is None:
        later = _Later(target)
    later.message = message
    later.timer.start()


def results_message(hits: int, query: str, first_title: str = "",
                    notices: Iterable[str] = ()) -> str:  # fmt: skip
    """The list's notices (a correction, closest matches, only common words), then "No
    results", or the count and the best result (Down then goes to the second)."""
    if not query.strip():
        return ""
    said = [n if n.endswith((".", "?", "!")) else f"{n}." for n in notices
            if n not in _UNSPOKEN_NOTICES]  # fmt: skip
    if hits:
        count = "1 result" if hits == 1 else f"{hits} results"
        said.append(f"{count}; first: {first_title}" if first_title else count)
    elif not said:
        said.append("No results")
    return " ".join(said)


def add_controlling_signal(search_bar: QObject) -> None:
    """Make the field "controller for" whatever receives its move_selection (the results).

    Qt derives that relation from a widget interface's controlling signals and their
    receivers (QAccessibleWidget::addControllingSignal); the field keeps Qt's own line-edit
    interface, so the signal is added to that interface in place.
    """
    import shiboken6
    from PySide6.QtWidgets import QAccessibleWidget

    if search_bar.property("ketreader-controls"):
        return  # once: a second signal would name the list twice
    native = QAccessible.queryAccessibleInterface(search_bar)
    if native is None:
        return
    search_bar.setProperty("ketreader-controls", True)
    # The line edit's interface is a QAccessibleWidget first (Qt's QAccessibleLineEdit):
    # viewing it as one is safe, and the view does not own it.
    widget = shiboken6.wrapInstance(shiboken6.getCppPointer(native)[0], QAccessibleWidget)
    assert isinstance(widget, QAccessibleWidget)
    widget.addControllingSignal(CONTROLLING_SIGNAL)


def follow_choice(results: QListWidget, step: int) -> None:
    """Down in the field chose a result: focus the list, so the chosen result is announced."""
    from ketreader.ui.qt_namespace import qt

    if step <= 0 or not results.isVisible() or results.currentRow() < 0:
        return
    row = results.currentRow()
    results.setFocus(qt().FocusReason.OtherFocusReason)
    # Qt announces an item when it becomes current in a focused view: enter it again.
    results.setCurrentRow(-1)
    results.setCurrentRow(row)


class ResultsKeys(QObject):
    """Keys in the focused results list that belong to the search field go back to it.

    Typing, Backspace and Escape return to the field with the key; Up on the first result
    returns without it. Enter stays: the list opens the chosen result itself.
    """

    def __init__(self, field: QLineEdit, results: QListWidget) -> None:
        super().__init__(results)
        self.field = field
        self.results = results
        results.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress:
            return False
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        from ketreader.ui.qt_namespace import qt

        assert isinstance(event, QKeyEvent)
        key = event.key()
        selectable = qt().ItemFlag.ItemIsSelectable
        first = next(
            (r for r in range(self.results.count()) if self.results.item(r).flags() & selectable),
            -1,
        )
        typed = bool(event.text()) and event.text().isprintable()
        back = key == qt().Key.Key_Up and self.results.currentRow() <= first
        handed = typed or key in (qt().Key.Key_Backspace, qt().Key.Key_Escape)
        if handed or back:
            self.field.setFocus(qt().FocusReason.OtherFocusReason)
            if handed:
                copy = QKeyEvent(event.type(), key, event.modifiers(), event.text())
                QApplication.sendEvent(self.field, copy)
            return True
        return False


class SearchAnnouncer(QObject):
    """Announces result counts and the current match; attaches to the results list once made."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.results: QListWidget | None = None
        self._match_message = ""
        self._match_pending = False
        search = window.search
        # Connected after the search controller's own handlers: they have run when these do.
        search.bar.query_changed.connect(self._searched)
        window.view.highlights.match_changed.connect(self._match_changed)

    def _searched(self, query: str) -> None:
        from ketreader.ui.results_list import ResultsList

        results = self.window.findChild(ResultsList)
        if results is None:
            return
        if self.results is None:
            self.results = results
            bar = self.window.search.bar
            # The list itself receives the field's signal: that is what makes the field
            # "controller for" the list over AT-SPI.
            bar.move_selection.connect(results.follow_search_field)
            ResultsKeys(bar, results)
        notices, titles = results.spoken_rows()
        first = titles[0] if titles else ""
        announce_after_pause(results, results_message(len(titles), query, first, notices))

    def _match_changed(self, current: int, total: int) -> None:
        from PySide6.QtWidgets import QLabel

        label = self.window.findChild(QLabel, "match-count")
        if label is None or not total:
            return
        label.setAccessibleName(f"Match {current} of {total}")
        # Opening a result reports the match twice and then moves focus to the text; a
        # screen reader speaks the newly focused text and cuts short what came before. So
        # say it once, on the next turn of the event loop, when focus has settled.
        self._match_message = f"{current} of {total}"
        if not self._match_pending:
            self._match_pending = True
            QTimer.singleShot(0, self, lambda: self._say_match(label))

    def _say_match(self, label: QObject) -> None:
        self._match_pending = False
        announce(label, self._match_message)
