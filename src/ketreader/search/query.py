"""Search room: turning whatever the user typed into a safe FTS5 expression."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_TERMS = 32
MAX_QUERY_CHARS = 1000
# A one-letter prefix expands to a large part of any vocabulary and ranks most of the pack
# for a result nobody wants yet: matching as you type starts at the second character. A
# one-letter word followed by a space ("vitamin e ") is searched as itself.
MIN_PREFIX_CHARS = 2


@dataclass(frozen=True)
class Term:
    """One unit of the user's query: a word, or a quoted phrase of words."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False  # the last word also matches as a prefix, for search as you type

    @property
    def text(self) -> str:
        return " ".join(self.words)


def is_token_char(ch: str) -> bool:
    """True for the characters unicode61 keeps in tokens: letters, numbers, private use."""
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def normalize(text: str) -> str:
    """NFKC: full-width letters, ligatures and compatibility forms read as their plain letters.

    "ｋｅｔａｍｉｎｅ" and "ketamine" are the same word to a reader, and to the search.
    """
    return unicodedata.normalize("NFKC", text)


def _clean(raw: str) -> str:
    # Control and format characters (NUL, RTL marks, zero-width joiners) carry no words.
    kept = []
    for ch in normalize(raw[:MAX_QUERY_CHARS]):
        category = unicodedata.category(ch)
        kept.append(" " if category in ("Cc", "Cf", "Zl", "Zp") else ch)
    return "".join(kept)


def words_of(chunk: str) -> list[str]:
    """Split on whitespace; keep hyphenated words whole, drop pieces with no token chars."""
    out = []
    for word in chunk.split():
        stripped = "".join(ch if is_token_char(ch) or ch in "-'’" else " " for ch in word)
        for piece in stripped.split():
            piece = piece.strip("-'’")
            if piece and any(is_token_char(ch) for ch in piece):
                out.append(piece.lower())
    return out


def parse_query(raw: str) -> list[Term]:
    """Split a raw query into terms; quoted spans become phrases, an open quote runs to the end."""
    text = _clean(raw)
    terms: list[Term] = []
    chunks = text.replace("“", '"').replace("”", '"').split('"')
    for index, chunk in enumerate(chunks):
        words = words_of(chunk)
        if not words:
            continue
        if index % 2 == 1:
            terms.append(Term(tuple(words), phrase=True))
        else:
            terms.extend(Term((w,)) for w in words)
    terms = terms[:MAX_TERMS]
    typing = (
        bool(terms)
        and not text.rstrip().endswith('"')
        and not text[-1:].isspace()
        and not (terms[-1].phrase and len(chunks) % 2 == 1)  # a closed phrase is complete
    )
    if typing and terms[-1].phrase:
        # A phrase still being typed ('"side eff'): its last word is a prefix, as a bare
        # word's is, so the results do not vanish until the word is finished.
        *whole, last = terms[-1].words
        if len(last) >= MIN_PREFIX_CHARS:
            terms[-1] = Term(terms[-1].words, phrase=True, prefix=True)
        elif whole:
            terms[-1] = Term(tuple(whole), phrase=True)
        else:
            terms.pop()
    elif typing:
        if len(terms[-1].words[0]) < MIN_PREFIX_CHARS:
            # A word's first letter, still being typed: it waits for the second.
            return terms[:-1]
        terms[-1] = Term(terms[-1].words, prefix=True)
    return terms


def quote(text: str) -> str:
    """An FTS5 string literal: inner double quotes doubled, so nothing is read as syntax."""
    return '"' + text.replace('"', '""') + '"'
