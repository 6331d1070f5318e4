"""Speech room: macOS's ``say`` command, one sentence per process (sentences are highlighted).

``say`` reports no words, so the caller highlights whole sentences. Pausing stops the process
where it is (SIGSTOP) and resuming lets it go on (SIGCONT), so the place is kept exactly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import IO, Protocol

from ketreader.speech.engine import (
    Listener,
    SpeechEvent,
    SpeechUnavailableError,
    Voice,
    words_per_minute,
)


class Process(Protocol):
    """The part of subprocess.Popen used here (tests give a fake)."""

    @property
    def pid(self) -> int: ...

    @property
    def stdin(self) -> IO[bytes] | None: ...

    def wait(self) -> int: ...

    def terminate(self) -> None: ...


Spawn = Callable[[list[str]], Process]
Signal = Callable[[int, int], None]


def _spawn(command: list[str]) -> Process:
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def program() -> str | None:
    return shutil.which("say")


def parse_voices(listing: str) -> list[Voice]:
    """``say -v ?`` lines: "Name   en_US    # sample sentence" (names may contain spaces)."""
    found: list[Voice] = []
    for line in listing.splitlines():
        head = line.partition("#")[0].rstrip()
        name, _, language = head.rpartition(" ")
        if name.strip() and language:
            found.append(Voice(name.strip(), name.strip(), language.replace("_", "-")))
    return found


class SayEngine:
    """``say``: sentence progress, exact pause and resume, words per minute."""

    name = "say"
    words = False
    can_pause = True

    def __init__(self, listener: Listener, spawn: Spawn = _spawn,
                 send_signal: Signal = os.kill, path: str | None = None) -> None:  # fmt: skip
        self._path = path or program()
        if self._path is None:
            raise SpeechUnavailableError("the macOS “say” command was not found")
        self._listener = listener
        self._spawn = spawn
        self._signal = send_signal
        self._rate = 0.0
        self._voice: str | None = None
        self._lock = threading.Lock()
        self._current: tuple[int, Process] | None = None
        self._stopped: set[int] = set()

    def _command(self) -> list[str]:
        command = [self._path or "say", "-r", str(words_per_minute(self._rate))]
        if self._voice:
            command += ["-v", self._voice]
        return [*command, "-f", "-"]  # the text on standard input: never read as an option

    def speak(self, utterance: int, text: str) -> None:
        try:
            process = self._spawn(self._command())
        except OSError as exc:
            self._listener(SpeechEvent("error", utterance, message=f"say could not start: {exc}"))
            return
        with self._lock:
            self._current = (utterance, process)
        self._listener(SpeechEvent("start", utterance))
        if process.stdin is not None:
            process.stdin.write(text.encode("utf-8"))
            process.stdin.close()
        waiter = threading.Thread(target=self._wait, args=(utterance, process), daemon=True)
        waiter.start()

    def _wait(self, utterance: int, process: Process) -> None:
        code = process.wait()
        with self._lock:
            if self._current is not None and self._current[1] is process:
                self._current = None
            stopped = utterance in self._stopped
            self._stopped.discard(utterance)
        if stopped:
            self._listener(SpeechEvent("cancelled", utterance))
        elif code == 0:
            self._listener(SpeechEvent("end", utterance))
        else:
            self._listener(SpeechEvent("error", utterance, message=f"say failed (exit {code})"))

    def _send(self, number: int) -> None:
        with self._lock:
            current = self._current
        if current is not None:
            self._signal(current[1].pid, number)

    def pause(self) -> None:
        self._send(signal.SIGSTOP)

    def resume(self) -> None:
        self._send(signal.SIGCONT)

    def stop(self) -> None:
        with self._lock:
            current = self._current
            if current is not None:
                self._stopped.add(current[0])
        if current is not None:
            self._signal(current[1].pid, signal.SIGCONT)  # a stopped process cannot end
            current[1].terminate()

    def set_rate(self, rate: float) -> None:
        self._rate = rate

    def voices(self) -> list[Voice]:
        listing = subprocess.run([self._path or "say", "-v", "?"], capture_output=True,
                                 text=True, check=False, timeout=10)  # fmt: skip
        return parse_voices(listing.stdout)

    def set_voice(self, voice_id: str) -> None:
        self._voice = voice_id

    def close(self) -> None:
        self.stop()
