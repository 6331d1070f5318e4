"""Speech room tests: speech-dispatcher, against a private server with a silent sound output."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketreader.speech import speechd
from ketreader.speech.engine import SpeechEvent
from tests.tools import require

SYSTEM_CONFIG = Path("/etc/speech-dispatcher")


def test_every_word_gets_a_mark_and_the_text_is_escaped() -> None:
    ssml = speechd.marked_ssml(7, "Dose <5 mg> & “wait”.")
    assert ssml == (
        '<speak><mark name="k7_0"/>Dose &lt;<mark name="k7_6"/>5 <mark name="k7_8"/>mg&gt; '
        '&amp; “<mark name="k7_15"/>wait”.</speak>'
    )
    assert speechd.parse_mark("k7_15") == (7, 15)
    assert speechd.parse_mark("__spd_0") is None  # speech-dispatcher's own marks
    assert speechd.parse_mark("k7_x") is None


def _missing() -> str:
    if speechd.library_name() is None:
        return "libspeechd is not installed"
    if shutil.which("speech-dispatcher") is None:
        return "speech-dispatcher is not installed"
    if not (SYSTEM_CONFIG / "speechd.conf").exists():
        return f"{SYSTEM_CONFIG}/speechd.conf is missing"
    return ""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Path]:
    """A speech-dispatcher of its own: its folders in tmp_path, its sound going nowhere.

    libao's "null" driver (chosen in $HOME/.libao) takes the audio and drops it, so the
    server runs on a machine without a sound card and reports every index mark.
    """
    require(_missing(), "speech-dispatcher speech-dispatcher-espeak-ng libspeechd2")
    config = tmp_path / "config"
    shutil.copytree(SYSTEM_CONFIG, config)
    with (config / "speechd.conf").open("a", encoding="utf-8") as conf:
        conf.write('\nAudioOutputMethod "libao"\nDefaultModule espeak-ng\n')
    (tmp_path / ".libao").write_text("default_driver=null\n", "utf-8")
    for name in ("runtime", "cache", "xdg-config", "log"):
        (tmp_path / name).mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
               XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))  # fmt: skip
    socket = tmp_path / "runtime" / "speechd.sock"
    process = subprocess.Popen(
        ["speech-dispatcher", "--run-single", "--timeout", "0", "--socket-path", str(socket),
         "--config-dir", str(config), "--log-dir", str(tmp_path / "log")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not socket.exists():
            assert process.poll() is None, f"speech-dispatcher exited {process.returncode}"
            assert time.monotonic() < deadline, "speech-dispatcher made no socket in 20 s"
            time.sleep(0.05)
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_words_come_as_they_are_spoken_then_the_end(server: Path) -> None:
    heard: list[SpeechEvent] = []
    ended = threading.Event()

    def listen(event: SpeechEvent) -> None:
        heard.append(event)
        if event.kind in ("end", "cancelled", "error"):
            ended.set()

    engine = speechd.SpeechDispatcherEngine(listen, str(server))
    try:
        english = [v for v in engine.voices() if v.language.startswith("en")]
        assert english, "no English voice"
        engine.set_voice(english[0].id)
        engine.set_rate(0.5)
        text = "Ketamine is an “anaesthetic” <used> in 2024."
        engine.speak(4, text)
        assert ended.wait(30), heard
        words = [text[e.start : e.start + e.length] for e in heard if e.kind == "word"]
        assert words == ["Ketamine", "is", "an", "anaesthetic", "used", "in", "2024"]
        assert heard[0] == SpeechEvent("start", 4) and heard[-1] == SpeechEvent("end", 4)
        heard.clear()
        ended.clear()
        engine.speak(5, " ".join(f"word{i}" for i in range(400)))
        engine.stop()
        assert ended.wait(30), heard
        assert heard[-1] == SpeechEvent("cancelled", 5)
    finally:
        engine.close()


class _HangingLibrary:
    """libspeechd talking to a speech-dispatcher that never answers (or only to some calls)."""

    def __init__(self, answers: tuple[str, ...] = ()) -> None:
        import ctypes

        self.answers = answers
        self.forever = threading.Event()
        self.connection = ctypes.pointer(speechd._Connection())

    def __getattr__(self, name: str) -> object:
        def call(*_args: object) -> object:
            if name not in self.answers:
                self.forever.wait()  # as libspeechd waits on a reply that never comes
            return self.connection if name == "spd_open2" else 1

        return call


def test_a_speech_dispatcher_that_never_answers_cannot_freeze_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ketreader.speech.engine import SpeechUnavailableError

    monkeypatch.setattr(speechd, "ANSWER_TIMEOUT_S", 0.2)
    hanging = _HangingLibrary()
    monkeypatch.setattr(speechd, "_load", lambda: hanging)
    began = time.monotonic()
    with pytest.raises(SpeechUnavailableError, match="did not answer"):
        speechd.SpeechDispatcherEngine(lambda _e: None)
    assert time.monotonic() - began < 2
    hanging.forever.set()


def test_a_speech_dispatcher_that_stops_answering_stops_the_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(speechd, "ANSWER_TIMEOUT_S", 0.2)
    opens = ("spd_open2", "spd_set_notification_on", "spd_set_data_mode")
    hanging = _HangingLibrary(answers=opens)
    monkeypatch.setattr(speechd, "_load", lambda: hanging)
    heard: list[SpeechEvent] = []
    engine = speechd.SpeechDispatcherEngine(heard.append)
    began = time.monotonic()
    engine.speak(1, "Ketamine is an anaesthetic.")
    assert [e.kind for e in heard] == ["error"]
    assert "did not answer" in heard[0].message
    # Everything after that returns at once: the window stays usable.
    engine.stop()
    engine.set_rate(0.5)
    engine.set_voice("x")
    assert engine.voices() == []
    engine.close()
    assert time.monotonic() - began < 2
    hanging.forever.set()
