"""The answer memo: a question already answered for the current dataset version is answered from
memory, before routing, bounded in size and emptied whenever the version changes or is lost."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observability import Metrics
from api.responses import DATASET_VERSION_RAW

logger = logging.getLogger(__name__)

# Path, raw query string: the answer depends on nothing else (no headers, no body, no user).
AnswerKey = tuple[str, bytes]
Headers = list[tuple[bytes, bytes]]

# What an entry costs besides its body and path: the tuple, the key, the dict slot, the headers.
_ENTRY_OVERHEAD = 400


@dataclass(frozen=True, slots=True)
class Answer:
    """A complete 200 response: its headers and body, and the route that made it (for the metrics)."""

    headers: Headers
    body: bytes
    route: Any


class AnswerMemo:
    """An LRU of answers of one dataset version, emptied whenever the version changes or is lost.

    `version` is what the version watch last saw (or a newer one a lookup already read): None
    while Redis is unreachable or nothing is published, and then nothing is answered from memory
    (those requests get the usual 503).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: str | None = None
        self._answers: OrderedDict[AnswerKey, Answer] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def switch(self, version: str | None) -> None:
        if version == self.version:
            return
        logger.info(
            "dataset version seen: %s (was %s); %d answers of the answer memo dropped",
            version,
            self.version,
            len(self._answers),
        )
        self.version = version
        self._answers.clear()
        self._bytes = 0

    def advance(self, version: str) -> None:
        """A lookup read `version`: when it is newer than the one the watch announced (ids sort by
        build time), switch now, so nothing older is served after a newer answer."""
        if self.version is not None and version > self.version:
            self.switch(version)

    def get(self, key: AnswerKey) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: AnswerKey, version: str, answer: Answer) -> bool:
        """Keeps `answer` if it was read from the version still current; True when kept."""
        if version != self.version:
            return False
        cost = _cost(key, answer)
        if cost > self.max_bytes // 4:
            return False  # one huge answer must not flush everything else
        previous = self._answers.pop(key, None)
        if previous is not None:
            self._bytes -= _cost(key, previous)
        self._answers[key] = answer
        self._bytes += cost
        while self._bytes > self.max_bytes:
            old_key, old = self._answers.popitem(last=False)
            self._bytes -= _cost(old_key, old)
        return True


def _cost(key: AnswerKey, answer: Answer) -> int:
    return _ENTRY_OVERHEAD + len(key[0]) + len(key[1]) + len(answer.body) + _header_bytes(answer.headers)


def _header_bytes(headers: Iterable[tuple[bytes, bytes]]) -> int:
    return sum(len(name) + len(value) for name, value in headers)


def _answer_version(headers: Headers) -> str | None:
    for name, value in headers:
        if name == DATASET_VERSION_RAW:
            return value.decode("latin-1")
    return None


class AnswerMemoMiddleware:
    """Pure ASGI, inside RequestContextMiddleware (so hits still get a request id, metrics and a log line).

    Keeps the 200 answers of GET requests that name the dataset version they were read from
    (`X-Dataset-Version`, which only the query routes set: their answer is a function of the path,
    the query string and that version), and only when that version is the current one.
    """

    def __init__(self, app: ASGIApp, memo: AnswerMemo, metrics: Metrics) -> None:
        self.app = app
        self.memo = memo
        self.hits = metrics.answer_memo.labels("hit")
        self.stored = metrics.answer_memo.labels("stored")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.memo.version is None or scope["type"] != "http" or scope["method"] != "GET":
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

        status = 0
        headers: Headers = []
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
            elif message["type"] == "http.response.body" and status == 200:
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if status != 200:
            return
        version = _answer_version(headers)
        if version is not None and self.memo.put(
            key, version, Answer(headers, b"".join(parts), scope.get("route"))
        ):
            self.stored.inc()
