"""Questions about a person by name: an actor's cast credits, a director's films."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from api.responses import JsonResponse
from api.routes.params import NAME_DOC, PERSON_ID_DOC, optional_int, path_text, resources
from api.schemas import ActorAnswer, DirectorAnswer, errors
from api.services.people import PersonMatch, Role, find_person
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])

PERSON_PARAMETERS = {"parameters": [NAME_DOC, PERSON_ID_DOC]}


async def matched_person(request: Request, role: Role) -> PersonMatch:
    state = resources(request)
    return await find_person(
        state.dataset,
        state.catalogs,
        role,
        path_text(request, "nombre"),
        person_id=optional_int(request, "id"),
    )


@router.get(
    "/get_actor/{nombre:text}",
    summary="Películas y retorno de un actor o actriz (solo créditos de reparto)",
    response_model=None,
    responses={200: {"model": ActorAnswer}, **errors(404, 422, 503)},
    openapi_extra=PERSON_PARAMETERS,
)
async def get_actor(request: Request) -> Response:
    match = await matched_person(request, "actor")
    person = match.person
    return JsonResponse(
        {
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
    )


@router.get(
    "/get_director/{nombre:text}",
    summary="Películas dirigidas por una persona, con su retorno, costo y ganancia",
    response_model=None,
    responses={200: {"model": DirectorAnswer}, **errors(404, 422, 503)},
    openapi_extra=PERSON_PARAMETERS,
)
async def get_director(request: Request) -> Response:
    match = await matched_person(request, "director")
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
            "mensaje": sentences.director(person["nombre"], len(films), person["retorno_total"]),
        }
    )
