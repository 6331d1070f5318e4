"""Speech room: speech-dispatcher, the service Orca speaks through, via its C client (libspeechd).

The library is the system's, found at run time and never bundled. Each sentence goes as SSML
with an index mark before every word, so speech-dispatcher reports each word as it is reached.
Connections are local (a Unix socket under $XDG_RUNTIME_DIR): no network is involved.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import queue
import threading
from collections.abc import Callable
from typing import Any

from ketreader.speech.engine import (
    Listener,
    SpeechEvent,
    SpeechUnavailableError,
    Voice,
    clamp_rate,
    word_at,
    word_spans,
)

# libspeechd.h and speechd_types.h (speech-dispatcher 0.11).
_MODE_THREADED = 1  # callbacks need the threaded mode
_METHOD_UNIX_SOCKET = 0
_DATA_SSML = 1
_PRIORITY_TEXT = 3  # below messages and notifications: a screen reader's speech comes first
_NOTIFY_ALL = 0x3F
_BEGIN, _END, _INDEX_MARK, _CANCEL, _PAUSE, _RESUME = range(6)  # SPDNotificationType
_MARK_PREFIX = "k"  # our marks: "k<utterance>_<offset>"; speech-dispatcher adds its own
# How long the window waits for speech-dispatcher to answer one call. Its answers take
# milliseconds, a first list of voices a few seconds; one that has hung (seen when its sound
# output cannot be opened) never comes.
ANSWER_TIMEOUT_S = 10.0
NO_ANSWER = "speech-dispatcher did not answer"

_Callback = ctypes.CFUNCTYPE(None, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_int)
_MarkCallback = ctypes.CFUNCTYPE(None, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_int,
                                 ctypes.c_char_p)  # fmt: skip


class _Connection(ctypes.Structure):
    """The public head of SPDConnection: the callbacks, which a client sets directly."""

    _fields_ = (
        ("callback_begin", _Callback),
        ("callback_end", _Callback),
        ("callback_cancel", _Callback),
        ("callback_pause", _Callback),
        ("callback_resume", _Callback),
        ("callback_im", _MarkCallback),
    )


class _Address(ctypes.Structure):
    _fields_ = (
        ("method", ctypes.c_int),
        ("unix_socket_name", ctypes.c_char_p),
        ("inet_socket_host", ctypes.c_char_p),
        ("inet_socket_port", ctypes.c_int),
        ("dbus_bus", ctypes.c_char_p),
    )


class _Voice(ctypes.Structure):
    _fields_ = (("name", ctypes.c_char_p), ("language", ctypes.c_char_p),
                ("variant", ctypes.c_char_p))  # fmt: skip


# WORKAROUND for https://pyinstaller.org/en/stable/feature-notes.html#ctypes-dependencies :
# PyInstaller bundles a library named by a literal in find_library(...); this one is the
# system's and must stay there, so the name is not a literal at the call.
LIBRARY = "speechd"


def library_name() -> str | None:
    return ctypes.util.find_library(LIBRARY)


def _load() -> Any:
    name = library_name()
    if name is None:
        raise SpeechUnavailableError("speech-dispatcher is not installed (libspeechd)")
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise SpeechUnavailableError(f"libspeechd could not be loaded: {exc}") from exc
    connection = ctypes.POINTER(_Connection)
    lib.spd_open2.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
                              ctypes.POINTER(_Address), ctypes.c_int,
                              ctypes.POINTER(ctypes.c_char_p))  # fmt: skip
    lib.spd_open2.restype = connection
    for name_, args in (
        ("spd_say", (connection, ctypes.c_int, ctypes.c_char_p)),
        ("spd_set_data_mode", (connection, ctypes.c_int)),
        ("spd_set_notification_on", (connection, ctypes.c_int)),
        ("spd_set_voice_rate", (connection, ctypes.c_int)),
        ("spd_set_synthesis_voice", (connection, ctypes.c_char_p)),
        ("spd_cancel", (connection,)),
    ):
        function = getattr(lib, name_)
        function.argtypes = args
        function.restype = ctypes.c_int
    lib.spd_close.argtypes = (connection,)
    lib.spd_close.restype = None
    lib.spd_list_synthesis_voices.argtypes = (connection,)
    lib.spd_list_synthesis_voices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    lib.free_spd_voices.argtypes = (ctypes.POINTER(ctypes.POINTER(_Voice)),)
    lib.free_spd_voices.restype = None
    return lib


def escape(text: str) -> str:
    """Text as SSML character data (xml.sax.saxutils would import urllib.request: a network
    client, which the reader never loads)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def marked_ssml(utterance: int, text: str) -> str:
    """The text as SSML, with an index mark named after its offset before every word."""
    parts = ["<speak>"]
    done = 0
    for start, length in word_spans(text):
        parts.append(escape(text[done:start]))
        parts.append(f'<mark name="{_MARK_PREFIX}{utterance}_{start}"/>')
        parts.append(escape(text[start : start + length]))
        done = start + length
    parts.append(escape(text[done:]))
    parts.append("</speak>")
    return "".join(parts)


def parse_mark(mark: str) -> tuple[int, int] | None:
    """(utterance, offset) from one of our marks; None for speech-dispatcher's own."""
    if not mark.startswith(_MARK_PREFIX):
        return None
    utterance, _, offset = mark[len(_MARK_PREFIX) :].partition("_")
    if not (utterance.isdigit() and offset.isdigit()):
        return None
    return int(utterance), int(offset)


class _Calls:
    """Runs libspeechd's calls on a thread of their own and waits a bounded time for each.

    libspeechd waits for the server's reply without a time limit: called on the window's
    thread, a speech-dispatcher that hangs would freeze the reader with it. Once a call has
    gone unanswered the service counts as gone, and every later call fails at once.
    """

    def __init__(self) -> None:
        self.hung = False
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], dict[str, Any],
                                            threading.Event]] = queue.SimpleQueue()  # fmt: skip
        # A daemon: a call stuck in libspeechd must not keep the reader from exiting.
        threading.Thread(target=self._run, name="speech-dispatcher calls", daemon=True).start()

    def _run(self) -> None:
        while True:
            job, result, done = self._jobs.get()
            try:
                result["value"] = job()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                result["error"] = exc
            done.set()

    def __call__(self, function: Callable[..., Any], *args: Any) -> Any:
        if self.hung:
            raise SpeechUnavailableError(NO_ANSWER)
        result: dict[str, Any] = {}
        done = threading.Event()
        self._jobs.put((lambda: function(*args), result, done))
        if not done.wait(ANSWER_TIMEOUT_S):
            self.hung = True
            raise SpeechUnavailableError(NO_ANSWER)
        if "error" in result:
            raise result["error"]
        return result.get("value")


class SpeechDispatcherEngine:
    """speech-dispatcher, started on demand if it is not running (its own autospawn)."""

    name = "speech-dispatcher"
    words = True
    # spd_pause takes effect at the next index mark, and only with output modules that
    # support it; a pause that arrives after the last mark leaves the message with no end
    # event at all (seen with the espeak-ng module). Stopping and speaking again from the last
    # word reported is predictable everywhere.
    can_pause = False

    def __init__(self, listener: Listener, socket_path: str | None = None) -> None:
        self._listener = listener
        self._lib = _load()
        self._call = _Calls()
        self._lock = threading.Lock()
        self._utterances: dict[int, int] = {}  # speech-dispatcher's message id -> ours
        self._pending: dict[int, list[tuple[int, str]]] = {}  # events before the id is known
        self._texts: dict[int, str] = {}
        address = None
        if socket_path is not None:
            address = ctypes.pointer(_Address(_METHOD_UNIX_SOCKET, socket_path.encode(),
                                              None, 0, None))  # fmt: skip
        error = ctypes.c_char_p()
        connection = self._call(self._lib.spd_open2, b"ketreader", b"read-aloud", None,
                                _MODE_THREADED, address, 1, ctypes.byref(error))  # fmt: skip
        if not connection:
            reason = (error.value or b"no reason given").decode("utf-8", "replace").strip()
            raise SpeechUnavailableError(f"speech-dispatcher could not be reached: {reason}")
        self._connection = connection
        # ctypes frees callback objects Python no longer holds: keep them with the engine.
        self._callbacks = [_Callback(self._on_state) for _ in range(5)]
        self._mark_callback = _MarkCallback(self._on_mark)
        head = connection.contents
        (head.callback_begin, head.callback_end, head.callback_cancel, head.callback_pause,
         head.callback_resume) = self._callbacks  # fmt: skip
        head.callback_im = self._mark_callback
        self._call(self._lib.spd_set_notification_on, connection, _NOTIFY_ALL)
        self._call(self._lib.spd_set_data_mode, connection, _DATA_SSML)

    # -- called by libspeechd's thread: no lock is held while libspeechd waits on a reply ----

    def _on_state(self, message: int, _client: int, state: int) -> None:
        self._route(message, state, "")

    def _on_mark(self, message: int, _client: int, state: int, mark: bytes | None) -> None:
        self._route(message, state, (mark or b"").decode("ascii", "replace"))

    def _route(self, message: int, state: int, mark: str) -> None:
        with self._lock:
            utterance = self._utterances.get(message)
            if utterance is None:
                self._pending.setdefault(message, []).append((state, mark))
                return
        self._deliver(utterance, state, mark)

    def _deliver(self, utterance: int, state: int, mark: str) -> None:
        if state == _BEGIN:
            self._listener(SpeechEvent("start", utterance))
        elif state == _INDEX_MARK:
            parsed = parse_mark(mark)
            text = self._texts.get(utterance)
            if parsed is not None and parsed[0] == utterance and text is not None:
                start, length = word_at(text, parsed[1])
                self._listener(SpeechEvent("word", utterance, start, length))
        elif state in (_END, _CANCEL):
            self._texts.pop(utterance, None)
            self._listener(SpeechEvent("end" if state == _END else "cancelled", utterance))

    # -- the Engine interface ----------------------------------------------------------------

    def speak(self, utterance: int, text: str) -> None:
        self._texts[utterance] = text
        ssml = marked_ssml(utterance, text).encode("utf-8")
        try:
            message = self._call(self._lib.spd_say, self._connection, _PRIORITY_TEXT, ssml)
        except SpeechUnavailableError as exc:
            message, refused = -1, str(exc)
        else:
            refused = "speech-dispatcher refused the text"
        if message < 0:
            self._texts.pop(utterance, None)
            self._listener(SpeechEvent("error", utterance, message=refused))
            return
        with self._lock:
            self._utterances[message] = utterance
            early = self._pending.pop(message, [])
        for state, mark in early:
            self._deliver(utterance, state, mark)

    def pause(self) -> None:
        self.stop()

    def resume(self) -> None:
        return None  # the caller speaks again from the last word

    def _quietly(self, function: Callable[..., Any], *args: Any) -> None:
        """A call whose failure changes nothing for the reader (stopping what does not play)."""
        with contextlib.suppress(SpeechUnavailableError):
            self._call(function, self._connection, *args)

    def stop(self) -> None:
        self._quietly(self._lib.spd_cancel)

    def set_rate(self, rate: float) -> None:
        self._quietly(self._lib.spd_set_voice_rate, round(clamp_rate(rate) * 100))

    def voices(self) -> list[Voice]:
        try:
            listed = self._call(self._lib.spd_list_synthesis_voices, self._connection)
        except SpeechUnavailableError:
            return []
        found: list[Voice] = []
        index = 0
        while listed and listed[index]:
            voice = listed[index].contents
            index += 1
            name = (voice.name or b"").decode("utf-8", "replace")
            found.append(Voice(name, name, (voice.language or b"").decode("ascii", "replace")))
        if listed:
            self._lib.free_spd_voices(listed)  # frees memory only: no answer awaited
        return found

    def set_voice(self, voice_id: str) -> None:
        self._quietly(self._lib.spd_set_synthesis_voice, voice_id.encode("utf-8"))

    def close(self) -> None:
        if self._connection:
            self._quietly(self._lib.spd_close)
            self._connection = ctypes.POINTER(_Connection)()
