"""Speech room tests: macOS's ``say`` driven a sentence at a time, with a fake process."""

from __future__ import annotations

import io
import signal
import threading

from ketreader.speech.engine import SpeechEvent
from ketreader.speech.say import SayEngine, parse_voices


class FakeSay:
    """A ``say`` process: it ends when the test lets it (or when terminated)."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.pid = 4242
        self.stdin = io.BytesIO()
        self.stdin.close = lambda: None  # type: ignore[method-assign]  # keep what was written
        self.code = 0
        self.finished = threading.Event()

    def wait(self) -> int:
        self.finished.wait(5)
        return self.code

    def terminate(self) -> None:
        self.code = -15
        self.finished.set()


def make() -> tuple[SayEngine, list[FakeSay], list[SpeechEvent], list[tuple[int, int]]]:
    processes: list[FakeSay] = []
    heard: list[SpeechEvent] = []
    signals: list[tuple[int, int]] = []

    def spawn(command: list[str]) -> FakeSay:
        processes.append(FakeSay(command))
        return processes[-1]

    engine = SayEngine(heard.append, spawn=spawn, send_signal=lambda pid, n: signals.append(
        (pid, n)), path="/usr/bin/say")  # fmt: skip
    return engine, processes, heard, signals


def wait_for(heard: list[SpeechEvent], kind: str) -> SpeechEvent:
    for _ in range(500):
        found = [e for e in heard if e.kind == kind]
        if found:
            return found[-1]
        threading.Event().wait(0.01)
    raise AssertionError(f"no {kind} in {heard}")


def test_a_sentence_is_said_through_standard_input_then_ends() -> None:
    engine, processes, heard, _ = make()
    engine.set_rate(1.0)
    engine.set_voice("Daniel")
    engine.speak(3, "-v is not an option here.")
    assert processes[0].command == ["/usr/bin/say", "-r", "350", "-v", "Daniel", "-f", "-"]
    assert processes[0].stdin.getvalue() == b"-v is not an option here."
    processes[0].finished.set()
    assert wait_for(heard, "end") == SpeechEvent("end", 3)
    assert heard[0] == SpeechEvent("start", 3)


def test_pause_and_resume_hold_the_process_where_it_is() -> None:
    engine, _processes, heard, signals = make()
    engine.speak(1, "A long sentence.")
    engine.pause()
    engine.resume()
    assert signals == [(4242, signal.SIGSTOP), (4242, signal.SIGCONT)]
    engine.stop()
    assert wait_for(heard, "cancelled") == SpeechEvent("cancelled", 1)
    assert signals[-1] == (4242, signal.SIGCONT)  # a stopped process must run to end
    assert not [e for e in heard if e.kind == "end"]


def test_a_failing_say_is_an_error_not_an_end() -> None:
    engine, processes, heard, _ = make()
    engine.speak(2, "Hello.")
    processes[0].code = 1
    processes[0].finished.set()
    assert wait_for(heard, "error").message == "say failed (exit 1)"


def test_voices_from_the_listing() -> None:
    listing = (
        "Alex                en_US    # Most people recognize me by my voice.\n"
        "Bad News            en_US    # The light you see at the end of the tunnel\n"
        "Amélie              fr_CA    # Bonjour, je m’appelle Amélie.\n"
    )
    voices = parse_voices(listing)
    assert [(v.id, v.language) for v in voices] == [
        ("Alex", "en-US"), ("Bad News", "en-US"), ("Amélie", "fr-CA"),
    ]  # fmt: skip
