"""Speech room tests: the SAPI 5 worker, with a fake voice (COM itself runs only on Windows)."""

from __future__ import annotations

import sys
import threading

import pytest

from ketreader.speech.engine import SpeechEvent, SpeechUnavailableError, Voice
from ketreader.speech.sapi import SapiEngine, Status, utf16_index


class FakeVoice:
    """GetStatus answers from a script: the word being spoken, then done."""

    def __init__(self) -> None:
        self.statuses: list[Status] = []
        self.calls: list[str] = []

    def speak(self, text: str) -> None:
        self.calls.append(f"speak {text}")

    def purge(self) -> None:
        self.calls.append("purge")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def set_rate(self, rate: int) -> None:
        self.calls.append(f"rate {rate}")

    def status(self) -> Status:
        return self.statuses.pop(0) if self.statuses else Status(False, 0, 0)

    def voices(self) -> list[Voice]:
        return [Voice("HKLM\\...\\TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop", "")]

    def set_voice(self, voice_id: str) -> None:
        self.calls.append(f"voice {voice_id}")

    def close(self) -> None:
        self.calls.append("close")


def test_word_positions_come_in_utf16_units() -> None:
    text = "𝔸 clear word"  # the first character is two UTF-16 units
    assert utf16_index(text, 3) == 2
    assert utf16_index(text, 0) == 0


def test_the_worker_reports_each_word_then_the_end() -> None:
    voice = FakeVoice()
    heard: list[SpeechEvent] = []
    ended = threading.Event()

    def listen(event: SpeechEvent) -> None:
        heard.append(event)
        if event.kind == "end":
            ended.set()

    text = "𝔸 clear word."
    voice.statuses = [Status(False, 0, 2), Status(False, 0, 2), Status(False, 3, 5),
                      Status(False, 9, 4), Status(True, 9, 4)]  # fmt: skip
    engine = SapiEngine(listen, open_voice=lambda: voice, poll_s=0.001)
    engine.set_rate(0.5)
    engine.speak(5, text)
    assert ended.wait(5)
    words = [text[e.start : e.start + e.length] for e in heard if e.kind == "word"]
    assert words == ["𝔸", "clear", "word"]  # a repeated status is one word
    assert heard[0] == SpeechEvent("start", 5) and heard[-1] == SpeechEvent("end", 5)
    assert engine.voices()[0].name == "Microsoft Zira Desktop"
    engine.close()
    assert voice.calls == ["rate 5", f"speak {text}", "close"]


def test_stop_while_paused_resumes_then_purges() -> None:
    voice = FakeVoice()
    heard: list[SpeechEvent] = []
    engine = SapiEngine(heard.append, open_voice=lambda: voice, poll_s=0.001)
    engine.speak(1, "Words.")
    engine.pause()
    engine.stop()
    engine.close()
    assert voice.calls == ["speak Words.", "pause", "resume", "purge", "close"]
    assert SpeechEvent("cancelled", 1) in heard


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal off Windows")
def test_off_windows_it_is_unavailable_saying_why() -> None:
    with pytest.raises(SpeechUnavailableError, match="only on Windows"):
        SapiEngine(lambda _event: None)


def test_a_failing_call_is_reported_and_the_worker_goes_on() -> None:
    class Refusing(FakeVoice):
        def speak(self, text: str) -> None:
            raise SpeechUnavailableError("Windows speech (SAPI 5): Speak failed (0x80004001)")

    voice = Refusing()
    heard: list[SpeechEvent] = []
    failed = threading.Event()

    def listen(event: SpeechEvent) -> None:
        heard.append(event)
        if event.kind == "error":
            failed.set()

    engine = SapiEngine(listen, open_voice=lambda: voice, poll_s=0.001)
    engine.speak(3, "Hello.")
    assert failed.wait(5)
    assert heard[-1] == SpeechEvent(
        "error", 3, message="Windows speech (SAPI 5): Speak failed (0x80004001)"
    )
    assert engine.voices()[0].name == "Microsoft Zira Desktop"  # still answering
    engine.close()
    assert voice.calls == ["close"]
