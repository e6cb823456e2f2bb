"""Homonym answers of a published version, checked through a running API: the most voted film
answers, every other film of that title is listed once; a namesake person likewise."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import quote

import httpx

from benchmarks.common import until_answered
from shared.text import title_key

# A catalogue row as the version publishes it: [id, title, year, votes].
CatalogueRow = Sequence[object]


def title_groups(catalogue: Sequence[CatalogueRow]) -> dict[str, dict[int, int]]:
    """Films by the title a user would type (folded), each with its votes."""
    groups: dict[str, dict[int, int]] = defaultdict(dict)
    for movie_id, title, _year, votes in catalogue:
        groups[title_key(str(title))][int(str(movie_id))] = int(str(votes or 0))
    return groups


def title_problems(answer: dict[str, object], films: dict[int, int]) -> list[str]:
    """What is wrong with one answer for a title whose films (id -> votes) are `films`."""
    chosen = answer.get("id")
    others = [int(str(item["id"])) for item in answer.get("otras_coincidencias") or ()]  # type: ignore[attr-defined]
    problems = []
    if not isinstance(chosen, int) or chosen not in films:
        return [f"answered {chosen!r}, not a film of that title"]
    if films[chosen] != max(films.values()):
        problems.append(
            f"answered {chosen} ({films[chosen]} votes), not the most voted ({max(films.values())})"
        )
    if len(others) != len(set(others)) or {chosen, *others} != set(films):
        problems.append(f"listed {len(others)} others, expected the other {len(films) - 1} exactly once")
    return problems


def person_problems(answer: dict[str, object], count_field: str, scale: int) -> list[str]:
    """A namesake answer: the person with the most films answers, the others listed once; at N
    times the catalogue every name has a multiple of N people."""
    others = list(answer.get("otras_coincidencias") or ())  # type: ignore[call-overload]
    ids = [answer.get("id"), *(item.get("id") for item in others)]
    problems = []
    if len(ids) != len(set(ids)):
        problems.append("a namesake listed twice")
    if len(ids) % scale:
        problems.append(f"{len(ids)} namesakes, not a multiple of {scale}")
    answered = int(str(answer.get(count_field) or 0))
    # A listed namesake carries his count of films as `cantidad_filmaciones`, actor or director.
    if any(int(str(item.get("cantidad_filmaciones") or 0)) > answered for item in others):
        problems.append("a namesake with more films is only listed")
    return problems


def check(
    client: httpx.Client,
    catalogue: Sequence[CatalogueRow],
    actors: Sequence[str],
    directors: Sequence[str],
    *,
    scale: int,
    titles: int = 20,
) -> tuple[int, list[str]]:
    """Asks the API about the best known homonym titles and people: how many answers it checked,
    and every problem found, as text."""
    groups = title_groups(catalogue)
    best_first = sorted(
        (row for row in catalogue if len(groups[title_key(str(row[1]))]) > 1),
        key=lambda row: -int(str(row[3] or 0)),
    )
    asked: dict[str, str] = {}
    for row in best_first:
        asked.setdefault(title_key(str(row[1])), str(row[1]))
        if len(asked) >= titles:
            break
    problems: list[str] = []
    checked = 0
    for number, (key, title) in enumerate(asked.items()):
        routes = ["score_titulo", "votos_titulo"] + (["recomendacion"] if number < 2 else [])
        for route in routes:
            checked += 1
            response = until_answered(client, f"/{route}/{quote(title, safe='')}")
            if response.status_code != 200:
                problems.append(f"/{route}/{title}: {response.status_code}")
                continue
            problems += [f"/{route}/{title}: {p}" for p in title_problems(response.json(), groups[key])]
    for route, names, count_field in (
        ("get_actor", actors[:5], "cantidad_filmaciones"),
        ("get_director", directors[:5], "cantidad_peliculas"),
    ):
        for name in names:
            checked += 1
            response = client.get(f"/{route}/{quote(name, safe='')}")
            if response.status_code != 200:
                problems.append(f"/{route}/{name}: {response.status_code}")
                continue
            problems += [
                f"/{route}/{name}: {p}" for p in person_problems(response.json(), count_field, scale)
            ]
    return checked, problems
