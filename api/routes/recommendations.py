"""Five similar movies: from the worker's cache, or computed by the worker while the client waits a little."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from api.responses import JsonResponse
from api.routes.params import resources
from api.routes.titles import TITLE_PARAMETERS, matched_title
from api.schemas import JobAccepted, RecommendationAnswer, errors
from api.services.exclusions import EXCLUDE_DOC, excluded_ids
from api.services.recommendations import Pending, recommend
from shared.wording import answers as messages

router = APIRouter(tags=["recomendaciones"])


@router.get(
    "/recomendacion/{titulo:text}",
    summary="Las 5 películas más parecidas",
    response_model=None,
    responses={
        200: {"model": RecommendationAnswer},
        202: {"model": JobAccepted, "description": "Aún calculando: vuelve a preguntar en unos segundos."},
        **errors(404, 422, 503),
    },
    openapi_extra={"parameters": [*TITLE_PARAMETERS["parameters"], EXCLUDE_DOC]},
)
async def recomendacion(request: Request) -> Response:
    exclude = excluded_ids(request)
    match = await matched_title(request)
    state = resources(request)
    result = await recommend(
        state.dataset, state.queue, match, state.settings.recommend_wait_seconds, exclude=exclude
    )
    if isinstance(result, Pending):
        return JsonResponse(
            {"job_id": result.job_id, "estado": result.estado, "mensaje": messages.recommendation_pending()},
            status_code=202,
            headers={"Retry-After": "2"},
        )
    movie = match.movie
    titles = [str(title) for title in result["recomendaciones"]]
    return JsonResponse(
        {
            "id": movie["id"],
            "titulo": movie["titulo"],
            "anio": movie["anio"],
            "recomendaciones": titles,
            "detalle": result["detalle"],
            "otras_coincidencias": match.others,
            "mensaje": messages.recommendation(movie["titulo"], movie["anio"], titles),
        }
    )
