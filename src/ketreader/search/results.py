"""Search room: what a search returns: ranked hits, the answer to a question, and its notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketreader.search.plan import QueryPlan

ANSWER_JOIN = " · "  # between the items of a list that answers, in one lead line
SOME_WORDS = "Sections with some of the words:"  # heads the closest matches after complete ones
CLOSEST = "No section has every word; showing the closest matches."
NO_RESULTS = "No results."


@dataclass(frozen=True)
class Hit:
    """One ranked section; ``snippet`` is HTML-escaped except for its <b> emphasis.

    ``answer_parts`` is the sentence that best answers a question (with the list items it
    introduces, if it ends in a colon), as plain text in document order: the view finds and
    highlights exactly these pieces.
    """

    id: str
    title: str
    parent_title: str | None
    snippet: str
    score: float
    answer_parts: tuple[str, ...] = ()

    @property
    def answer(self) -> str | None:
        """The answer as one plain-text line, or None."""
        if not self.answer_parts:
            return None
        lead, *items = self.answer_parts
        return f"{lead} {ANSWER_JOIN.join(items)}" if items else lead

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "score": self.score,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class SearchResult:
    """Hits best first, and what the reader should be told about them.

    ``suggestion`` is the corrected query the hits are for, when a word matched nothing and
    the pack has a close word. The first ``complete`` hits have every word of the query; the
    rest are the closest matches, with most of its words. ``common_words_only`` says the
    query had no word to search for.
    """

    query: str
    hits: tuple[Hit, ...] = ()
    suggestion: str | None = None
    complete: int = 0
    common_words_only: bool = False
    plan: QueryPlan | None = field(default=None, compare=False, repr=False)

    @property
    def answer(self) -> str | None:
        return self.hits[0].answer if self.hits else None

    @property
    def partial(self) -> bool:
        """True when no section has every word: every hit is one of the closest matches."""
        return bool(self.hits) and self.complete == 0

    def notices(self) -> list[str]:
        """What to say above the hits, as plain sentences."""
        out: list[str] = []
        if self.common_words_only:
            out.append(
                f"“{' '.join(self.query.split())}” has only common words. Add a word for what"
                " you want to know, or put words in quotes to find them exactly."
            )
            return out
        if self.suggestion:
            out.append(f"Showing results for {self.suggestion}.")
        if self.partial:
            out.append(CLOSEST)
        if not self.hits and self.query.strip():
            out.append(NO_RESULTS)
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "hits": [h.as_json() for h in self.hits],
            "suggestion": self.suggestion,
            "complete": self.complete,
            "notices": self.notices(),
        }
