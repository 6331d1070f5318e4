"""Speech room: espeak-ng through its C library (libespeak-ng), for Linux without speech-dispatcher.

The library is the system's, found at run time and never bundled. ``output="playback"``
plays through the sound system; ``output="retrieval"`` hands the synthesized samples to a
sink instead (16-bit mono at ``sample_rate``), which is how tests hear it without a sound card.
espeak-ng has no pause: the caller stops and speaks again from the last word.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from array import array
from collections.abc import Callable
from typing import Any, Literal

from ketreader.speech.engine import (
    Listener,
    SpeechEvent,
    SpeechUnavailableError,
    Voice,
    word_at,
    words_per_minute,
)

Output = Literal["playback", "retrieval"]
Sink = Callable[["array[int]"], None]

# speak_lib.h (espeak-ng 1.51): enum values and flags.
_OUTPUT = {"playback": 0, "retrieval": 1}  # AUDIO_OUTPUT_PLAYBACK, AUDIO_OUTPUT_RETRIEVAL
_EVENT_LIST_TERMINATED, _EVENT_WORD, _EVENT_MSG_TERMINATED = 0, 1, 6
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE = 1  # espeakRATE, words per minute, 80 to 450
_RATE_LIMITS = (80, 450)
# With no sound device espeak-ng plays nothing and reports nothing (seen with ALSA and no
# card): a first event this late means the sound output failed.
SILENCE_TIMEOUT_S = 4.0


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters of the text
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),  # a union of int, char * and char[8]
    )


class _Voice(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, language, NUL)*, NUL
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


# WORKAROUND for https://pyinstaller.org/en/stable/feature-notes.html#ctypes-dependencies :
# PyInstaller bundles a library named by a literal in find_library(...); this one is the
# system's and must stay there, so the name is not a literal at the call.
LIBRARY = "espeak-ng"


def library_name() -> str | None:
    return ctypes.util.find_library(LIBRARY)


class _Library:
    """The process-wide espeak-ng: one output mode and one callback at a time."""

    def __init__(self) -> None:
        name = library_name()
        if name is None:
            raise SpeechUnavailableError("espeak-ng is not installed (libespeak-ng)")
        try:
            lib = ctypes.CDLL(name)
        except OSError as exc:
            raise SpeechUnavailableError(f"espeak-ng could not be loaded: {exc}") from exc
        lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                          ctypes.c_int)  # fmt: skip
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = (_Callback,)
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_Synth.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                     ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                     ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p)  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
        lib.espeak_ListVoices.argtypes = (ctypes.c_void_p,)
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self.lib = lib
        self.mode: Output | None = None
        self.owner: EspeakEngine | None = None
        self.sample_rate = 0
        # ctypes frees a callback object that Python no longer holds: C would call freed memory.
        self.callback = _Callback(self._on_synth)

    def start(self, mode: Output, owner: EspeakEngine) -> int:
        if self.mode != mode:
            if self.mode is not None:
                self.lib.espeak_Terminate()
            rate = self.lib.espeak_Initialize(_OUTPUT[mode], 200, None, 0)
            if rate <= 0:
                self.mode = None
                raise SpeechUnavailableError("espeak-ng could not start (no voice data?)")
            self.mode, self.sample_rate = mode, rate
            self.lib.espeak_SetSynthCallback(self.callback)
        self.owner = owner
        return self.sample_rate

    def _on_synth(self, wav: Any, count: int, events: Any) -> int:
        owner = self.owner
        if owner is None:
            return 1  # nobody listens any more: abort this synthesis
        try:
            if wav and count > 0:
                owner.heard(array("h", ctypes.string_at(wav, count * 2)))
            index = 0
            while events[index].type != _EVENT_LIST_TERMINATED:
                event = events[index]
                owner.reported(event.type, event.user_data or 0, event.text_position)
                index += 1
        except Exception as exc:  # noqa: BLE001 - raised into C, it would be lost: say it
            owner.failed(f"espeak-ng: {exc}")
        return 0


_library: _Library | None = None


def _shared() -> _Library:
    global _library
    if _library is None:
        _library = _Library()
    return _library


class EspeakEngine:
    """espeak-ng, playing (or handing samples to ``sink``) and reporting every word."""

    name = "espeak-ng"
    words = True
    can_pause = False

    def __init__(self, listener: Listener, output: Output = "playback",
                 sink: Sink | None = None) -> None:  # fmt: skip
        self._listener = listener
        self._sink = sink
        self._lock = threading.Lock()
        self._texts: dict[int, str] = {}
        self._started: set[int] = set()
        self._watchdog: threading.Timer | None = None
        self._library = _shared()
        self.sample_rate = self._library.start(output, self)
        self._output = output

    # -- called by espeak-ng's thread --------------------------------------------------------

    def heard(self, samples: array[int]) -> None:
        if self._sink is not None:
            self._sink(samples)

    def reported(self, kind: int, utterance: int, position: int) -> None:
        with self._lock:
            text = self._texts.get(utterance)
            first = text is not None and utterance not in self._started
            if first:
                self._started.add(utterance)
                self._cancel_watchdog()
        if text is None:
            return  # stopped, or not ours
        if first:
            self._listener(SpeechEvent("start", utterance))
        if kind == _EVENT_WORD:
            start, length = word_at(text, max(0, position - 1))
            if length:
                self._listener(SpeechEvent("word", utterance, start, length))
        elif kind == _EVENT_MSG_TERMINATED:
            with self._lock:
                self._texts.pop(utterance, None)
            self._listener(SpeechEvent("end", utterance))

    def failed(self, message: str) -> None:
        self._listener(SpeechEvent("error", -1, message=message))

    # -- the Engine interface ----------------------------------------------------------------

    def speak(self, utterance: int, text: str) -> None:
        data = text.encode("utf-8")
        with self._lock:
            self._texts[utterance] = text
        result = self._library.lib.espeak_Synth(
            data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None,
            ctypes.c_void_p(utterance),
        )  # fmt: skip
        if result != 0:
            with self._lock:
                self._texts.pop(utterance, None)
            self._listener(
                SpeechEvent(
                    "error", utterance, message=f"espeak-ng refused the text (error {result})"
                )
            )
            return
        if self._output == "playback":
            with self._lock:
                self._cancel_watchdog()
                self._watchdog = threading.Timer(SILENCE_TIMEOUT_S, self._silent, (utterance,))
                self._watchdog.daemon = True
                self._watchdog.start()

    def _silent(self, utterance: int) -> None:
        with self._lock:
            silent = utterance in self._texts and utterance not in self._started
        if silent:
            self.stop()
            self._listener(
                SpeechEvent("error", utterance, message="espeak-ng could not open the sound output")
            )

    def _cancel_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def pause(self) -> None:
        self.stop()

    def resume(self) -> None:
        return None  # the caller speaks again from the last word

    def stop(self) -> None:
        with self._lock:
            stopped = list(self._texts)
            self._texts.clear()
            self._cancel_watchdog()
        self._library.lib.espeak_Cancel()
        for utterance in stopped:
            self._listener(SpeechEvent("cancelled", utterance))

    def set_rate(self, rate: float) -> None:
        low, high = _RATE_LIMITS
        value = max(low, min(high, words_per_minute(rate)))
        self._library.lib.espeak_SetParameter(_RATE, value, 0)

    def voices(self) -> list[Voice]:
        found: list[Voice] = []
        listed = self._library.lib.espeak_ListVoices(None)
        index = 0
        while listed and listed[index]:
            voice = listed[index].contents
            index += 1
            languages = _languages(voice.languages)
            found.append(Voice((voice.identifier or b"").decode("utf-8", "replace"),
                               (voice.name or b"").decode("utf-8", "replace"),
                               languages[0] if languages else ""))  # fmt: skip
        return found

    def set_voice(self, voice_id: str) -> None:
        if self._library.lib.espeak_SetVoiceByName(voice_id.encode("utf-8")) != 0:
            raise SpeechUnavailableError(f"espeak-ng has no voice {voice_id!r}")

    def close(self) -> None:
        self.stop()
        if self._library.owner is self:
            self._library.owner = None


def _languages(pointer: int | None) -> list[str]:
    """The languages of an espeak_VOICE: a priority byte, then the name, for each."""
    if not pointer:
        return []
    found: list[str] = []
    offset = 0
    while ctypes.string_at(pointer + offset, 1) != b"\0":
        name = ctypes.string_at(pointer + offset + 1)
        found.append(name.decode("ascii", "replace"))
        offset += 2 + len(name)
    return found
