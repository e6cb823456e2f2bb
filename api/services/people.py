"""Actors and directors by name as typed: homonyms resolved by film count, typos answered with suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import orjson

from api.errors import InvalidInputError, NotFoundError
from api.services.dataset import DatasetReader
from api.services.suggestions import CatalogCache
from shared import keys
from shared.text import name_key
from shared.wording import errors as messages

MAX_NAME_LENGTH = 200
Role = Literal["actor", "director"]
_name_key = lru_cache(maxsize=16384)(name_key)


@dataclass(frozen=True)
class PersonMatch:
    version: str
    person: dict[str, Any]
    others: list[dict[str, Any]]


class PersonNotFoundError(NotFoundError):
    def __init__(self, role: Role, detail: str, suggestions: list[dict[str, Any]]) -> None:
        super().__init__(detail, code=f"{role}_not_found", sugerencias=suggestions)


def _films(person: dict[str, Any]) -> int:
    if "cantidad_filmaciones" in person:
        return int(person["cantidad_filmaciones"])
    return len(person.get("peliculas", ()))


def brief(person: dict[str, Any]) -> dict[str, Any]:
    return {"id": person["person_id"], "nombre": person["nombre"], "cantidad_filmaciones": _films(person)}


async def find_person(
    reader: DatasetReader,
    catalogs: CatalogCache,
    role: Role,
    text: str,
    *,
    person_id: int | None = None,
) -> PersonMatch:
    """The person called `text` in `role`; several share the name: `person_id` picks, else most films."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInputError(messages.empty_name(), code="empty_name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInputError(messages.name_too_long(MAX_NAME_LENGTH), code="name_too_long")
    key_for = keys.actors if role == "actor" else keys.directors
    version, raw = await reader.field(key_for, _name_key(cleaned))
    unslashed = cleaned.rstrip("/").rstrip()
    if raw is None and unslashed and unslashed != cleaned:
        # A slash left at the end of the URL is not part of the name.
        version, raw = await reader.field(key_for, _name_key(unslashed))
    if raw is None:
        kind = "actors" if role == "actor" else "directors"
        suggestions = await catalogs.suggest(kind, version, unslashed or cleaned)
        raise PersonNotFoundError(
            role, messages.person_not_found(role, cleaned, bool(suggestions)), suggestions
        )
    people: list[dict[str, Any]] = orjson.loads(raw)
    candidates = [p for p in people if person_id is None or p["person_id"] == person_id]
    if not candidates:
        detail = messages.person_id_not_found(people[0]["nombre"], person_id or 0)
        raise PersonNotFoundError(role, detail, [brief(p) for p in people[:5]])
    best = max(candidates, key=_films)
    return PersonMatch(version, best, [brief(p) for p in people if p is not best])
