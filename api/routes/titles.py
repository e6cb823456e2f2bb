"""Questions about one movie by title: popularity score and votes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from api.responses import JsonResponse
from api.routes.params import MOVIE_ID_DOC, TITLE_DOC, YEAR_DOC, optional_int, path_text, resources
from api.schemas import ScoreAnswer, VotesAnswer, errors
from api.services.titles import TitleMatch, find_title
from shared import query_rules
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])
TITLE_PARAMETERS = {"parameters": [TITLE_DOC, YEAR_DOC, MOVIE_ID_DOC]}


def card(movie: dict[str, Any]) -> dict[str, Any]:
    """What a client needs to show the film as a card, whatever its votes (the same on every title route)."""
    return {"poster_path": movie.get("poster_path"), "directores": movie.get("directores", [])}


async def matched_title(request: Request) -> TitleMatch:
    """The movie the path's title names, `?anio=`/`?id=` applied (shared by every title route)."""
    state = resources(request)
    return await find_title(
        state.dataset,
        state.catalogs,
        path_text(request, "titulo"),
        year=optional_int(request, "anio"),
        movie_id=optional_int(request, "id"),
    )


@router.get(
    "/score_titulo/{titulo:text}",
    summary="Año de estreno y popularidad de una película",
    response_model=None,
    responses={200: {"model": ScoreAnswer}, **errors(404, 422, 503)},
    openapi_extra=TITLE_PARAMETERS,
)
async def score_titulo(request: Request) -> Response:
    match = await matched_title(request)
    movie = match.movie
    return JsonResponse(
        {
            "id": movie["id"],
            "titulo": movie["titulo"],
            "anio": movie["anio"],
            "score": movie["popularidad"],
            **card(movie),
            "otras_coincidencias": match.others,
            "mensaje": sentences.score(movie["titulo"], movie["anio"], movie["popularidad"]),
        }
    )


@router.get(
    "/votos_titulo/{titulo:text}",
    summary="Valoraciones de una película (solo con al menos 2000 votos)",
    response_model=None,
    responses={200: {"model": VotesAnswer}, **errors(404, 422, 503)},
    openapi_extra=TITLE_PARAMETERS,
)
async def votos_titulo(request: Request) -> Response:
    match = await matched_title(request)
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
    return JsonResponse(body)
