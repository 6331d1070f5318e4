"""UI room: opening a pack in the window: at once when that is quick, else prepared meanwhile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ketreader.log import get

if TYPE_CHECKING:
    from ketreader.library import Library
    from ketreader.ui.main_window import MainWindow
    from ketreader.ui.pack_preparer import PackPreparer
    from ketreader.ui.preparing_status import PreparingStatus

_log = get("prepare")


class PackOpener(QObject):
    """Start-up's ``--content`` pack and File > Open Pack, without ever freezing the window.

    A cached, small or broken pack opens (or is refused) at once, as it always did. Any other
    is prepared by PackPreparer while the current pack stays shown and usable, with progress
    and Cancel in the status bar; when ready, the window switches to it at its saved place.
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

    @Slot(object)
    def _finished(self, library: Library) -> None:
        self._hide_status()
        window = self._window
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
        self._refuse(message, at_start=self._at_start)
        self.settled.emit()

    @Slot()
    def _cancelled(self) -> None:
        shown = self._status is not None and self._status.isVisible()
        self._hide_status()
        if shown:
            self._window.statusBar().showMessage(
                f"Stopped preparing {self._label}; still showing {self._window.library.title}",
                8000,
            )
        self.settled.emit()

    def shutdown(self) -> None:
        """The window closes: stop any preparation, waiting for it only a bounded time."""
        self._deferred = None
        if self._preparer is not None:
            self._preparer.shutdown()
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
