"""Questions about a person by name: an actor's cast credits, a director's films."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api import messages
from api.deps import ResourcesDep
from api.responses import JsonResponse
from api.schemas import ActorAnswer, DirectorAnswer, errors
from api.services.people import find_person

router = APIRouter(tags=["consultas"])

NameParam = Annotated[
    str, Path(description="Nombre como lo escriba la persona (sin importar mayúsculas ni tildes).")
]
PersonIdParam = Annotated[
    int | None, Query(alias="id", description="Elige entre personas del mismo nombre por su id de TMDB.")
]


@router.get(
    "/get_actor/{nombre:path}",
    summary="Películas y retorno de un actor o actriz (solo créditos de reparto)",
    response_model=None,
    responses={200: {"model": ActorAnswer}, **errors(404, 422, 503)},
)
async def get_actor(nombre: NameParam, resources: ResourcesDep, person_id: PersonIdParam = None) -> Response:
    match = await find_person(resources.dataset, resources.catalogs, "actor", nombre, person_id=person_id)
    person = match.person
    return JsonResponse(
        {
            "actor": person["nombre"],
            "id": person["person_id"],
            "cantidad_filmaciones": person["cantidad_filmaciones"],
            "retorno_total": person["retorno_total"],
            "retorno_promedio": person["retorno_promedio"],
            "otras_coincidencias": match.others,
            "mensaje": messages.actor(
                person["nombre"],
                person["cantidad_filmaciones"],
                person["retorno_total"],
                person["retorno_promedio"],
            ),
        }
    )


@router.get(
    "/get_director/{nombre:path}",
    summary="Películas dirigidas por una persona, con su retorno, costo y ganancia",
    response_model=None,
    responses={200: {"model": DirectorAnswer}, **errors(404, 422, 503)},
)
async def get_director(
    nombre: NameParam, resources: ResourcesDep, person_id: PersonIdParam = None
) -> Response:
    match = await find_person(resources.dataset, resources.catalogs, "director", nombre, person_id=person_id)
    person = match.person
    films = person["peliculas"]
    return JsonResponse(
        {
            "director": person["nombre"],
            "id": person["person_id"],
            "cantidad_peliculas": len(films),
            "retorno_total": person["retorno_total"],
            "peliculas": films,
            "otras_coincidencias": match.others,
            "mensaje": messages.director(person["nombre"], len(films), person["retorno_total"]),
        }
    )
