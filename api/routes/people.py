"""Questions about a person by name: an actor's cast credits, a director's films."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import ResourcesDep
from api.responses import query_answer
from api.routes.params import NamePath, PersonIdQuery
from api.schemas import ActorAnswer, DirectorAnswer, errors
from api.services.people import find_actor, find_director
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])


@router.get(
    "/get_actor/{nombre:text}",
    summary="Películas y retorno de un actor o actriz (solo créditos de reparto)",
    response_model=ActorAnswer,
    responses=errors(404, 422, 503),
)
async def get_actor(nombre: NamePath, resources: ResourcesDep, person_id: PersonIdQuery = None) -> Response:
    match = await find_actor(resources.dataset, resources.catalogs, nombre, person_id=person_id)
    person = match.person
    body = {
        "actor": person["nombre"],
        "id": person["person_id"],
        "cantidad_filmaciones": person["cantidad_filmaciones"],
        "retorno_total": person["retorno_total"],
        "retorno_promedio": person["retorno_promedio"],
        "otras_coincidencias": match.others,
        "mensaje": sentences.actor(
            person["nombre"],
            person["cantidad_filmaciones"],
            person["retorno_total"],
            person["retorno_promedio"],
        ),
    }
    return query_answer(body, match.version)


@router.get(
    "/get_director/{nombre:text}",
    summary="Películas dirigidas por una persona, con su retorno, costo y ganancia",
    response_model=DirectorAnswer,
    responses=errors(404, 422, 503),
)
async def get_director(
    nombre: NamePath, resources: ResourcesDep, person_id: PersonIdQuery = None
) -> Response:
    match = await find_director(resources.dataset, resources.catalogs, nombre, person_id=person_id)
    person = match.person
    films = person["peliculas"]
    body = {
        "director": person["nombre"],
        "id": person["person_id"],
        "cantidad_peliculas": len(films),
        "retorno_total": person["retorno_total"],
        "peliculas": films,
        "otras_coincidencias": match.others,
        "mensaje": sentences.director(person["nombre"], len(films), person["retorno_total"]),
    }
    return query_answer(body, match.version)
