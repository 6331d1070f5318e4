"""UI room: View > Read Aloud: play, pause, stop, speed and voice, and why it is unavailable.

Built with the window's actions, after the first paint; nothing here touches a speech
service until the View menu opens or a read-aloud key is pressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Built with the actions inside the first paint's handler: a plain class (a QObject subclass
# costs PySide a few milliseconds to create), and the speech modules (5 ms) wait for first use.
if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from ketreader.speech.engine import Engine, Listener
    from ketreader.speech.services import Availability
    from ketreader.ui.read_aloud import ReadAloud
    from ketreader.ui.reader_view import ReaderView

ACTIONS = ("read-aloud", "stop-reading", "read-faster", "read-slower", "read-voice")
RATE_STEP = 0.25
PLAY_TEXT = {"stopped": "&Read Aloud", "speaking": "&Pause Reading", "paused": "&Resume Reading"}


def _default_engine(listener: Listener) -> Engine:
    from ketreader.speech.services import open_engine

    return open_engine(listener)


def _default_availability() -> Availability:
    from ketreader.speech.services import availability

    return availability()


class ReadAloudControl:
    """The window's read-aloud actions; the reader and its speech engine are made on first use."""

    def __init__(self, window: QMainWindow, view: ReaderView) -> None:
        self.window = window
        self.view = view
        self.open_engine: Callable[[Listener], Engine] = _default_engine
        self.find_services: Callable[[], Availability] = _default_availability
        self.reader: ReadAloud | None = None
        self.actions: dict[str, QAction] = {}
        self._reason: str | None = None  # None: not asked yet; "": available

    def attach(self, actions: dict[str, QAction]) -> None:
        """Take the table's read-aloud actions; ask about speech when their menu first opens."""
        self.actions = {name: actions[name] for name in ACTIONS if name in actions}
        play = self.actions.get("read-aloud")
        if play is None:
            return  # the policy does not allow reading aloud
        from PySide6.QtWidgets import QApplication, QMenu

        for widget in play.associatedObjects():
            if isinstance(widget, QMenu) and isinstance(widget.parent(), QMenu):
                parent = widget.parent()
                assert isinstance(parent, QMenu)
                parent.aboutToShow.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- availability ----------------------------------------------------------------------

    def check(self) -> bool:
        """Whether a speech service is here; if not, the actions are disabled, saying why."""
        if self._reason is None:
            from ketreader.speech.engine import SpeechUnavailableError

            try:
                found = self.find_services()
                self._reason = "" if found.available else found.reason
            except (OSError, SpeechUnavailableError) as exc:  # a broken system library
                self._reason = f"No speech: {exc}"
            self._show_reason()
        return not self._reason

    def _show_reason(self) -> None:
        reason = self._reason or ""
        for action in self.actions.values():
            action.setEnabled(not reason)
            action.setToolTip(reason or action.text().replace("&", ""))
            action.setStatusTip(reason)
        play = self.actions.get("read-aloud")
        if play is not None:
            for widget in play.associatedObjects():
                from PySide6.QtWidgets import QMenu

                if isinstance(widget, QMenu):  # the Read Aloud submenu's entry in View
                    widget.menuAction().setEnabled(not reason)
                    widget.menuAction().setToolTip(reason)

    def _unavailable(self, reason: str) -> None:
        self._reason = reason
        self._show_reason()
        self.window.statusBar().showMessage(reason, 10000)

    def _reader(self) -> ReadAloud | None:
        if self.reader is None:
            if not self.check():
                self.window.statusBar().showMessage(self._reason or "", 10000)
                return None
            from ketreader.speech.engine import SpeechUnavailableError
            from ketreader.ui.read_aloud import ReadAloud

            try:
                self.reader = ReadAloud(self.view, self.open_engine)
            except (OSError, SpeechUnavailableError) as exc:
                self._unavailable(f"No speech: {exc}")
                return None
            self.reader.state_changed.connect(self._show_state)
            self.reader.failed.connect(self._failed)
        return self.reader

    # -- the actions' slots ------------------------------------------------------------------

    def toggle(self) -> None:
        reader = self._reader()
        if reader is not None:
            reader.toggle(self.start_position)

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()

    def faster(self) -> None:
        self._nudge(RATE_STEP)

    def slower(self) -> None:
        self._nudge(-RATE_STEP)

    def _nudge(self, step: float) -> None:
        reader = self._reader()
        if reader is not None:
            rate = reader.set_rate(reader.rate + step)
            self.window.statusBar().showMessage(f"Reading speed: {speed_percent(rate)}%", 4000)

    def choose_voice(self) -> None:
        reader = self._reader()
        if reader is None:
            return
        from ketreader.ui.read_aloud_dialog import VoiceDialog

        language = str(getattr(getattr(self.window, "library", None), "language", "") or "")
        dialog = VoiceDialog(reader.voices(), language, reader.rate, self.window)
        if dialog.exec():
            if dialog.voice_id():
                reader.set_voice(dialog.voice_id())
            reader.set_rate(dialog.rate())

    def shutdown(self) -> None:
        if self.reader is not None:
            self.reader.close()

    # -- state -------------------------------------------------------------------------------

    def start_position(self) -> int:
        """Where reading starts: a selection's start, else the current section's heading."""
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            return cursor.selectionStart()
        section = self.view.section_at_top()
        document = self.view.rendered
        if section is None or document is None:
            return self.view.top_position()
        anchor = next((m.anchor for m in document.marks if m.section_id == section), None)
        found = anchor_position(self.view, anchor) if anchor else 0
        return found if found is not None else self.view.top_position()

    def _show_state(self, state: str) -> None:
        play = self.actions.get("read-aloud")
        if play is not None:
            play.setText(PLAY_TEXT.get(state, PLAY_TEXT["stopped"]))

    def _failed(self, message: str) -> None:
        self.window.statusBar().showMessage(f"Reading aloud stopped: {message}", 10000)


def speed_percent(rate: float) -> int:
    percent: int = round(100 * 2.0**rate)
    return percent


def anchor_position(view: ReaderView, anchor: str) -> int | None:
    """The document position of the named anchor, or None."""
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if anchor in fragment.charFormat().anchorNames():
                return fragment.position()
            fragments += 1
        block = block.next()
    return None
