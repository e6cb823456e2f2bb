"""The answer memo: a question already answered for the current dataset version is answered from
memory, before routing, bounded in size and emptied whenever the version changes or is lost.

It keeps the 200 answers of the query routes and their "not found" 404s (a typo's suggestions), the
404s within a bounded share of the memo: a flood of distinct misspelt or crafted titles only
replaces older 404s, never an answer."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observability import Metrics
from api.responses import DATASET_VERSION_RAW

logger = logging.getLogger(__name__)

# Path, raw query string: the answer depends on nothing else (no headers, no body, no user).
AnswerKey = tuple[str, bytes]
Headers = list[tuple[bytes, bytes]]

# What an entry costs besides its body and path: the tuple, the key, the dict slot, the headers.
_ENTRY_OVERHEAD = 400
# 404s may take at most this share of the memo's bytes (an eighth: about 7,000 of them in 64 MB).
NOT_FOUND_SHARE = 8


@dataclass(frozen=True, slots=True)
class Answer:
    """A complete response: its headers and body, and the route that made it (for the metrics); a
    404 also keeps its status and error code (counted again on every repeat, as if answered anew)."""

    headers: Headers
    body: bytes
    route: Any
    status: int = 200
    error: str | None = None


class _Lru:
    """Answers by key within a byte budget, the least recently asked dropped first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.answers: OrderedDict[AnswerKey, Answer] = OrderedDict()
        self.bytes = 0

    def clear(self) -> None:
        self.answers.clear()
        self.bytes = 0

    def get(self, key: AnswerKey) -> Answer | None:
        answer = self.answers.get(key)
        if answer is not None:
            self.answers.move_to_end(key)
        return answer

    def put(self, key: AnswerKey, answer: Answer) -> bool:
        cost = _cost(key, answer)
        if cost > self.max_bytes // 4:
            return False  # one huge answer must not flush everything else
        previous = self.answers.pop(key, None)
        if previous is not None:
            self.bytes -= _cost(key, previous)
        self.answers[key] = answer
        self.bytes += cost
        while self.bytes > self.max_bytes:
            old_key, old = self.answers.popitem(last=False)
            self.bytes -= _cost(old_key, old)
        return True


class AnswerMemo:
    """An LRU of answers of one dataset version, emptied whenever the version changes or is lost.

    `version` is what the version watch last saw (or a newer one a lookup already read): None
    while Redis is unreachable or nothing is published, and then nothing is answered from memory
    (those requests get the usual 503).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: str | None = None
        not_found_bytes = max_bytes // NOT_FOUND_SHARE
        self._found = _Lru(max_bytes - not_found_bytes)
        self._not_found = _Lru(not_found_bytes)

    def __len__(self) -> int:
        return len(self._found.answers) + len(self._not_found.answers)

    @property
    def size_bytes(self) -> int:
        return self._found.bytes + self._not_found.bytes

    @property
    def not_found_bytes(self) -> int:
        return self._not_found.bytes

    def switch(self, version: str | None) -> None:
        if version == self.version:
            return
        logger.info(
            "dataset version seen: %s (was %s); %d answers of the answer memo dropped",
            version,
            self.version,
            len(self),
        )
        self.version = version
        self._found.clear()
        self._not_found.clear()

    def advance(self, version: str) -> None:
        """A lookup read `version`: when it is newer than the one the watch announced (ids sort by
        build time), switch now, so nothing older is served after a newer answer."""
        if self.version is not None and version > self.version:
            self.switch(version)

    def get(self, key: AnswerKey) -> Answer | None:
        answer = self._found.get(key)
        return answer if answer is not None else self._not_found.get(key)

    def put(self, key: AnswerKey, version: str, answer: Answer) -> bool:
        """Keeps `answer` if it was read from the version still current; True when kept."""
        if version != self.version:
            return False
        return (self._found if answer.status == 200 else self._not_found).put(key, answer)


_KEPT = (200, 404)


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

    Keeps the 200 and 404 answers of GET requests that name the dataset version they were read from
    (`X-Dataset-Version`, which only the query routes set, and on a 404 only when its suggestions
    come from that version too: the answer is a function of the path, the query string and that
    version), and only when that version is the current one.
    """

    def __init__(self, app: ASGIApp, memo: AnswerMemo, metrics: Metrics) -> None:
        self.app = app
        self.memo = memo
        self.metrics = metrics
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
            if answer.error is not None:
                self.metrics.count_error(answer.error)
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
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
            elif message["type"] == "http.response.body" and status in _KEPT:
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if status not in _KEPT:
            return
        version = _answer_version(headers)
        if version is None:
            return
        body = b"".join(parts)
        error = None if status == 200 else str(orjson.loads(body).get("error"))
        if self.memo.put(key, version, Answer(headers, body, scope.get("route"), status, error)):
            self.stored.inc()
