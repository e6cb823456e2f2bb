"""How a typed text matches a folded title in title search; the ETL's index and the API rank alike."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")

EXACT, TITLE_START, WORD_START = 0, 1, 2
# A title that starts with an article starts, for someone typing it, after the article too:
# `godf` finds The Godfather among titles that start with it, not among mere word matches.
ARTICLES = frozenset(
    {"the", "a", "an", "el", "la", "los", "las", "lo", "le", "les", "il", "der", "die", "das"}
)


def word_starts(folded: str) -> list[int]:
    """Where each word of a folded title starts (the title's start always counts)."""
    starts = [match.start() for match in _WORD.finditer(folded)]
    return starts if starts and starts[0] == 0 else [0, *starts]


def tier(folded_title: str, typed: str) -> int | None:
    """EXACT the whole title, TITLE_START its start, WORD_START a later word's start, None no match."""
    if folded_title == typed:
        return EXACT
    if folded_title.startswith(typed):
        return TITLE_START
    starts = word_starts(folded_title)[1:]
    if not any(folded_title.startswith(typed, start) for start in starts):
        return None
    first_word = folded_title[: starts[0]].strip()
    return TITLE_START if first_word in ARTICLES and folded_title.startswith(typed, starts[0]) else WORD_START
