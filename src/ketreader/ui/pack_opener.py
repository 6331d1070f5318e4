"""UI room: opening a pack in the window: at once when that is quick, else prepared meanwhile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ketreader.log import get

if TYPE_CHECKING:
    from ketreader.library import Library
    from ketreader.partial_library import PartialLibrary, PreparingPack
    from ketreader.ui.main_window import MainWindow
    from ketreader.ui.pack_preparer import PackPreparer
    from ketreader.ui.preparing_outline import GrowingSectionModel
    from ketreader.ui.preparing_status import PreparingStatus

_log = get("prepare")
# Finished documents are taken into the window about this many outline entries at a time,
# one batch per turn of the event loop: a big pack's thousands never hold up a keystroke.
BATCH_SECTIONS = 300
REACH_INTERVAL_MS = 250


class PackOpener(QObject):
    """Start-up's ``--content`` pack and File > Open Pack, without ever freezing the window.

    A cached, small or broken pack opens (or is refused) at once, as it always did. Any other
    is prepared by PackPreparer while the current pack stays shown and usable, with progress
    and Cancel in the status bar.

    As soon as the new pack's first document is finished, the window shows the new pack,
    partly prepared (partial_library.py): finished documents can be read, the others are
    greyed entries whose page says they are still being prepared, and each one turns into
    its own outline as it finishes. Search covers the finished documents and says so.
    When the whole pack is ready and cached, the window takes the prepared pack at the very
    place being read. Cancel, or a failure, brings back the pack shown before, at its
    place; nothing is cached. Opening another pack stops the work: one that opens at once
    replaces the partly prepared pack, one to prepare first brings back the pack shown
    before until its own first document is ready.
    """

    settled = Signal()  # a preparation ended: the pack is shown, refused or cancelled

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._preparer: PackPreparer | None = None
        self._status: PreparingStatus | None = None
        self._at_start = False  # a failure then is start-up's refusal: the guide stays
        self._section: str | None = None  # --section, for the pack being prepared
        self._label = ""
        self._deferred: Path | None = None  # asked for before the first paint
        self._partial: PartialLibrary | None = None  # the partly prepared pack shown
        self._outline: GrowingSectionModel | None = None
        self._before: tuple[Library, str | None, int] | None = None  # pack, place, scroll
        self._placeholder = ""  # the search field's own, while it speaks of the partial pack
        self._covered = 0  # documents the partial search index covers, as last shown
        self._reach_timer = QTimer(self)
        self._reach_timer.setInterval(REACH_INTERVAL_MS)
        self._reach_timer.timeout.connect(self._show_search_reach)

    @property
    def preparing(self) -> Path | None:
        """The pack being prepared (or about to be, once the window has painted), if any."""
        if self._deferred is not None:
            return self._deferred
        return self._preparer.target if self._preparer is not None else None

    @property
    def preparer(self) -> PackPreparer:
        if self._preparer is None:
            from ketreader.ui.pack_preparer import PackPreparer

            self._preparer = PackPreparer(self)
            self._preparer.progress.connect(self._progress)
            self._preparer.partial.connect(self._partly_ready)
            self._preparer.finished.connect(self._finished)
            self._preparer.failed.connect(self._failed)
            self._preparer.cancelled.connect(self._cancelled)
        return self._preparer

    def open(self, folder: Path) -> bool:
        """File > Open Pack: False when the pack is refused now (the current one stays)."""
        from ketreader.content.diagnostics import PackError
        from ketreader.library_loader import open_at_once

        try:
            opened = open_at_once(folder, fallback=False)
        except PackError as exc:
            self._refuse(str(exc), at_start=False)
            return False
        if opened is None:
            self.prepare(folder)
            return True
        self._stop_quietly()  # the pack asked for last is the one shown
        self._drop_partial()
        library = opened.library
        self._window.set_library(library, self._window.prefs.position(library.fingerprint))
        return True

    def prepare(self, folder: Path, *, at_start: bool = False, section: str | None = None) -> None:
        """Prepare ``folder`` in the background and switch to it when it is ready."""
        from ketreader.library_loader import pack_label

        self._at_start = at_start
        self._section = section
        if self._window.status_line is None:
            # Not painted yet: the worker would compete with the first paint for the
            # interpreter, so it starts right after it, as the status bar is built.
            if self._deferred is None:
                self._window.view.first_paint.connect(self._start_deferred)
            self._deferred = folder
            return
        self._label = pack_label(folder)
        if self._partial is not None:
            # The partly prepared pack would never finish: the one before it comes back
            # until the new pack's first document is ready.
            self._restore_before()
        _log.info("preparing %s in the background", folder)
        # A pack the policy sets is the one to show: no Cancel falls back to another.
        self.status.begin(self._label, cancellable=not self._window.prefs.locked("content"))
        self.preparer.start(folder)

    @Slot()
    def _start_deferred(self) -> None:
        self._window.view.first_paint.disconnect(self._start_deferred)
        # The window builds its status bar on the event loop's next turn; this comes after.
        QTimer.singleShot(0, self._begin_deferred)

    @Slot()
    def _begin_deferred(self) -> None:
        folder, self._deferred = self._deferred, None
        if folder is not None:
            self.prepare(folder, at_start=self._at_start, section=self._section)

    @property
    def status(self) -> PreparingStatus:
        if self._status is None:
            from ketreader.ui.preparing_status import PreparingStatus

            bar = self._window.statusBar()
            self._status = PreparingStatus(bar)
            self._status.cancel_requested.connect(self.cancel)
            bar.insertPermanentWidget(0, self._status)
            bar.show()
        return self._status

    @Slot()
    def cancel(self) -> None:
        """Cancel, Escape in the progress: stop preparing; the shown pack stays."""
        if self._preparer is None or not self._preparer.active:
            return
        if self._status is not None:
            self._status.cancelling()
        self._preparer.cancel()

    def _stop_quietly(self) -> None:
        self._deferred = None
        if self._preparer is not None and self._preparer.active:
            self._preparer.cancel()
        self._hide_status()

    def _hide_status(self) -> None:
        if self._status is not None:
            self._status.hide()

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self._status is not None and self._status.isVisible():
            self._status.show_progress(done, total)
            _log.debug("preparing %d of %d", done, total)

    # -- the partly prepared pack -------------------------------------------------------------

    @Slot(object)
    def _partly_ready(self, preparing: PreparingPack) -> None:
        if self._partial is not None:
            if self._partial.preparing is preparing:
                self._take_batch()
            return
        # --section names a place that may not be finished yet: that pack is shown whole.
        if self._section is not None or not preparing.is_ready(0):
            return
        self._show_partial(preparing)

    def _show_partial(self, preparing: PreparingPack) -> None:
        from ketreader.partial_library import GrowingNavigator, PartialLibrary
        from ketreader.ui.preparing_outline import GrowingSectionModel

        window = self._window
        self._before = (window.library, window.current_section_id(), _scroll(window))
        partial = PartialLibrary(preparing)
        partial.show(preparing.take(BATCH_SECTIONS))
        self._partial = partial
        # The placeholder text's brush: greyed, and no palette enums to build (15 ms).
        muted = window.sidebar.palette().placeholderText()
        self._outline = GrowingSectionModel(partial.sections, muted)
        window.sidebar.offer(self._outline)  # set_library shows it, rather than build another
        window.set_library(partial)
        window.navigator = GrowingNavigator(partial, window.navigator)
        self._placeholder = window.search.bar.placeholderText()
        window.search.getting_ready = self._search_getting_ready
        self._covered = 0
        self._show_search_reach()
        # The partial search index is built on a thread of its own when search is used:
        # the field says what it covers, and the query runs again, when a new one is ready.
        self._reach_timer.start()
        _log.info("showing %s while it is prepared", partial.title)
        if preparing.pending():
            QTimer.singleShot(0, self._take_batch)

    @Slot()
    def _take_batch(self) -> None:
        """Finished documents into the window, one bounded batch per event-loop turn."""
        from ketreader.partial_library import stand_in_id

        partial, outline = self._partial, self._outline
        if partial is None or outline is None:
            return
        batch = partial.preparing.take(BATCH_SECTIONS)
        if not batch:
            return
        partial.show(batch)
        window = self._window
        shown = window.view.rendered
        reopen = None
        # Entries inserted above the view would push what the reader sees out of it, and a
        # click aimed at one entry would land on another.
        with window.sidebar.holding_still():
            for ready in batch:
                top = outline.replace(stand_in_id(ready.number), ready.sections)
                if top is not None and outline.rowCount(top):
                    window.sidebar.unfold(top)
                if shown is not None and shown.title_id == stand_in_id(ready.number):
                    reopen = ready.sections[0].id  # its page said "still preparing"
        if reopen is not None:
            window.forget_shown_document()
            window.open_section(reopen, record=False)
        window.outline_grew()
        self._show_search_reach()
        if partial.preparing.pending():
            QTimer.singleShot(0, self._take_batch)

    @Slot()
    def _show_search_reach(self) -> None:
        partial = self._partial
        if partial is None:
            return
        covered = partial.search_covers
        text = (
            f"Search the {covered:,} of {partial.document_count:,} documents prepared so far"
            if covered
            else "Search covers the documents prepared so far"
        )
        bar = self._window.search.bar
        bar.setPlaceholderText(text)
        if self._status is not None:
            self._status.show_ready(partial.ready_count, covered)
        if covered != self._covered:
            self._covered = covered
            if bar.text().strip():
                self._window.search.run(bar.text())  # the query, over the larger index

    def _search_getting_ready(self) -> str | None:
        """While the first partial index is built: say so, rather than "No results."."""
        partial = self._partial
        count = partial.preparing.first_index_pending() if partial is not None else 0
        if not count:
            return None
        return f"Indexing the {count:,} finished document{'s' if count > 1 else ''}…"

    def _drop_partial(self) -> None:
        """Forget the partly prepared pack (another pack is about to be shown)."""
        if self._partial is None:
            return
        self._partial = None
        self._outline = None
        self._before = None
        self._reach_timer.stop()
        self._window.search.getting_ready = None
        self._window.search.bar.setPlaceholderText(self._placeholder)

    def _restore_before(self) -> None:
        """The pack shown before the partly prepared one, at its place."""
        before = self._before
        self._drop_partial()
        if before is None:
            return
        library, place, scroll = before
        self._window.set_library(library, place)
        _set_scroll(self._window, scroll)

    def _continue_in(self, library: Library) -> None:
        """The prepared pack in place of the partly prepared one, where the reader is."""
        from ketreader.partial_library import STAND_IN_PREFIX, is_stand_in

        partial = self._partial
        assert partial is not None
        window = self._window
        place = window.current_section_id()
        shown = window.view.rendered
        number = partial.number_of(shown.path) if shown is not None else None
        scroll = _scroll(window)
        same = (
            number is not None
            and partial.is_ready(number)
            and partial.document(number).html == library.document_html(number)
        )
        if is_stand_in(place):
            place = library.document(number).title_id if number is not None else None
        history = window.navigator.history
        seen = window.sidebar.seen_section()  # the new outline shows the same entries
        self._drop_partial()
        window.set_library(library, place)
        window.navigator.history = history
        window.update_history_actions()  # set_library left them as a fresh pack's
        if seen is not None:
            entry, where = seen
            if is_stand_in(entry):  # a document taken in no batch yet: its top entry
                entry = library.document(int(entry.removeprefix(STAND_IN_PREFIX))).title_id
            window.sidebar.put_section_back(entry, where)
        if same:
            _set_scroll(window, scroll)  # the same page, laid out alike: not a pixel moves
        _log.debug("switched to %s", library.title)
        _log.debug("continued at %s", place)

    @Slot(object)
    def _finished(self, library: Library) -> None:
        self._hide_status()
        window = self._window
        if self._partial is not None:
            self._continue_in(library)
            self.settled.emit()
            return
        section = self._section
        start = section or window.prefs.position(library.fingerprint)
        found = window.set_library(library, start)
        _log.debug("switched to %s", library.title)
        if section and not found:
            print(f"ketreader: error: section not found: {section}", file=sys.stderr)
        self.settled.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._hide_status()
        self._restore_before()
        self._refuse(message, at_start=self._at_start)
        self.settled.emit()

    @Slot()
    def _cancelled(self) -> None:
        shown = self._status is not None and self._status.isVisible()
        self._hide_status()
        back = self._partial is not None
        self._restore_before()
        if shown:
            how = "back to" if back else "still showing"
            self._window.statusBar().showMessage(
                f"Stopped preparing {self._label}; {how} {self._window.library.title}", 8000
            )
        self.settled.emit()

    def shutdown(self) -> None:
        """The window closes: stop any preparation, waiting for it only a bounded time."""
        self._deferred = None
        if self._preparer is not None:
            self._preparer.shutdown()
        self._drop_partial()
        self._hide_status()

    def _refuse(self, message: str, *, at_start: bool) -> None:
        from PySide6.QtWidgets import QMessageBox

        _log.info("refused: %s", message)
        if not at_start:
            QMessageBox.warning(self._window, "Content pack refused", message)
            return
        # Start-up's refusal: the bundled guide stays. open(), not exec(): the dialog must not
        # block the event loop.
        print(f"ketreader: error: {message} (showing the bundled guide)", file=sys.stderr)
        show_refusal(self._window, message)


def _scroll(window: MainWindow) -> int:
    return window.view.verticalScrollBar().value()


def _set_scroll(window: MainWindow, value: int) -> None:
    window.view.verticalScrollBar().setValue(value)


def show_refusal(window: MainWindow, message: str) -> None:
    """The start-up dialog for a ``--content`` pack that cannot be opened."""
    from PySide6.QtWidgets import QMessageBox

    from ketreader.ui.qt_namespace import qt

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Content pack refused",
        f"{message}\n\nShowing the bundled guide instead.",
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setAttribute(qt().WidgetAttribute.WA_DeleteOnClose)
    box.open()
