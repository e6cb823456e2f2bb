"""Questions about one movie by title: popularity score and votes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import ResourcesDep
from api.responses import query_answer
from api.routes.params import MovieIdQuery, TitlePath, YearQuery
from api.schemas import ScoreAnswer, VotesAnswer, errors
from api.services.titles import find_title
from shared import query_rules
from shared.schemas import Movie
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])


def card(movie: Movie) -> dict[str, Any]:
    """What a client needs to show the film as a card, whatever its votes (the same on every title route)."""
    return {"poster_path": movie.get("poster_path"), "directores": movie.get("directores", [])}


@router.get(
    "/score_titulo/{titulo:text}",
    summary="Año de estreno y popularidad de una película",
    response_model=ScoreAnswer,
    responses=errors(404, 422, 503),
)
async def score_titulo(
    titulo: TitlePath, resources: ResourcesDep, anio: YearQuery = None, movie_id: MovieIdQuery = None
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    movie = match.movie
    body = {
        "id": movie["id"],
        "titulo": movie["titulo"],
        "anio": movie["anio"],
        "score": movie["popularidad"],
        **card(movie),
        "otras_coincidencias": match.others,
        "mensaje": sentences.score(movie["titulo"], movie["anio"], movie["popularidad"]),
    }
    return query_answer(body, match.version)


@router.get(
    "/votos_titulo/{titulo:text}",
    summary="Valoraciones de una película (solo con al menos 2000 votos)",
    response_model=VotesAnswer,
    responses=errors(404, 422, 503),
)
async def votos_titulo(
    titulo: TitlePath, resources: ResourcesDep, anio: YearQuery = None, movie_id: MovieIdQuery = None
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    movie = match.movie
    body: dict[str, Any] = {
        "id": movie["id"],
        "titulo": movie["titulo"],
        "anio": movie["anio"],
        **card(movie),
    }
    if movie["votos"] >= query_rules.MIN_VOTES:
        body["cumple_minimo"] = True
        body["votos"] = movie["votos"]
        body["promedio"] = movie["promedio"]
        body["mensaje"] = sentences.votes(movie["titulo"], movie["anio"], movie["votos"], movie["promedio"])
    else:
        body["cumple_minimo"] = False
        body["mensaje"] = sentences.votes_below_minimum(movie["titulo"], movie["anio"])
    body["otras_coincidencias"] = match.others
    return query_answer(body, match.version)
