"""Finds the one movie a user means by a title, as typed: exact key, optional year or id, else 404."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from api.errors import InvalidInputError, NotFoundError
from api.responses import DATASET_VERSION_HEADER
from api.services.dataset import DatasetReader
from api.services.suggestions import CatalogCache
from shared.schemas import Movie, MovieRef
from shared.text import split_title_year, title_key
from shared.wording import errors as messages

MAX_TITLE_LENGTH = 300
# A path encoded twice (`%2520`) is still read; deeper encodings are not titles anyone typed.
_MAX_DECODINGS = 2
MAX_READINGS = 12
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


def _decodings(text: str) -> list[str]:
    """The text as typed, then decoded once and twice when it is percent-encoded (at most)."""
    texts = [text]
    for _ in range(_MAX_DECODINGS):
        if not _ESCAPED.search(texts[-1]):
            break
        decoded = unquote(texts[-1]).strip()
        if not decoded or decoded == texts[-1]:
            break
        texts.append(decoded)
    return texts


def _readings(texts: list[str]) -> list[tuple[str, int | None]]:
    """The ways to read what was typed (`_decodings`), most literal first: a title that really ends
    in `(1996)` is found as is before `(1996)` is taken as a year; an encoded path is decoded last.

    Bounded whatever was typed: at most two decodings (a path encoded twice), each reading at most
    as typed, without its trailing slashes, and without a `(year)`: never more than
    `MAX_READINGS` readings, all distinct, looked up in one round trip.
    """
    readings: list[tuple[str, int | None]] = []
    for typed in texts:
        # A slash left at the end of the URL (`/score_titulo/Toy Story/`) is not part of the title.
        unslashed = typed.rstrip("/").rstrip()
        for candidate in (typed, unslashed):
            if not candidate:
                continue
            base, year = split_title_year(candidate)
            for reading in ((candidate, None), (base, year)):
                if reading[0] and reading not in readings:
                    readings.append(reading)
    return readings[:MAX_READINGS]


def _meant(texts: list[str]) -> str:
    """What a title nobody has was meant to be, for the suggestions: the most decoded reading,
    without the slashes and the year around it (`%2525Toy Stori (1995)//` -> `Toy Stori`)."""
    unslashed = texts[-1].rstrip("/").rstrip()
    return split_title_year(unslashed)[0].strip() or texts[0]


def _versioned(version: str) -> dict[str, str]:
    # A "not found" read from one version names it, as answers do: the answer memo may keep it.
    return {DATASET_VERSION_HEADER: version}


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
    texts = _decodings(cleaned)
    readings: dict[str, int | None] = {}
    for reading, typed_year in _readings(texts):
        readings.setdefault(_title_key(reading), typed_year)
    found = await reader.movies_titled(list(readings))
    movies = found.value
    if movies is None:
        suggested = await catalogs.titles(found.version, _meant(texts))
        detail = messages.title_not_found(cleaned, bool(suggested.entries))
        # Suggested from an older catalogue (the new one is being built): not kept by the memo.
        headers = _versioned(found.version) if suggested.version == found.version else None
        raise TitleNotFoundError(detail, headers=headers, sugerencias=suggested.entries)
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
        raise TitleNotFoundError(
            detail, headers=_versioned(found.version), sugerencias=[brief(m) for m in movies[:5]]
        )
    # The published list is most-voted first already; sorting again keeps that a guarantee here.
    best = max(chosen, key=lambda m: m["votos"])
    others = [brief(m) for m in movies if m is not best]
    return TitleMatch(found.version, best, others)
