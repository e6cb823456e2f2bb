"""Limits every request meets before any work is done: a maximum path + query length (414) and a
maximum number of requests in flight per process (503), both answered in the error shape."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from api.responses import JsonResponse
from shared.wording import errors as messages


class RequestLimitsMiddleware:
    """Pure ASGI: a request over a limit costs one small answer, never a route, a memo or Redis."""

    def __init__(
        self, app: ASGIApp, *, max_url_length: int, max_concurrency: int, metrics: Any = None
    ) -> None:
        self.app = app
        self.max_url_length = max_url_length
        self.max_concurrency = max_concurrency
        self.metrics = metrics
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode()
        if len(path) + len(scope.get("query_string", b"")) > self.max_url_length:
            body = {"error": "uri_too_long", "detail": messages.uri_too_long(self.max_url_length)}
            await self._refuse(414, body, (scope, receive, send))
            return
        if self.in_flight >= self.max_concurrency:
            # Shedding at once keeps the requests already admitted fast; the client retries.
            body = {"error": "too_busy", "detail": messages.BUSY}
            await self._refuse(503, body, (scope, receive, send), {"Retry-After": "1"})
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _refuse(
        self,
        status: int,
        body: dict[str, str],
        call: tuple[Scope, Receive, Send],
        headers: dict[str, str] | None = None,
    ) -> None:
        if self.metrics is not None:
            self.metrics.count_error(body["error"])
        await JsonResponse(body, status_code=status, headers=headers)(*call)
