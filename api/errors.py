"""One exception base with a status code and an error code, and the handlers that give every
4xx/5xx (ours, FastAPI's validation errors, unknown routes, Redis outages) one JSON shape."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.responses import JsonResponse
from shared.wording import errors as messages

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer that is not a 2xx: `{"error": code, "detail": Spanish sentence, **extra}`."""

    status_code = 500
    code = "internal_error"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.headers = headers
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, **self.extra}


class NotFoundError(ApiError):
    status_code = 404
    code = "not_found"


class InvalidInputError(ApiError):
    status_code = 422
    code = "invalid_input"


class UnauthorizedError(ApiError):
    status_code = 401
    code = "missing_token"


class ForbiddenError(ApiError):
    status_code = 403
    code = "forbidden"


class UnavailableError(ApiError):
    status_code = 503
    code = "service_unavailable"


def error_response(
    status_code: int, body: dict[str, Any], request: Request, headers: dict[str, str] | None = None
) -> Response:
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.count_error(str(body.get("error", "unknown")))
    return JsonResponse(body, status_code=status_code, headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.body(), request, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems: list[tuple[str, str]] = []
    for error in exc.errors():
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("query", "path", "header", "body")
        ]
        problems.append((".".join(location) or "solicitud", str(error.get("type", "invalid"))))
    body = {
        "error": "validation_error",
        "detail": messages.invalid_parameters(problems),
        "errores": [{"campo": field, "problema": kind} for field, kind in problems],
    }
    return error_response(422, body, request)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        body = {"error": "not_found", "detail": messages.route_not_found(request.url.path)}
    elif exc.status_code == 405:
        body = {"error": "method_not_allowed", "detail": messages.method_not_allowed(request.method)}
    else:
        body = {"error": "http_error", "detail": messages.http_error(exc.status_code)}
    return error_response(exc.status_code, body, request, dict(exc.headers or {}))


@dataclass
class OutageLog:
    """While Redis is away every request fails the same way: one warning line per `every` seconds,
    saying how many failures it stands for, instead of one per request (thousands a second)."""

    every: float = 10.0
    _last: float = float("-inf")
    _folded: int = 0

    def failed(self, reason: str) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            self._folded += 1
            return
        if self._folded:
            logger.warning("Redis is unavailable: %s (and %d more since the last line)", reason, self._folded)
        else:
            logger.warning("Redis is unavailable: %s", reason)
        self._last, self._folded = now, 0


async def _redis_error(request: Request, exc: Exception) -> Response:
    outages = getattr(request.app.state, "outage_log", None)
    if isinstance(outages, OutageLog):
        outages.failed(exc.__class__.__name__)
    else:
        logger.warning("Redis is unavailable: %s", exc.__class__.__name__)
    body = {"error": "redis_unavailable", "detail": messages.REDIS_UNAVAILABLE}
    return error_response(503, body, request, {"Retry-After": "5"})


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, {"error": "internal_error", "detail": messages.INTERNAL_ERROR}, request)


def install_error_handlers(app: FastAPI) -> None:
    app.state.outage_log = OutageLog()
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RedisError, _redis_error)
    # The TimeoutError/OSError of a dropped connection can escape redis-py's wrappers.
    app.add_exception_handler(ConnectionError, _redis_error)
    app.add_exception_handler(Exception, _unexpected)
