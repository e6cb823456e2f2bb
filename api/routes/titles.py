"""Questions about one movie by title: popularity score and votes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api import messages
from api.deps import ResourcesDep
from api.responses import JsonResponse
from api.schemas import ScoreAnswer, VotesAnswer, errors
from api.services.titles import find_title

router = APIRouter(tags=["consultas"])

TitleParam = Annotated[
    str,
    Path(
        description="Título como lo escriba la persona (sin importar mayúsculas, tildes ni espacios). "
        "Codificá /, ?, # y % (Face%2FOff). Con varias películas del mismo título, "
        "«Hamlet (1996)» elige por año.",
    ),
]
YearParam = Annotated[int | None, Query(description="Elige entre películas del mismo título por año.")]
IdParam = Annotated[
    int | None, Query(alias="id", description="Elige entre películas del mismo título por id.")
]


@router.get(
    "/score_titulo/{titulo:path}",
    summary="Año de estreno y popularidad de una película",
    response_model=None,
    responses={200: {"model": ScoreAnswer}, **errors(404, 422, 503)},
)
async def score_titulo(
    titulo: TitleParam, resources: ResourcesDep, anio: YearParam = None, movie_id: IdParam = None
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    movie = match.movie
    return JsonResponse(
        {
            "id": movie["id"],
            "titulo": movie["titulo"],
            "anio": movie["anio"],
            "score": movie["popularidad"],
            "otras_coincidencias": match.others,
            "mensaje": messages.score(movie["titulo"], movie["anio"], movie["popularidad"]),
        }
    )


@router.get(
    "/votos_titulo/{titulo:path}",
    summary="Valoraciones de una película (solo con al menos 2000 votos)",
    response_model=None,
    responses={200: {"model": VotesAnswer}, **errors(404, 422, 503)},
)
async def votos_titulo(
    titulo: TitleParam, resources: ResourcesDep, anio: YearParam = None, movie_id: IdParam = None
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    movie = match.movie
    body: dict[str, Any] = {"id": movie["id"], "titulo": movie["titulo"], "anio": movie["anio"]}
    if movie["votos"] >= messages.MIN_VOTES:
        body["cumple_minimo"] = True
        body["votos"] = movie["votos"]
        body["promedio"] = movie["promedio"]
        body["mensaje"] = messages.votes(movie["titulo"], movie["anio"], movie["votos"], movie["promedio"])
    else:
        body["cumple_minimo"] = False
        body["mensaje"] = messages.votes_below_minimum(movie["titulo"], movie["anio"])
    body["otras_coincidencias"] = match.others
    return JsonResponse(body)
