"""Actors and directors by name as typed: homonyms resolved by film count, typos answered with suggestions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from api.errors import InvalidInputError, NotFoundError
from api.responses import DATASET_VERSION_HEADER
from api.services.dataset import DatasetReader, Found
from api.services.suggestions import CatalogCache
from shared.schemas import ActorStats, DirectorStats, PersonRef
from shared.text import name_key
from shared.wording import errors as messages

MAX_NAME_LENGTH = 200
Role = Literal["actor", "director"]
_name_key = lru_cache(maxsize=16384)(name_key)
_Person = TypeVar("_Person", ActorStats, DirectorStats)


@dataclass(frozen=True)
class PersonMatch(Generic[_Person]):
    """The person who answers, the others of the same name, and the version they come from."""

    version: str
    person: _Person
    others: list[PersonRef]


class PersonNotFoundError(NotFoundError):
    def __init__(
        self, role: Role, detail: str, suggestions: list[PersonRef], version: str | None = None
    ) -> None:
        # Named when read from one version (suggestions included): the answer memo may keep it.
        headers = {DATASET_VERSION_HEADER: version} if version is not None else None
        super().__init__(detail, code=f"{role}_not_found", headers=headers, sugerencias=suggestions)


def _acted(person: ActorStats) -> int:
    return person["cantidad_filmaciones"]


def _directed(person: DirectorStats) -> int:
    return len(person["peliculas"])


async def find_actor(
    reader: DatasetReader, catalogs: CatalogCache, text: str, *, person_id: int | None = None
) -> PersonMatch[ActorStats]:
    """The actor or actress called `text`; several share the name: `person_id` picks, else most films."""
    return await _find(reader.actors_named, catalogs, "actor", _acted, text, person_id=person_id)


async def find_director(
    reader: DatasetReader, catalogs: CatalogCache, text: str, *, person_id: int | None = None
) -> PersonMatch[DirectorStats]:
    """The director called `text`; several share the name: `person_id` picks, else most films."""
    return await _find(reader.directors_named, catalogs, "director", _directed, text, person_id=person_id)


async def _find(
    lookup: Callable[[Sequence[str]], Awaitable[Found[list[_Person]]]],
    catalogs: CatalogCache,
    role: Role,
    films: Callable[[_Person], int],
    text: str,
    *,
    person_id: int | None,
) -> PersonMatch[_Person]:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInputError(messages.empty_name(), code="empty_name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInputError(messages.name_too_long(MAX_NAME_LENGTH), code="name_too_long")
    # A slash left at the end of the URL is not part of the name: both readings in one lookup.
    unslashed = cleaned.rstrip("/").rstrip()
    found = await lookup(list(dict.fromkeys(_name_key(n) for n in (cleaned, unslashed) if n)))
    people = found.value
    if people is None:
        kind = "actors" if role == "actor" else "directors"
        suggested = await catalogs.people(kind, found.version, unslashed or cleaned)
        detail = messages.person_not_found(role, cleaned, bool(suggested.entries))
        same = suggested.version == found.version
        raise PersonNotFoundError(role, detail, suggested.entries, found.version if same else None)

    def brief(person: _Person) -> PersonRef:
        return {"id": person["person_id"], "nombre": person["nombre"], "cantidad_filmaciones": films(person)}

    candidates = [p for p in people if person_id is None or p["person_id"] == person_id]
    if not candidates:
        detail = messages.person_id_not_found(people[0]["nombre"], person_id or 0)
        raise PersonNotFoundError(role, detail, [brief(p) for p in people[:5]], found.version)
    best = max(candidates, key=films)
    return PersonMatch(found.version, best, [brief(p) for p in people if p is not best])
