"""Search room: the function words a question is made of, per pack language."""

from __future__ import annotations

# Words that carry the grammar of a question, not its subject: question words, auxiliaries,
# pronouns, articles, prepositions and conjunctions. Written for how trainees and patients
# type questions ("can you get addicted to ketamine", "what are the side effects"); words
# that name a subject even when common ("use", "work", "help", "long", "drug") are not here.
_ENGLISH = """
a about above after again against all am an and any are as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each either else ever every few for from further get gets getting got had
has hasn't have haven't having he he'd he's her here hers herself him himself his how how's
i i'd i'm i've if in into is isn't it it's its itself just let's may me might mine more most
must my myself neither no nor not of off on once only or other ought our ours ourselves out
over own please same shall she she'd she's should shouldn't so some such than that that's the
their theirs them themselves then there there's these they they'd they're they've this those
through to too under until up upon us very was wasn't we we'd we're we've were weren't what
what's when when's where where's whether which while who who's whom whose why why's will with
within without won't would wouldn't you you'd you'll you're you've your yours yourself
yourselves
"""

_LISTS: dict[str, frozenset[str]] = {"en": frozenset(_ENGLISH.split())}


def stop_words(language: str | None) -> frozenset[str]:
    """The stop words for a pack's ``language`` (a tag such as "en" or "en-GB"); none if unknown."""
    if not language:
        return frozenset()
    primary = language.strip().lower().replace("_", "-").split("-", 1)[0]
    return _LISTS.get(primary, frozenset())


def is_stop_word(word: str, words: frozenset[str]) -> bool:
    """True when ``word`` (lower case, as parsed) is one of ``words``; ’ counts as '."""
    return word.replace("’", "'") in words
