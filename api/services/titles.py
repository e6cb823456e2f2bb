"""Finds the one movie a user means by a title, as typed: exact key, optional year or id, else 404."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from api.errors import InvalidInputError, NotFoundError
from api.services.dataset import DatasetReader
from api.services.suggestions import CatalogCache
from shared.schemas import Movie, MovieRef
from shared.text import split_title_year, title_key
from shared.wording import errors as messages

MAX_TITLE_LENGTH = 300
_ESCAPED = re.compile(r"%[0-9A-Fa-f]{2}")
# Popular titles are asked for again and again; their key is computed once.
_title_key = lru_cache(maxsize=16384)(title_key)


@dataclass(frozen=True)
class TitleMatch:
    """The movie that answers, the other films with the same title, and the version they come from."""

    version: str
    movie: Movie
    others: list[MovieRef]


class TitleNotFoundError(NotFoundError):
    code = "title_not_found"


def brief(movie: Movie) -> MovieRef:
    return {"id": movie["id"], "titulo": movie["titulo"], "anio": movie["anio"]}


def _readings(text: str) -> list[tuple[str, int | None]]:
    """The ways to read what was typed, most literal first: a title that really ends in `(1996)`
    is found as is before `(1996)` is taken as a year; a twice-encoded path is decoded last."""
    readings: list[tuple[str, int | None]] = [(text, None)]
    base, year = split_title_year(text)
    if year is not None:
        readings.append((base, year))
    # A slash left at the end of the URL (`/score_titulo/Toy Story/`) is not part of the title.
    unslashed = text.rstrip("/").rstrip()
    if unslashed and unslashed != text:
        readings.extend(_readings(unslashed))
    if _ESCAPED.search(text):
        decoded = unquote(text).strip()
        if decoded and decoded != text:
            readings.extend(_readings(decoded))
    return readings


def clean_title(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInputError(messages.empty_title(), code="empty_title")
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise InvalidInputError(messages.title_too_long(MAX_TITLE_LENGTH), code="title_too_long")
    return cleaned


async def find_title(
    reader: DatasetReader,
    catalogs: CatalogCache,
    text: str,
    *,
    year: int | None = None,
    movie_id: int | None = None,
) -> TitleMatch:
    """The movie `text` names; several share the title: `year`/`movie_id` pick, else most votes."""
    cleaned = clean_title(text)
    # Every reading in one lookup: the first that names a film wins, all read in one version.
    readings: dict[str, int | None] = {}
    for reading, typed_year in _readings(cleaned):
        readings.setdefault(_title_key(reading), typed_year)
    found = await reader.movies_titled(list(readings))
    movies = found.value
    if movies is None:
        query = split_title_year(cleaned.rstrip("/"))[0]
        suggestions = await catalogs.titles(found.version, query)
        detail = messages.title_not_found(cleaned, bool(suggestions))
        raise TitleNotFoundError(detail, sugerencias=suggestions)
    typed_year = list(readings.values())[found.field]
    wanted_years = {y for y in (year, typed_year) if y is not None}
    chosen = [
        m
        for m in movies
        if (movie_id is None or m["id"] == movie_id) and all(m["anio"] == y for y in wanted_years)
    ]
    if not chosen:
        detail = messages.title_year_not_found(
            movies[0]["titulo"], year if year is not None else typed_year, movie_id
        )
        raise TitleNotFoundError(detail, sugerencias=[brief(m) for m in movies[:5]])
    # The published list is most-voted first already; sorting again keeps that a guarantee here.
    best = max(chosen, key=lambda m: m["votos"])
    others = [brief(m) for m in movies if m is not best]
    return TitleMatch(found.version, best, others)
