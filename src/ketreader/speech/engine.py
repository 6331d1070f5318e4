"""Speech room: the interface every speech service is driven through, and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NamedTuple, Protocol

EventKind = Literal["start", "word", "end", "cancelled", "error"]


class SpeechEvent(NamedTuple):
    """Something a speech service reported about one utterance, from any thread."""

    kind: EventKind
    utterance: int  # the number the caller gave ``speak``
    start: int = 0  # "word": where the word starts in the utterance's text (characters)
    length: int = 0  # "word": its length
    message: str = ""  # "error": what went wrong, in words for the user


Listener = Callable[[SpeechEvent], None]


class Voice(NamedTuple):
    id: str  # what ``set_voice`` takes
    name: str  # what people see
    language: str  # "en", "en-GB", ... as the service names it ("" when it does not say)


class SpeechUnavailableError(Exception):
    """The speech service cannot be used here; the message says why, for a tooltip."""


class Engine(Protocol):
    """One speech service. Every method returns at once; progress comes through the listener.

    ``words`` says whether the service reports each word as it is spoken (else the caller
    highlights whole sentences); ``can_pause`` whether ``pause`` keeps the place (else the
    caller stops and speaks again from the last word).
    """

    name: str
    words: bool
    can_pause: bool

    def speak(self, utterance: int, text: str) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def set_rate(self, rate: float) -> None:
        """-1.0 (half the normal speed) to 1.0 (twice it); 0.0 is the voice's normal speed."""

    def voices(self) -> list[Voice]: ...

    def set_voice(self, voice_id: str) -> None: ...

    def close(self) -> None: ...


def clamp_rate(rate: float) -> float:
    return max(-1.0, min(1.0, rate))


def words_per_minute(rate: float, normal: int = 175) -> int:
    """The rate as words per minute: half to twice ``normal``, the speed of a voice at 0."""
    wpm: int = round(normal * 2.0 ** clamp_rate(rate))
    return wpm


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, length) of each spoken word: runs of non-space text, bare punctuation dropped."""
    spans: list[tuple[int, int]] = []
    index, size = 0, len(text)
    while index < size:
        if text[index].isspace():
            index += 1
            continue
        end = index
        while end < size and not text[end].isspace():
            end += 1
        start, stop = index, end
        while start < stop and not text[start].isalnum():
            start += 1
        while stop > start and not text[stop - 1].isalnum():
            stop -= 1
        if stop > start:
            spans.append((start, stop - start))
        index = end
    return spans


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word a service reported at ``offset``: it starts there or is the next one after it.

    Services give a word's start reliably but not its length (espeak-ng gives 0 for a word
    that opens with a quotation mark, and 2 for "it's"), so the length is the text's own.
    """
    for start, length in word_spans(text):
        if start + length > offset:
            return start, length
    return offset, 0
