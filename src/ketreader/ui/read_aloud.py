"""UI room: reads the view's text aloud a sentence at a time, highlighting what is spoken.

The speech engine reports from its own thread; a queued signal brings each report to the GUI
thread. Word-reporting engines move the highlight word by word, the others sentence by
sentence. The highlight is one extra selection laid over the view's own (search highlights
stay), and the view scrolls only when it would leave the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal, Slot

from ketreader.speech.engine import Engine, Listener, SpeechEvent, Voice

if TYPE_CHECKING:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QTextEdit

EngineFactory = Callable[[Listener], Engine]
# Characters of the document's raw text that are structure, not words: paragraph and line
# separators, frame boundaries (a framed safety note), object replacement (images).
_SILENT = str.maketrans({c: " " for c in "\u2029\u2028\ufdd0\ufdd1\ufffc\u00ad"})
READ_MARK = 0x100100  # QTextFormat.UserProperty + 0x100: marks the read-aloud highlight


class Sentence(NamedTuple):
    start: int  # document position of its first character
    text: str  # as spoken; offsets in it are offsets from ``start``

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def next_sentence(text: str, position: int) -> Sentence | None:
    """The sentence of ``text`` that contains ``position`` (or the next one), or None at the end.

    Unicode sentence boundaries (UAX #29, as Qt finds them); paragraph separators end a
    sentence too, so a heading is read as a sentence of its own.
    """
    from PySide6.QtCore import QTextBoundaryFinder

    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Sentence, text)
    finder.setPosition(max(0, min(position, len(text))))
    if not finder.isAtBoundary():
        finder.toPreviousBoundary()
    start = max(finder.position(), 0)
    while True:
        end = finder.toNextBoundary()
        if end == -1:
            return None
        chunk = text[start:end].translate(_SILENT)
        lead = len(chunk) - len(chunk.lstrip())
        sentence = Sentence(start + lead, chunk.strip())
        # A position in the spaces after a sentence's last word belongs to the next one.
        if sentence.text and sentence.end > position:
            return sentence
        start = end


class ReadAloud(QObject):
    """Play, pause, resume and stop over one speech engine; follows and highlights the text."""

    state_changed = Signal(str)  # "speaking", "paused" or "stopped"
    spoken = Signal(int, int)  # the highlighted span: document position, length
    failed = Signal(str)  # why reading stopped, in words for the user
    _reported = Signal(object)  # a SpeechEvent, from the engine's thread

    def __init__(self, view: QTextEdit, open_engine: EngineFactory) -> None:
        super().__init__(view)
        from ketreader.ui.qt_namespace import qt

        self.view = view
        self._reported.connect(self._on_event, qt().ConnectionType.QueuedConnection)
        # The engine calls back from its own thread: emitting a signal is safe from any thread.
        self.engine = open_engine(self._reported.emit)
        self.state = "stopped"
        self.rate = 0.0
        self._text = ""
        self._sentence: Sentence | None = None
        self._utterance = 0
        self._word: tuple[int, int] | None = None  # the last word heard, document span
        self._resume_at: int | None = None
        view.document().contentsChanged.connect(self._text_changed)

    # -- controls ----------------------------------------------------------------------------

    def start(self, position: int) -> None:
        """Read from ``position`` to the end of the document."""
        self._text = self.view.document().toRawText()
        self._set_state("speaking")
        self._speak_from(position)

    def toggle(self, position: Callable[[], int]) -> None:
        """Start (from ``position()``), pause or resume, whichever comes next."""
        if self.state == "speaking":
            self.pause()
        elif self.state == "paused":
            self.resume()
        else:
            self.start(position())

    def pause(self) -> None:
        if self.state != "speaking":
            return
        if self.engine.can_pause:
            self.engine.pause()
        else:
            # Stop, and speak again from the word that was being said.
            sentence = self._sentence
            self._resume_at = self._word[0] if self._word else (sentence.start if sentence else 0)
            self._utterance += 1
            self.engine.stop()
        self._set_state("paused")

    def resume(self) -> None:
        if self.state != "paused":
            return
        self._set_state("speaking")
        if self.engine.can_pause:
            self.engine.resume()
        else:
            self._speak_from(self._resume_at or 0)

    def stop(self) -> None:
        if self.state == "stopped":
            return
        self._utterance += 1  # whatever the engine still reports is about the past
        self.engine.stop()
        self._sentence = None
        self._highlight(None)
        self._set_state("stopped")

    def set_rate(self, rate: float) -> float:
        """-1.0 (half speed) to 1.0 (twice); used from the next sentence on."""
        self.rate = max(-1.0, min(1.0, rate))
        self.engine.set_rate(self.rate)
        return self.rate

    def voices(self) -> list[Voice]:
        return self.engine.voices()

    def set_voice(self, voice_id: str) -> None:
        self.engine.set_voice(voice_id)

    def close(self) -> None:
        self.stop()
        self.engine.close()

    # -- speaking ----------------------------------------------------------------------------

    def _speak_from(self, position: int) -> None:
        sentence = next_sentence(self._text, position)
        if sentence is not None and position > sentence.start:
            # Resuming inside a sentence: from that word on.
            cut = position - sentence.start
            sentence = Sentence(position, sentence.text[cut:])
        self._sentence = sentence
        self._word = None
        if sentence is None:
            self._highlight(None)
            self._set_state("stopped")
            return
        if not self.engine.words:
            self._highlight(sentence.start, len(sentence.text))
        self._utterance += 1
        self.engine.speak(self._utterance, sentence.text)

    @Slot(object)
    def _on_event(self, event: SpeechEvent) -> None:
        if event.kind == "error":
            self.stop()
            self.failed.emit(event.message)
            return
        if event.utterance != self._utterance or self._sentence is None:
            return  # stopped, paused or moved on since
        if event.kind == "word":
            span = (self._sentence.start + event.start, event.length)
            if span != self._word:  # numbers are reported once per spoken part
                self._word = span
                self._highlight(*span)
        elif event.kind == "end":
            self._speak_from(self._sentence.end)
        elif event.kind == "cancelled":
            # Not ours (ours changed the utterance first): another program took the voice,
            # as a screen reader's own speech does with speech-dispatcher.
            self._sentence = None
            self._highlight(None)
            self._set_state("stopped")

    @Slot()
    def _text_changed(self) -> None:
        # Another section, pack or theme: the positions being read no longer hold.
        if self.state != "stopped" and self.view.document().toRawText() != self._text:
            self.stop()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    # -- the highlight -------------------------------------------------------------------------

    def _highlight(self, position: int | None, length: int = 0) -> None:
        from PySide6.QtGui import QTextCharFormat, QTextCursor
        from PySide6.QtWidgets import QTextEdit

        kept = [s for s in self.view.extraSelections() if not s.format.hasProperty(READ_MARK)]
        if position is None:
            self.view.setExtraSelections(kept)
            return
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setProperty(READ_MARK, True)
        palette = self.view.palette()
        fmt.setBackground(palette.highlight())
        fmt.setForeground(palette.highlightedText())
        selection.format = fmt
        selection.cursor = cursor
        self.view.setExtraSelections([*kept, selection])
        self._keep_in_view(cursor)
        self.spoken.emit(position, length)

    def _keep_in_view(self, cursor: QTextCursor) -> None:
        """Scroll only when the spoken text leaves the view; then put it a third of the way down."""
        rect = self.view.cursorRect(cursor)
        viewport = self.view.viewport().rect()
        if rect.top() < 0 or rect.bottom() > viewport.height():
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - viewport.height() // 3)
