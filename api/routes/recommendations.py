"""Five similar movies: from the worker's cache, or computed by the worker while the client waits a little."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import ResourcesDep
from api.responses import JsonResponse, query_answer
from api.routes.params import MovieIdQuery, TitlePath, YearQuery
from api.schemas import JobAccepted, RecommendationAnswer, errors
from api.services.exclusions import ExcludeQuery, excluded_ids
from api.services.recommendations import Pending, recommend
from api.services.titles import find_title
from shared.wording import answers as messages

router = APIRouter(tags=["recomendaciones"])


@router.get(
    "/recomendacion/{titulo:text}",
    summary="Las 5 películas más parecidas",
    response_model=RecommendationAnswer,
    responses={
        202: {"model": JobAccepted, "description": "Aún calculando: vuelve a preguntar en unos segundos."},
        **errors(404, 422, 503),
    },
)
async def recomendacion(
    titulo: TitlePath,
    resources: ResourcesDep,
    anio: YearQuery = None,
    movie_id: MovieIdQuery = None,
    excluir: ExcludeQuery = None,
) -> Response:
    match = await find_title(resources.dataset, resources.catalogs, titulo, year=anio, movie_id=movie_id)
    result = await recommend(
        resources.dataset,
        resources.queue,
        resources.job_events,
        match,
        resources.settings.recommend_wait_seconds,
        exclude=excluded_ids(excluir),
    )
    if isinstance(result, Pending):
        return JsonResponse(
            {"job_id": result.job_id, "estado": result.estado, "mensaje": messages.recommendation_pending()},
            status_code=202,
            headers={"Retry-After": "2"},
        )
    movie = match.movie
    body = {
        "id": movie["id"],
        "titulo": movie["titulo"],
        "anio": movie["anio"],
        "recomendaciones": result.recomendaciones,
        "detalle": [film.model_dump() for film in result.detalle],
        "otras_coincidencias": match.others,
        "mensaje": messages.recommendation(movie["titulo"], movie["anio"], result.recomendaciones),
    }
    return query_answer(body, match.version)
