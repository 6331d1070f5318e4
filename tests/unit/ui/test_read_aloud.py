"""UI room tests: reading aloud, with espeak-ng's real voice and with a scripted engine."""

from __future__ import annotations

import threading
from array import array
from pathlib import Path

from pytestqt.qtbot import QtBot

from ketreader.speech.engine import Listener, SpeechEvent, Voice
from ketreader.speech.services import Availability
from ketreader.ui.main_window import MainWindow
from ketreader.ui.read_aloud import READ_MARK, Sentence, next_sentence
from tests.conftest import run_python
from tests.tools import require
from tests.unit.ui.conftest import make_window

TEXT = "Ketamine is an anaesthetic. It was first made in 1962.\u2029Uses\u2029It is listed."


def highlighted(window: MainWindow) -> list[str]:
    return [
        s.cursor.selectedText()
        for s in window.view.extraSelections()
        if s.format.hasProperty(READ_MARK)
    ]


def test_sentences_from_the_reading_position() -> None:
    first = next_sentence(TEXT, TEXT.index("It was"))
    assert first == Sentence(TEXT.index("It was"), "It was first made in 1962.")
    # From inside a sentence, that whole sentence; a heading is a sentence of its own.
    assert next_sentence(TEXT, TEXT.index("anaesthetic")) == Sentence(0, TEXT[:27])
    heading = next_sentence(TEXT, first.end)
    assert heading == Sentence(TEXT.index("Uses"), "Uses")
    assert next_sentence(TEXT, len(TEXT)) is None


class ScriptedEngine:
    """An engine the test drives: ``run`` says the next words (or all), then the end."""

    name = "scripted"

    def __init__(self, listener: Listener, words: bool = True, can_pause: bool = False) -> None:
        self.listener = listener
        self.words = words
        self.can_pause = can_pause
        self.spoken: list[str] = []
        self.calls: list[str] = []
        self._queue: list[SpeechEvent] = []

    def speak(self, utterance: int, text: str) -> None:
        from ketreader.speech.engine import word_spans

        self.spoken.append(text)
        self._queue = [SpeechEvent("start", utterance)]
        if self.words:
            self._queue += [SpeechEvent("word", utterance, s, n) for s, n in word_spans(text)]
        self._queue.append(SpeechEvent("end", utterance))

    def run(self, count: int = 1_000) -> None:
        """Report the next ``count`` events of the sentence being spoken, from another thread."""
        events, self._queue = self._queue[:count], self._queue[count:]
        worker = threading.Thread(target=lambda: [self.listener(e) for e in events])
        worker.start()
        worker.join()

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def stop(self) -> None:
        self.calls.append("stop")
        self._queue = []

    def set_rate(self, rate: float) -> None:
        self.calls.append(f"rate {rate}")

    def voices(self) -> list[Voice]:
        return [Voice("en-x", "English X", "en-GB"), Voice("fr-y", "French Y", "fr")]

    def set_voice(self, voice_id: str) -> None:
        self.calls.append(f"voice {voice_id}")

    def close(self) -> None:
        self.calls.append("close")


def settled_window(qtbot: QtBot) -> MainWindow:
    """A window whose text is final: the safety note is framed just after the first paint,
    and a change of the text stops reading (the positions being read no longer hold)."""
    window = make_window(qtbot)
    qtbot.waitUntil(lambda: bool(window.view.document().rootFrame().childFrames()))
    return window


def scripted_window(qtbot: QtBot, **engine: bool) -> tuple[MainWindow, list[ScriptedEngine]]:
    window = settled_window(qtbot)
    made: list[ScriptedEngine] = []

    def open_engine(listener: Listener) -> ScriptedEngine:
        made.append(ScriptedEngine(listener, **engine))
        return made[-1]

    window.build_actions()
    window.read_aloud.open_engine = open_engine
    window.read_aloud.find_services = lambda: Availability(True, "", ("scripted",))
    return window, made


def test_reads_the_current_section_on_word_by_word(qtbot: QtBot) -> None:
    window, made = scripted_window(qtbot)
    window.open_section("pain-management")
    window.actions_by_name["read-aloud"].trigger()
    reader = window.read_aloud.reader
    assert reader is not None
    words: list[str] = []
    reader.spoken.connect(lambda *_: words.extend(highlighted(window)))
    engine = made[0]
    engine.run()  # the heading, every word
    qtbot.waitUntil(lambda: len(engine.spoken) == 2)
    engine.run(3)  # the start, then two words of the first sentence
    qtbot.waitUntil(lambda: len(words) == 4)
    # The section's heading first, then its text, sentence by sentence, every word lit.
    assert engine.spoken[0] == "Pain management"
    section = window.library.section("pain-management")
    assert section is not None
    assert window.library.rendered.section_text(section).startswith(engine.spoken[1])
    assert words == ["Pain", "management", *engine.spoken[1].split()[:2]]
    assert window.actions_by_name["read-aloud"].text() == "&Pause Reading"
    window.actions_by_name["stop-reading"].trigger()
    assert highlighted(window) == []
    assert window.actions_by_name["read-aloud"].text() == "&Read Aloud"
    engine.run()  # whatever the engine still says about the stopped sentence is ignored
    qtbot.wait(20)
    assert highlighted(window) == [] and len(engine.spoken) == 2


def test_pause_then_resume_goes_on_from_the_word_it_stopped_at(qtbot: QtBot) -> None:
    window, made = scripted_window(qtbot)
    window.open_section("pain-management")
    window.build_actions()["read-aloud"].trigger()
    engine = made[0]
    engine.run()
    qtbot.waitUntil(lambda: len(engine.spoken) == 2)
    engine.run(4)  # the start and three words
    third = engine.spoken[1].split()[2].strip(",.")
    qtbot.waitUntil(lambda: highlighted(window) == [third])
    window.actions_by_name["read-aloud"].trigger()  # pause
    assert window.read_aloud.reader is not None
    assert window.read_aloud.reader.state == "paused"
    assert window.actions_by_name["read-aloud"].text() == "&Resume Reading"
    assert engine.calls == ["stop"]  # this engine cannot pause: it stops, the place is kept
    window.actions_by_name["read-aloud"].trigger()  # resume
    assert len(engine.spoken) == 3
    assert engine.spoken[2].startswith(third)  # again from the word it was saying
    assert engine.spoken[1].endswith(engine.spoken[2])


def test_reading_starts_at_a_selection_and_the_word_is_kept_in_view(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextCursor

    window, made = scripted_window(qtbot)
    window.open_section("what-is-ketamine")  # the top of the guide is shown
    document = window.view.document()
    found = document.find("Research explores its")  # in the last section, far below the view
    assert not found.isNull()
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    window.view.verticalScrollBar().setValue(0)  # the selection is off screen again
    window.build_actions()["read-aloud"].trigger()
    engine = made[0]
    assert engine.spoken[0].startswith("Research explores its")
    engine.run(3)
    qtbot.waitUntil(lambda: highlighted(window) == ["explores"])
    shown = next(s for s in window.view.extraSelections() if s.format.hasProperty(READ_MARK))
    rect = window.view.cursorRect(shown.cursor)
    assert rect.top() >= 0 and rect.bottom() <= window.view.viewport().height()
    window.actions_by_name["stop-reading"].trigger()


def test_sentence_engines_light_whole_sentences(qtbot: QtBot) -> None:
    window, made = scripted_window(qtbot, words=False, can_pause=True)
    window.open_section("pain-management")
    window.build_actions()["read-aloud"].trigger()
    engine = made[0]
    assert highlighted(window) == ["Pain management"]
    engine.run()
    qtbot.waitUntil(lambda: len(engine.spoken) == 2)
    assert highlighted(window) == [engine.spoken[1]]
    window.actions_by_name["read-aloud"].trigger()
    assert engine.calls[-1] == "pause"  # an engine that can pause keeps its place itself
    window.actions_by_name["read-aloud"].trigger()
    assert engine.calls[-1] == "resume"
    window.actions_by_name["stop-reading"].trigger()
    assert engine.calls[-1] == "stop"


def test_a_speech_error_stops_and_says_why(qtbot: QtBot) -> None:
    window, made = scripted_window(qtbot)
    window.build_actions()["read-aloud"].trigger()
    made[0].run(2)
    qtbot.waitUntil(lambda: bool(highlighted(window)))
    made[0].listener(SpeechEvent("error", -1, message="the sound output failed"))
    qtbot.waitUntil(lambda: "the sound output failed" in window.statusBar().currentMessage())
    assert window.read_aloud.reader is not None
    assert window.read_aloud.reader.state == "stopped"
    assert highlighted(window) == []


def test_speed_and_voice(qtbot: QtBot) -> None:
    window, made = scripted_window(qtbot)
    window.build_actions()["read-faster"].trigger()
    assert made[0].calls == ["rate 0.25"]
    assert window.statusBar().currentMessage() == "Reading speed: 119%"
    window.actions_by_name["read-slower"].trigger()
    window.actions_by_name["read-slower"].trigger()
    assert made[0].calls[-1] == "rate -0.25"
    from ketreader.ui.read_aloud_dialog import VoiceDialog, voices_for

    # The guide is in English: its voices first; every language on request.
    assert [v.id for v in voices_for(made[0].voices(), "en")] == ["en-x"]
    dialog = VoiceDialog(made[0].voices(), "en", 0.5)
    qtbot.addWidget(dialog)
    assert dialog.voice.count() == 2  # the default, then the one English voice
    dialog.every_language.setChecked(True)
    assert dialog.voice.count() == 3
    dialog.voice.setCurrentIndex(2)
    assert dialog.voice_id() == "fr-y"
    assert dialog.rate() == 0.5
    assert dialog.speed_label.text() == "141% of normal speed"


def test_without_a_speech_service_the_item_is_disabled_saying_why(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    actions = window.build_actions()
    reason = "No speech service on this computer: install speech-dispatcher or espeak-ng"
    window.read_aloud.find_services = lambda: Availability(False, reason)
    window.read_aloud.check()
    for name in ("read-aloud", "stop-reading", "read-voice"):
        assert not actions[name].isEnabled()
        assert actions[name].toolTip() == reason
    submenu = [w for w in actions["read-aloud"].associatedObjects() if w is not window]
    assert submenu and not submenu[0].menuAction().isEnabled()  # type: ignore[attr-defined]
    window.read_aloud.toggle()  # the shortcut, say: a message, never an error
    assert window.statusBar().currentMessage() == reason


def test_a_service_that_fails_to_open_disables_the_item(qtbot: QtBot) -> None:
    window = make_window(qtbot)
    window.build_actions()
    from ketreader.speech.engine import SpeechUnavailableError

    def broken(_listener: Listener) -> ScriptedEngine:
        raise SpeechUnavailableError("speech-dispatcher could not be reached: no socket")

    window.read_aloud.find_services = lambda: Availability(True, "", ("speechd",))
    window.read_aloud.open_engine = broken
    window.read_aloud.toggle()
    action = window.actions_by_name["read-aloud"]
    assert not action.isEnabled()
    assert action.toolTip() == "No speech: speech-dispatcher could not be reached: no socket"


def test_the_policy_can_forbid_reading_aloud(qtbot: QtBot, isolated_user_dirs: Path) -> None:
    window = make_window(qtbot, policy="[ketreader]\nallow_read_aloud = false\n",
                         home=isolated_user_dirs)  # fmt: skip
    actions = window.build_actions()
    assert not [name for name in actions if name.startswith("read") or name == "stop-reading"]
    from PySide6.QtWidgets import QMenu

    view_menu = window.menuBar().actions()[1].menu()
    assert isinstance(view_menu, QMenu)
    assert "&Read Aloud" not in [a.text() for a in view_menu.actions()]


PAINT_PROBE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ketreader.library_loader import load_library
from ketreader.policy import resolve
from ketreader.preferences import Preferences
from ketreader.ui.main_window import MainWindow
window = MainWindow(load_library(None).library, Preferences(resolve()))
seen = []
def loaded():
    return sorted(m for m in sys.modules if "speech" in m or "read_aloud" in m)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen.append(loaded())  # before the view paints and reports its first paint
        return False
probe = FirstPaint()
window.view.viewport().installEventFilter(probe)
# The window builds its actions on the turn after the first paint; quit right after that.
window.view.first_paint.connect(lambda: QTimer.singleShot(0, app.quit))
window.show()
app.exec()
print("AT PAINT", seen[0], "AFTER", loaded())
"""


def test_nothing_of_read_aloud_is_imported_before_the_first_paint() -> None:
    result = run_python("-c", PAINT_PROBE)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("AT PAINT"))
    at_paint, _, after = line.removeprefix("AT PAINT ").partition(" AFTER ")
    assert at_paint == "[]"
    # The actions, built right after the first paint, bring the control (no speech service).
    assert "ketreader.ui.read_aloud_control" in after
    assert "ketreader.speech.speechd" not in after and "ketreader.speech.espeak" not in after


# -- espeak-ng's real voice, synthesized to samples ---------------------------------------------


def test_espeak_reads_a_section_aloud_and_its_words_move_the_highlight(qtbot: QtBot) -> None:
    from ketreader.speech import espeak

    require("" if espeak.library_name() else "libespeak-ng is not installed",
            "libespeak-ng1 espeak-ng-data")  # fmt: skip
    samples: array[int] = array("h")
    lock = threading.Lock()

    def sink(block: array[int]) -> None:
        with lock:
            samples.extend(block)

    window = settled_window(qtbot)
    window.build_actions()
    window.read_aloud.open_engine = lambda listener: espeak.EspeakEngine(
        listener, "retrieval", sink
    )
    window.open_section("pain-management")
    window.actions_by_name["read-aloud"].trigger()
    reader = window.read_aloud.reader
    assert reader is not None
    lit: list[tuple[str, bool]] = []  # each highlighted word, and whether it was on screen

    def seen(position: int, length: int) -> None:
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(window.view.document())
        cursor.setPosition(position)
        rect = window.view.cursorRect(cursor)
        on_screen = rect.top() >= 0 and rect.bottom() <= window.view.viewport().height()
        lit.append((highlighted(window)[0], on_screen))

    reader.spoken.connect(seen)
    section = window.library.section("pain-management")
    assert section is not None
    text = window.library.rendered.section_text(section)
    expected = ["Pain", "management", *text.replace("’", "'").split()[:30]]
    qtbot.waitUntil(lambda: len(lit) >= len(expected), timeout=30_000)
    window.actions_by_name["stop-reading"].trigger()
    words = [w for w, _ in lit[: len(expected)]]
    assert words == [w.strip(".,;:()“”\"'") for w in expected]
    assert all(on_screen for _, on_screen in lit)  # the spoken word is kept in view
    with lock:
        heard = list(samples)
    assert len(heard) > 22050  # more than a second of speech at espeak-ng's 22,050 Hz
    peak = max(abs(s) for s in heard)
    rms = (sum(s * s for s in heard) / len(heard)) ** 0.5
    assert peak > 8000 and rms > 500, (peak, rms)  # speech, not silence or a click
