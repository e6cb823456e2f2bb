"""The ASGI app: `create_app(settings)` wires routers, middleware and error handlers; `app` is the default."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.lifespan import open_resources
from api.observability import Metrics, RequestContextMiddleware
from api.remembered_answers import RememberedAnswersMiddleware
from api.responses import JsonResponse
from api.routes import admin, calendar, health, people, recommendations, search, titles, users
from api.services.answer_memo import AnswerMemo
from shared.settings import Settings

DESCRIPTION = (
    "Preguntas sobre el catálogo de películas y recomendaciones por contenido. Todas las respuestas "
    "traen `mensaje`, una oración en español; los errores comparten la forma "
    '`{"error": "<código>", "detail": "<explicación>"}`.'
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    metrics = Metrics()
    memo = AnswerMemo(settings.api_remember_megabytes * 2**20) if settings.api_remember_answers else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with open_resources(settings, metrics, memo) as resources:
            yield {"resources": resources}

    app = FastAPI(
        title="Cartelera API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=JsonResponse,
    )
    app.state.metrics = metrics
    install_error_handlers(app)
    # Flat, not include_router: FastAPI matches an included router's routes through a nested
    # router (twice per request), which costs more than the Redis lookup on the hot path. And
    # first: the query routes are tried before the documentation pages.
    queries = [
        route
        for module in (calendar, titles, people, recommendations, search)
        for route in module.router.routes
    ]
    app.router.routes[:0] = [*queries, *users.router.routes, *admin.router.routes, *health.router.routes]
    if memo is not None:
        app.add_middleware(RememberedAnswersMiddleware, memo=memo, routes=queries, metrics=metrics)
    # Added last, so outermost: remembered answers get a request id, metrics and a log line too.
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app


app = create_app()
