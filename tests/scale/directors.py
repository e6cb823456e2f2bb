"""Director questions whose answers list many films: the titles of an answer say its dataset version."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests import independent
from tests.conftest import MARK


def busiest_directors(count: int) -> list[str]:
    """Names of the sample's directors with the most films, one person per name."""
    films: Counter[str] = Counter()
    for crew in independent.credit_rows()["crew"]:
        for name in {member["name"] for member in crew if member.get("job") == "Director"}:
            films[name] += 1
    names = [name for name, _ in films.most_common(count * 4)]
    unique = [n for n in names if sum(1 for m in names if m.casefold() == n.casefold()) == 1]
    return unique[:count]


def version_kind(answer: dict[str, Any]) -> str:
    """`old` (the sample), `new` (its marked copy) or `mixed` (titles of both: never allowed)."""
    marked = {film["titulo"].endswith(MARK) for film in answer["peliculas"]}
    return "mixed" if len(marked) > 1 else "new" if marked == {True} else "old"
