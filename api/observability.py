"""Request ids, the access log line and Prometheus metrics of the gateway (format: shared.logging_setup)."""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

import orjson
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging_setup import request_id_var
from shared.wording import errors as messages

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("api.access")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RAW = REQUEST_ID_HEADER.lower().encode()
# An incoming id is honoured only when it is short and plain, so it cannot inject into logs.
_VALID_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:\-]{1,128}$")

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """The gateway's Prometheus series, in a registry of their own (one per app, none global)."""

    def __init__(self) -> None:
        # The *_created series double the output and no dashboard of ours reads them.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "cartelera_api_requests",
            "HTTP requests answered, by route template, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "cartelera_api_request_duration_seconds",
            "Time to answer a request, by route template.",
            ("route",),
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "cartelera_api_errors",
            "Error answers by error code.",
            ("code",),
            registry=self.registry,
        )
        self.dataset = Gauge(
            "cartelera_api_dataset_version_info",
            "The dataset version currently published (value 1 on its label).",
            ("version",),
            registry=self.registry,
        )
        self.answer_memo = Counter(
            "cartelera_api_answer_memo",
            "Answers served from (hit) or kept in (stored) the answer memo of this process.",
            ("outcome",),
            registry=self.registry,
        )
        self._version: str | None = None
        # labels() takes a lock and builds a key on each call; the hot path reuses the children.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        if method not in _METHODS:
            method = "OTHER"  # clients choose methods freely; the label set must stay bounded
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            children = (self.requests.labels(route, method, str(status)), self.latency.labels(route))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def count_error(self, code: str) -> None:
        self.errors.labels(code).inc()

    def set_dataset_version(self, version: str | None) -> None:
        if version == self._version:
            return
        if self._version is not None:
            self.dataset.remove(self._version)
        if version is not None:
            self.dataset.labels(version).set(1)
        self._version = version

    def render(self) -> bytes:
        return generate_latest(self.registry)


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware overhead): request id, metrics, one access log line,
    and the last line of defence that turns an unexpected exception into the JSON error shape."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or os.urandom(16).hex()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False
        header = (_REQUEST_ID_RAW, request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            self.metrics.count_error("internal_error")
            if not response_started:
                body = orjson.dumps({"error": "internal_error", "detail": messages.INTERNAL_ERROR})
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", b"%d" % len(body)),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = str(scope.get("method", ""))
            self.metrics.observe(template, method, status, elapsed)
            if access_logger.isEnabledFor(logging.INFO):
                client = scope.get("client")
                access_logger.info(
                    "%s %s -> %d",
                    method,
                    scope.get("path"),
                    status,
                    extra={
                        "method": method,
                        "path": scope.get("path"),
                        "route": template,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 3),
                        "client": client[0] if client else None,
                    },
                )
            request_id_var.reset(token)


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_RAW:
            return value.decode("ascii") if _VALID_REQUEST_ID.match(value) else None
    return None


def quiet_uvicorn_access() -> None:
    """Our own access line (request id, route template) replaces uvicorn's."""
    logging.getLogger("uvicorn.access").disabled = True
