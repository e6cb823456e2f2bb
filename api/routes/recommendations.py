"""Five similar movies: from the worker's cache, or computed by the worker while the client waits a little."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api import messages
from api.deps import ResourcesDep
from api.responses import JsonResponse
from api.routes.titles import IdParam, TitleParam, YearParam
from api.schemas import JobAccepted, RecommendationAnswer, errors
from api.services.recommendations import Pending, recommend
from api.services.titles import find_title

router = APIRouter(tags=["recomendaciones"])


@router.get(
    "/recomendacion/{titulo:path}",
    summary="Las 5 películas más parecidas",
    response_model=None,
    responses={
        200: {"model": RecommendationAnswer},
        202: {"model": JobAccepted, "description": "Todavía calculando: volvé a preguntar en unos segundos."},
        **errors(404, 422, 503),
    },
)
async def recomendacion(
    titulo: TitleParam, resources: ResourcesDep, anio: YearParam = None, movie_id: IdParam = None
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    result = await recommend(
        resources.redis, resources.queue, match, resources.settings.recommend_wait_seconds
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
