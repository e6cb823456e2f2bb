"""The ASGI app: `create_app(settings)` wires routers, middleware and error handlers; `app` is built from
the environment when a server first asks for it (`uvicorn api.main:app`), never at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.answer_memo import AnswerMemo, AnswerMemoMiddleware
from api.errors import install_error_handlers
from api.lifespan import open_resources
from api.observability import Metrics, RequestContextMiddleware, quiet_uvicorn_access
from api.request_limits import RequestLimitsMiddleware
from api.responses import JsonResponse
from api.routes import admin, calendar, health, people, recommendations, search, titles, users
from shared.logging_setup import configure_logging
from shared.settings import ApiSettings, load

DESCRIPTION = (
    "Preguntas sobre el catálogo de películas y recomendaciones por contenido. Todas las respuestas "
    "traen `mensaje`, una oración en español; los errores comparten la forma "
    '`{"error": "<código>", "detail": "<explicación>"}`.'
)


def create_app(settings: ApiSettings) -> FastAPI:
    """The app over the Redis at `settings.redis_url`, which must be set: the app never starts a
    Redis (only `python -m api` may, and then it passes the URL in)."""
    settings.redis_address()  # fails now, not at the first request, when there is no URL
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
        # The gateway reports through its own Prometheus series and log lines; FastAPI's OpenTelemetry
        # hooks would only look for a provider on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.metrics = metrics
    install_error_handlers(app)
    # The routes themselves, not include_router: FastAPI matches an included router through a
    # nested router (each of its routes tried twice per request), which costs more than the Redis
    # lookup of a query. Query routes first: they are what most requests ask for.
    app.router.routes[:0] = [
        route
        for module in (calendar, titles, people, recommendations, search, users, admin, health)
        for route in module.router.routes
    ]
    if memo is not None:
        app.add_middleware(AnswerMemoMiddleware, memo=memo, metrics=metrics)
    app.add_middleware(
        RequestLimitsMiddleware,
        max_url_length=settings.api_max_url_length,
        max_concurrency=settings.api_max_concurrency,
        metrics=metrics,
    )
    # Added last, so outermost: answers from the memo get a request id, metrics and a log line too.
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app


def __getattr__(name: str) -> FastAPI:
    # `api.main:app` for any ASGI server: built on first access, from the environment of that moment.
    if name == "app":
        settings = load(ApiSettings)
        # This is the entry point for other servers: our log format replaces theirs.
        configure_logging("api", settings.log_level, settings.log_format, request_ids=True)
        quiet_uvicorn_access()
        app = create_app(settings)
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
