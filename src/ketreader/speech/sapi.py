"""Speech room: Windows SAPI 5 (ISpVoice) through COM with ctypes; written to the SDK, unverified.

Not run on Windows yet (see docs/accessibility.md): the vtable slots and GUIDs are those of
sapi.h. One worker thread owns the voice (its own COM apartment): it speaks asynchronously
(SPF_ASYNC) and polls GetStatus for the word being spoken, so events come from that thread.
"""

from __future__ import annotations

import ctypes
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from ketreader.speech.engine import Listener, SpeechEvent, SpeechUnavailableError, Voice, clamp_rate

POLL_S = 0.03  # GetStatus this often while speaking: under a frame at 30 Hz

# sapi.h
_CLSID_SPVOICE = "{96749377-3391-11D2-9EE3-00C04F797396}"
_IID_ISPVOICE = "{6C44DF74-72B9-4992-A1EC-EF996E0422D4}"
_CLSID_CATEGORY = "{A910187F-0C7A-45AC-92CC-59EDAFB77B53}"
_IID_CATEGORY = "{2D3D3845-39AF-4850-BBF9-40B49780011D}"
_SPCAT_VOICES = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices"
_SPF_ASYNC, _SPF_PURGEBEFORESPEAK, _SPF_IS_NOT_XML = 1, 2, 16
_SPRS_DONE = 1
_CLSCTX_ALL = 0x17
_COINIT_MULTITHREADED = 0
# vtable slots: IUnknown 0-2, ISpNotifySource 3-9, ISpEventSource 10-12, then ISpVoice.
_RELEASE, _PAUSE, _RESUME, _SET_VOICE, _SPEAK, _GET_STATUS, _SET_RATE = 2, 16, 17, 18, 20, 22, 28
_DATAKEY_GET_STRING, _CATEGORY_SET_ID, _CATEGORY_ENUM, _TOKEN_GET_ID = 6, 15, 18, 16
_ENUM_NEXT = 3


class Status(NamedTuple):
    done: bool
    word_position: int  # UTF-16 code units into the text given to speak
    word_length: int


class VoicePort(Protocol):
    """What the worker needs from a SAPI voice (the real one is COM; tests give a fake)."""

    def speak(self, text: str) -> None: ...
    def purge(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def set_rate(self, rate: int) -> None: ...
    def status(self) -> Status: ...
    def voices(self) -> list[Voice]: ...
    def set_voice(self, voice_id: str) -> None: ...
    def close(self) -> None: ...


def utf16_index(text: str, units: int) -> int:
    """The index in ``text`` of the character that starts ``units`` UTF-16 units in."""
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class _State:
    """What the worker is doing: the sentence being spoken, paused or not, the last word."""

    def __init__(self) -> None:
        self.speaking: tuple[int, str] | None = None
        self.paused = False
        self.last_word = -1


class SapiEngine:
    """SAPI 5: words as they are spoken, exact pause and resume, rate -10..10."""

    name = "Windows speech (SAPI 5)"
    words = True
    can_pause = True

    def __init__(self, listener: Listener, open_voice: Callable[[], VoicePort] | None = None,
                 poll_s: float = POLL_S) -> None:  # fmt: skip
        self._listener = listener
        self._open_voice = open_voice or _ComVoice
        self._poll_s = poll_s
        self._commands: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._ready = threading.Event()
        self._failure: str | None = None
        self._answers: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="sapi", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise SpeechUnavailableError(self._failure)

    # -- the worker thread -------------------------------------------------------------------

    def _run(self) -> None:
        try:
            voice = self._open_voice()
        except (OSError, SpeechUnavailableError) as exc:
            self._failure = str(exc) or type(exc).__name__
            self._ready.set()
            return
        self._ready.set()
        state = _State()
        while True:
            try:
                command, argument = self._commands.get(timeout=self._poll_s if state.speaking
                                                       else None)  # fmt: skip
            except queue.Empty:
                command, argument = "poll", None
            if command == "close":
                voice.close()
                return
            try:
                self._handle(voice, state, command, argument)
            except (OSError, SpeechUnavailableError) as exc:
                # The worker must outlive a failed call: report it, and forget the sentence.
                utterance = state.speaking[0] if state.speaking else -1
                state.speaking = None
                if command == "voices":
                    self._answers.put([])
                self._listener(SpeechEvent("error", utterance, message=str(exc)))

    def _handle(self, voice: VoicePort, state: _State, command: str, argument: Any) -> None:
        if command == "speak":
            state.speaking, state.last_word = argument, -1
            voice.speak(argument[1])
            self._listener(SpeechEvent("start", argument[0]))
        elif command == "stop":
            if state.paused:
                voice.resume()
                state.paused = False
            voice.purge()
            if state.speaking is not None:
                self._listener(SpeechEvent("cancelled", state.speaking[0]))
            state.speaking = None
        elif command == "pause":
            voice.pause()
            state.paused = True
        elif command == "resume":
            voice.resume()
            state.paused = False
        elif command == "rate":
            voice.set_rate(argument)
        elif command == "voice":
            voice.set_voice(argument)
        elif command == "voices":
            self._answers.put(voice.voices())
        if state.speaking is not None and not state.paused:
            status = voice.status()
            utterance, text = state.speaking
            if status.word_length and status.word_position != state.last_word:
                state.last_word = status.word_position
                start = utf16_index(text, status.word_position)
                end = utf16_index(text, status.word_position + status.word_length)
                self._listener(SpeechEvent("word", utterance, start, end - start))
            if status.done:
                state.speaking = None
                self._listener(SpeechEvent("end", utterance))

    # -- the Engine interface ----------------------------------------------------------------

    def speak(self, utterance: int, text: str) -> None:
        self._commands.put(("speak", (utterance, text)))

    def pause(self) -> None:
        self._commands.put(("pause", None))

    def resume(self) -> None:
        self._commands.put(("resume", None))

    def stop(self) -> None:
        self._commands.put(("stop", None))

    def set_rate(self, rate: float) -> None:
        self._commands.put(("rate", round(clamp_rate(rate) * 10)))

    def voices(self) -> list[Voice]:
        self._commands.put(("voices", None))
        found: list[Voice] = self._answers.get(timeout=10)
        return found

    def set_voice(self, voice_id: str) -> None:
        self._commands.put(("voice", voice_id))

    def close(self) -> None:
        self._commands.put(("close", None))
        self._thread.join(timeout=5)


# -- COM, by hand ---------------------------------------------------------------------------


class _Guid(ctypes.Structure):
    _fields_ = (("data1", ctypes.c_uint32), ("data2", ctypes.c_uint16),
                ("data3", ctypes.c_uint16), ("data4", ctypes.c_ubyte * 8))  # fmt: skip


class _VoiceStatus(ctypes.Structure):
    _fields_ = (
        ("ulCurrentStream", ctypes.c_ulong),
        ("ulLastStreamQueued", ctypes.c_ulong),
        ("hrLastResult", ctypes.c_long),
        ("dwRunningState", ctypes.c_ulong),
        ("ulInputWordPos", ctypes.c_ulong),
        ("ulInputWordLen", ctypes.c_ulong),
        ("ulInputSentPos", ctypes.c_ulong),
        ("ulInputSentLen", ctypes.c_ulong),
        ("lBookmarkId", ctypes.c_long),
        ("PhonemeId", ctypes.c_wchar),
        ("VisemeId", ctypes.c_int),
        ("dwReserved1", ctypes.c_ulong),
        ("dwReserved2", ctypes.c_ulong),
    )


def _guid(text: str) -> _Guid:
    guid = _Guid()
    ole32 = ctypes.windll.ole32  # type: ignore[attr-defined,unused-ignore]
    if ole32.CLSIDFromString(ctypes.c_wchar_p(text), ctypes.byref(guid)) != 0:
        raise SpeechUnavailableError(f"bad GUID {text}")
    return guid


def _call(pointer: ctypes.c_void_p, slot: int, *args: Any) -> int:
    """Call method ``slot`` of the COM object at ``pointer``; its HRESULT."""
    prototype = ctypes.WINFUNCTYPE(  # type: ignore[attr-defined,unused-ignore]
        ctypes.c_long, ctypes.c_void_p, *[_argtype(a) for a in args]
    )
    vtable = ctypes.cast(pointer, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))).contents
    result: int = prototype(vtable[slot])(pointer, *args)
    return result


def _argtype(value: Any) -> Any:
    """NULL and ``byref`` pass as pointers, plain ints as LONG, ctypes values as themselves."""
    if value is None or type(value).__name__ == "CArgObject":
        return ctypes.c_void_p
    if isinstance(value, int):
        return ctypes.c_long
    return type(value)


def _check(result: int, what: str) -> None:
    if result < 0:
        code = f"0x{result & 0xFFFFFFFF:08X}"
        raise SpeechUnavailableError(f"Windows speech (SAPI 5): {what} failed ({code})")


class _ComVoice:
    """ISpVoice, created in this thread's own COM apartment."""

    _voice: ctypes.c_void_p
    _ole32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise SpeechUnavailableError("Windows speech (SAPI 5) exists only on Windows")
        ole32 = ctypes.windll.ole32  # type: ignore[attr-defined,unused-ignore]
        self._ole32 = ole32
        _check(ole32.CoInitializeEx(None, _COINIT_MULTITHREADED), "CoInitializeEx")
        self._voice = ctypes.c_void_p()
        result = ole32.CoCreateInstance(ctypes.byref(_guid(_CLSID_SPVOICE)), None, _CLSCTX_ALL,
                                        ctypes.byref(_guid(_IID_ISPVOICE)),
                                        ctypes.byref(self._voice))  # fmt: skip
        _check(result, "creating the voice")
        if not self.voices():
            raise SpeechUnavailableError("Windows speech (SAPI 5) has no voice installed")
        # Say nothing, to learn whether this SAPI can speak at all (Wine 8's SpVoice lists a
        # voice, then answers Speak with E_NOTIMPL).
        self.speak("")

    def speak(self, text: str) -> None:
        _check(_call(self._voice, _SPEAK, ctypes.c_wchar_p(text),
                     ctypes.c_ulong(_SPF_ASYNC | _SPF_IS_NOT_XML), None), "Speak")  # fmt: skip

    def purge(self) -> None:
        _call(self._voice, _SPEAK, None, ctypes.c_ulong(_SPF_ASYNC | _SPF_PURGEBEFORESPEAK), None)

    def pause(self) -> None:
        _call(self._voice, _PAUSE)

    def resume(self) -> None:
        _call(self._voice, _RESUME)

    def set_rate(self, rate: int) -> None:
        _call(self._voice, _SET_RATE, ctypes.c_long(rate))

    def status(self) -> Status:
        status = _VoiceStatus()
        _call(self._voice, _GET_STATUS, ctypes.byref(status), None)
        return Status(status.dwRunningState == _SPRS_DONE, status.ulInputWordPos,
                      status.ulInputWordLen)  # fmt: skip

    def _tokens(self) -> list[ctypes.c_void_p]:
        category = ctypes.c_void_p()
        _check(self._ole32.CoCreateInstance(ctypes.byref(_guid(_CLSID_CATEGORY)), None,
                                            _CLSCTX_ALL, ctypes.byref(_guid(_IID_CATEGORY)),
                                            ctypes.byref(category)), "listing voices")  # fmt: skip
        tokens: list[ctypes.c_void_p] = []
        try:
            _check(_call(category, _CATEGORY_SET_ID, ctypes.c_wchar_p(_SPCAT_VOICES),
                         ctypes.c_long(0)), "opening the voice list")  # fmt: skip
            listing = ctypes.c_void_p()
            _check(_call(category, _CATEGORY_ENUM, None, None, ctypes.byref(listing)),
                   "listing voices")  # fmt: skip
            while True:
                token, fetched = ctypes.c_void_p(), ctypes.c_ulong()
                if _call(listing, _ENUM_NEXT, ctypes.c_ulong(1), ctypes.byref(token),
                         ctypes.byref(fetched)) != 0 or not fetched.value:  # fmt: skip
                    break
                tokens.append(token)
            _call(listing, _RELEASE)
        finally:
            _call(category, _RELEASE)
        return tokens

    def _string(self, token: ctypes.c_void_p, slot: int, *args: Any) -> str:
        value = ctypes.c_wchar_p()
        if _call(token, slot, *args, ctypes.byref(value)) < 0 or value.value is None:
            return ""
        text = value.value
        self._ole32.CoTaskMemFree(value)
        return text

    def voices(self) -> list[Voice]:
        found: list[Voice] = []
        for token in self._tokens():
            voice_id = self._string(token, _TOKEN_GET_ID)
            name = self._string(token, _DATAKEY_GET_STRING, None) or voice_id
            found.append(Voice(voice_id, name, ""))
            _call(token, _RELEASE)
        return found

    def set_voice(self, voice_id: str) -> None:
        for token in self._tokens():
            if self._string(token, _TOKEN_GET_ID) == voice_id:
                _call(self._voice, _SET_VOICE, token)
            _call(token, _RELEASE)

    def close(self) -> None:
        _call(self._voice, _RELEASE)
        self._ole32.CoUninitialize()
