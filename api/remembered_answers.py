"""Serves a repeated question from the answer memo, before routing, when its dataset version is current."""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observability import Metrics
from api.services.answer_memo import Answer, AnswerMemo, versions_read


class RememberedAnswersMiddleware:
    """Pure ASGI, inside RequestContextMiddleware (so hits still get a request id, metrics and a log line).

    Only 200 answers of `routes` (the query routes, whose answer is a function of the path, the
    query string and the dataset version) are kept, and only when every lookup of the request
    read the version the watch says is current: an answer computed across a switch is not kept.
    """

    def __init__(self, app: ASGIApp, memo: AnswerMemo, routes: Collection[object], metrics: Metrics) -> None:
        self.app = app
        self.memo = memo
        # By identity: FastAPI's routes are not hashable.
        self.route_ids = frozenset(id(route) for route in routes)
        self.hits = metrics.remembered.labels("hit")
        self.stored = metrics.remembered.labels("stored")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version = self.memo.version
        if version is None or scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        answer = self.memo.get(key)
        if answer is not None:
            # The outer middleware labels metrics by route; routing was skipped, so say which.
            scope["route"] = answer.route
            self.hits.inc()
            await send({"type": "http.response.start", "status": 200, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
            return

        read: set[str] = set()
        token = versions_read.set(read)
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
            elif message["type"] == "http.response.body" and status == 200:
                parts.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            versions_read.reset(token)
        newest = max(read, default=version)
        if newest > version:
            # A lookup already read a newer version (ids sort by build time) than the watch has
            # announced: switch now, so nothing older is served after a newer answer.
            self.memo.switch(newest)
            return
        route = scope.get("route")
        answered = status == 200 and id(route) in self.route_ids and read == {version}
        if answered and self.memo.put(key, version, Answer(headers, b"".join(parts), route)):
            self.stored.inc()
