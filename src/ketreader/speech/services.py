"""Speech room: which speech service this computer has, and opening the best one.

Linux: speech-dispatcher (the service Orca uses, with the voices the user set up), else
espeak-ng directly. Windows: SAPI 5. macOS: the ``say`` command. Every library is the system's,
found at run time; none is bundled.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from ketreader.speech.engine import Engine, Listener, SpeechUnavailableError

LINUX_HINT = "install speech-dispatcher or espeak-ng"


class Availability(NamedTuple):
    available: bool
    reason: str  # why not, for the menu item's tooltip ("" when available)
    services: tuple[str, ...] = ()  # in the order they will be tried


def candidates(platform: str = sys.platform) -> tuple[str, ...]:
    if platform == "win32":
        return ("sapi",)
    if platform == "darwin":
        return ("say",)
    return ("speechd", "espeak")


def _installed(service: str) -> bool:
    """Whether the service's library or program is on this computer (nothing is started)."""
    if service == "speechd":
        from ketreader.speech.speechd import library_name

        return library_name() is not None
    if service == "espeak":
        from ketreader.speech.espeak import library_name as espeak_library

        return espeak_library() is not None
    if service == "say":
        from ketreader.speech.say import program

        return program() is not None
    return service == "sapi"  # part of Windows; whether it has a voice shows when it opens


def availability(platform: str = sys.platform) -> Availability:
    """Whether reading aloud can work here, and if not why. Never raises."""
    found = tuple(s for s in candidates(platform) if _installed(s))
    if found:
        return Availability(True, "", found)
    if platform == "darwin":
        return Availability(False, "No speech: the macOS “say” command was not found")
    return Availability(False, f"No speech service on this computer: {LINUX_HINT}")


def open_service(service: str, listener: Listener) -> Engine:
    if service == "speechd":
        from ketreader.speech.speechd import SpeechDispatcherEngine

        return SpeechDispatcherEngine(listener)
    if service == "espeak":
        from ketreader.speech.espeak import EspeakEngine

        return EspeakEngine(listener)
    if service == "say":
        from ketreader.speech.say import SayEngine

        return SayEngine(listener)
    if service == "sapi":
        from ketreader.speech.sapi import SapiEngine

        return SapiEngine(listener)
    raise SpeechUnavailableError(f"unknown speech service {service!r}")


def open_engine(listener: Listener, services: tuple[str, ...] | None = None) -> Engine:
    """The first service that opens; SpeechUnavailableError saying why none did."""
    found = availability()
    tried = services if services is not None else found.services
    if not tried:
        raise SpeechUnavailableError(found.reason)
    reasons: list[str] = []
    for service in tried:
        try:
            return open_service(service, listener)
        except SpeechUnavailableError as exc:
            reasons.append(str(exc))
    raise SpeechUnavailableError("; ".join(reasons))
