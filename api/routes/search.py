"""Title search as the user types (`/buscar`), for the bot's inline mode and any client."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from api.deps import ResourcesDep
from api.responses import JsonResponse, query_answer
from api.schemas import errors
from api.services.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, TitleSearch

router = APIRouter(tags=["consultas"])


class SearchResult(BaseModel):
    id: int
    titulo: str
    anio: int
    score: float = Field(description="Popularidad en TMDB.")
    votos: int
    poster_path: str | None = Field(description="Ruta del póster en TMDB (sin la base de la imagen).")


class SearchAnswer(BaseModel):
    consulta: str
    resultados: list[SearchResult]


async def title_search(request: Request, resources: ResourcesDep) -> TitleSearch:
    """One searcher per running app (its Lua script registered once), over the app's dataset reader."""
    searcher = getattr(request.app.state, "title_search", None)
    if not isinstance(searcher, TitleSearch) or searcher.reader is not resources.dataset:
        searcher = TitleSearch(resources.dataset, resources.catalogs)
        request.app.state.title_search = searcher
    return searcher


SearchDep = Annotated[TitleSearch, Depends(title_search)]


@router.get(
    "/buscar",
    summary="Películas cuyo título coincide con lo escrito hasta ahora",
    response_model=SearchAnswer,
    responses=errors(422, 503),
)
async def buscar(
    searcher: SearchDep,
    q: Annotated[
        str,
        Query(
            description=(
                f"Lo escrito hasta ahora (hasta {MAX_QUERY_LENGTH} caracteres; sin importar mayúsculas "
                "ni tildes). Primero los títulos que empiezan así o tienen una palabra que empieza así; "
                "después, títulos parecidos. Empates: más votos primero."
            )
        ),
    ] = "",
    limite: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Cuántos resultados (1 a {MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
) -> Response:
    # Built as the model documents it; returned as is, without FastAPI validating it a second time
    # (that costs more than the lookup on a route asked once per keystroke).
    version, results = await searcher.search(q, limite)
    body = {"consulta": q.strip(), "resultados": results}
    return JsonResponse(body) if version is None else query_answer(body, version)
