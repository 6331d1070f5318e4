"""UI room: search as you type: the field, the results list, highlights and F3."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QToolBar, QWidget

from ketreader.library import Library
from ketreader.log import get
from ketreader.ui.qt_namespace import qt
from ketreader.ui.reader_view import ReaderView
from ketreader.ui.search_bar import SearchBar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from ketreader.search.index import SearchResult
    from ketreader.ui.results_list import ResultsList

_log = get("search")
# Results in the list: a screenful and a little more. Each row is laid out as rich text, so
# fewer rows keep a keystroke's results within a frame or two on a large pack.
RESULTS_SHOWN = 12


class SearchController(QObject):
    """Runs queries, shows and opens results, and moves through the matches in the text."""

    def __init__(
        self,
        window: QMainWindow,
        toolbar: QToolBar,
        left: QStackedWidget,
        sidebar: QWidget,
        view: ReaderView,
        open_section: Callable[[str], bool],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._toolbar = toolbar
        self._left = left
        self._sidebar = sidebar
        self._view = view
        self._open_section = open_section
        self.library: Library | None = None
        self.bar = SearchBar(window)
        self._results: ResultsList | None = None  # created by the first search
        self._match_label: QLabel | None = None  # created by the first match count
        self._last: SearchResult | None = None
        # What to say while the pack's index is still being built (a pack being
        # prepared: ui/pack_opener.py), rather than "No results."; None once it is built.
        self.getting_ready: Callable[[], str | None] | None = None
        toolbar.addWidget(self.bar)
        self.bar.query_changed.connect(self.run)
        self.bar.move_selection.connect(self.move_selection)
        self.bar.accepted.connect(self.open_selected)
        self.bar.dismissed.connect(self.dismiss)
        view.escape_pressed.connect(self.dismiss)
        view.highlights.match_changed.connect(self.show_match_count)

    def reset(self, library: Library) -> None:
        """A new pack: nothing of the last pack's search may point into this one."""
        self.library = library
        self._last = None
        self.getting_ready = None
        self.bar.blockSignals(True)
        self.bar.clear()
        self.bar.blockSignals(False)
        if self._results is not None:
            self._results.clear()
        self._left.setCurrentWidget(self._sidebar)
        self._view.highlights.clear()

    # -- widgets made on first use ---------------------------------------------------------

    @property
    def results(self) -> ResultsList:
        if self._results is None:
            from ketreader.ui.results_list import ResultsList

            self._results = ResultsList(self._window)
            self._left.addWidget(self._results)
            self._results.result_chosen.connect(self.open_result)
            self._results.search_instead.connect(self.search_as_typed)
        return self._results

    @property
    def match_label(self) -> QLabel:
        """The "3 of 12" beside the search field."""
        if self._match_label is None:
            from PySide6.QtWidgets import QLabel

            self._match_label = QLabel(self._window)
            self._match_label.setObjectName("match-count")
            self._match_label.setAccessibleName("Match count")
            self._match_label.setAccessibleDescription("Which search match is current, of how many")
            self._toolbar.addWidget(self._match_label)
        return self._match_label

    # -- typing and choosing -------------------------------------------------------------

    @Slot()
    def focus(self) -> None:
        self.bar.setFocus(qt().FocusReason.ShortcutFocusReason)
        self.bar.selectAll()

    @Slot(str)
    def run(self, query: str, correct: bool = True) -> None:
        # A new query: the old one's highlights and "2 of 4" no longer mean anything.
        self._view.highlights.clear()
        if not query.strip() or self.library is None:
            self._left.setCurrentWidget(self._sidebar)
            self._last = None
            return
        from ketreader.search.index import SearchUnavailableError

        started = time.perf_counter()
        try:
            result = self.library.index.search(query, RESULTS_SHOWN, correct=correct)
        except SearchUnavailableError as exc:
            # Reading still works without FTS5; say why search does not, once, and stop.
            self.bar.setEnabled(False)
            self.bar.setPlaceholderText("Search is unavailable on this computer")
            self._window.statusBar().showMessage(str(exc))
            _log.warning("%s", exc)
            return
        elapsed = time.perf_counter() - started
        self.bar.adapt_debounce(elapsed)
        if result.plan is None and not result.hits:
            # Nothing to search yet (a first letter, punctuation): no "No results." flash.
            self._left.setCurrentWidget(self._sidebar)
            self._last = None
            return
        waiting = self.getting_ready() if self.getting_ready and not result.hits else None
        if waiting:
            # The query runs again when the index is ready (ui/pack_opener.py).
            self._last = None
            self.results.show_notice(waiting)
            self._left.setCurrentWidget(self.results)
            return
        self._last = result
        self.results.show_result(result)
        self._left.setCurrentWidget(self.results)
        _log.debug("search %d results for %r in %.1f ms", len(result.hits), query, elapsed * 1e3)

    @Slot(str)
    def search_as_typed(self, query: str) -> None:
        """ "Search instead for …": the query exactly as typed, with no correction."""
        self.run(query, correct=False)
        self.bar.setFocus(qt().FocusReason.OtherFocusReason)

    @Slot(int)
    def move_selection(self, step: int) -> None:
        if self._results is not None and self._left.currentWidget() is self._results:
            self._results.move_selection(step)

    @Slot()
    def open_selected(self) -> None:
        if self._results is None or self._left.currentWidget() is not self._results:
            return
        self._results.activate_current()

    @Slot(str)
    def open_result(self, section_id: str) -> None:
        if not self._open_section(section_id):
            return
        result = self._last
        if result is not None and self.library is not None:
            words = self.library.index.highlight_words(result)
            top = self._view.top_position()
            hit = next((h for h in result.hits if h.id == section_id), None)
            answer = None
            if hit is not None and hit.answer_parts:
                from ketreader.ui.highlights import find_text

                raw = self._view.document().toRawText()
                answer = find_text(raw, hit.answer_parts, max(0, top - 1))
            highlights = self._view.highlights
            highlights.show(words, start_at=answer[0] if answer else top, answer=answer)
            if answer is not None:
                # The answer is what the reader asked for: it comes into view, with context.
                highlights.reveal(answer[0])
                _log.debug("answer shown at %d for %r", answer[0], result.query)
            if highlights.count:
                highlights.step(0)
        self._view.setFocus(qt().FocusReason.OtherFocusReason)

    @Slot()
    def dismiss(self) -> None:
        """Escape: close the results, clear the highlights and the selected match."""
        self._left.setCurrentWidget(self._sidebar)
        self._view.highlights.clear()
        cursor = self._view.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self._view.setTextCursor(cursor)

    # -- moving through matches ------------------------------------------------------------

    @Slot()
    def next_match(self) -> None:
        self._step(1)

    @Slot()
    def previous_match(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        if self._view.highlights.step(step):
            where = "top" if step > 0 else "bottom"
            self._window.statusBar().showMessage(f"Search wrapped to the {where}", 4000)

    @Slot(int, int)
    def show_match_count(self, current: int, total: int) -> None:
        if total or self._match_label is not None:
            self.match_label.setText(f" {current} of {total} " if total else "")
