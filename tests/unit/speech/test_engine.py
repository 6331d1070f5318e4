"""Speech room tests: words as services report them, rates, and which service is chosen."""

from __future__ import annotations

import pytest

from ketreader.speech import services
from ketreader.speech.engine import SpeechUnavailableError, word_at, word_spans, words_per_minute


def test_words_are_runs_of_text_without_their_punctuation() -> None:
    text = "“Ketamine,” it's (widely) used — in 2024."
    assert [text[s : s + n] for s, n in word_spans(text)] == [
        "Ketamine", "it's", "widely", "used", "in", "2024",
    ]  # fmt: skip
    # A service's offset at a word's opening quote, or at the word, gives the word.
    assert word_at(text, 0) == (1, 8)
    assert word_at(text, text.index("it's")) == (text.index("it's"), 4)
    assert word_at(text, len(text)) == (len(text), 0)


def test_rates_run_from_half_to_twice_normal() -> None:
    assert words_per_minute(0) == 175
    assert words_per_minute(-1) == 88 and words_per_minute(1) == 350
    assert words_per_minute(5) == 350  # clamped


def test_each_platform_tries_its_own_services() -> None:
    assert services.candidates("linux") == ("speechd", "espeak")
    assert services.candidates("win32") == ("sapi",)
    assert services.candidates("darwin") == ("say",)


def test_without_any_service_the_reason_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "_installed", lambda _service: False)
    found = services.availability("linux")
    assert not found.available
    assert (
        found.reason == "No speech service on this computer: install speech-dispatcher or espeak-ng"
    )
    assert "say" in services.availability("darwin").reason
    with pytest.raises(SpeechUnavailableError, match="install speech-dispatcher"):
        services.open_engine(lambda _event: None)


def test_a_service_that_fails_to_open_gives_way_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    def open_service(service: str, _listener: object) -> object:
        opened.append(service)
        if service == "speechd":
            raise SpeechUnavailableError("speech-dispatcher could not be reached")
        return service

    monkeypatch.setattr(services, "open_service", open_service)
    assert services.open_engine(lambda _e: None, ("speechd", "espeak")) == "espeak"  # type: ignore[comparison-overlap]
    assert opened == ["speechd", "espeak"]
    with pytest.raises(SpeechUnavailableError, match="could not be reached"):
        services.open_engine(lambda _e: None, ("speechd",))


def test_no_speech_module_brings_a_network_client() -> None:
    from tests.conftest import run_python

    probe = (
        "import sys\n"
        "import ketreader.speech.services, ketreader.speech.speechd, ketreader.speech.espeak\n"
        "import ketreader.speech.say, ketreader.speech.sapi, ketreader.ui.read_aloud\n"
        "import ketreader.ui.read_aloud_control, ketreader.ui.read_aloud_dialog\n"
        "import ketreader.ui.a11y.wiring, ketreader.ui.a11y.interfaces\n"
        "network = ('socket', 'ssl', 'http.client', 'urllib.request', 'PySide6.QtNetwork')\n"
        "print([m for m in network if m in sys.modules])\n"
    )
    result = run_python("-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
