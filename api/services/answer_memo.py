"""Answers already given for the current dataset version, kept in process and bounded in size."""

from __future__ import annotations

import contextvars
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# Path, raw query string: the answer depends on nothing else (no headers, no body, no user).
AnswerKey = tuple[str, bytes]
Headers = list[tuple[bytes, bytes]]

# What an entry costs besides its body and path: the tuple, the key, the dict slot, the headers.
_ENTRY_OVERHEAD = 400

# The dataset versions a request's lookups read, filled in by DatasetReader. A mutable set set by
# the caller, so writes made deeper in the call chain (in a copied context) are seen by it.
versions_read: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("versions_read", default=None)


def note_version_read(version: str) -> None:
    """Called for every lookup that resolved the current version (a no-op outside a memo'd request)."""
    seen = versions_read.get()
    if seen is not None:
        seen.add(version)


@dataclass(frozen=True, slots=True)
class Answer:
    """A complete 200 response: its headers and body, and the route that made it (for the metrics)."""

    headers: Headers
    body: bytes
    route: Any


class AnswerMemo:
    """An LRU of answers of one dataset version, emptied whenever the version changes or is lost.

    `version` is what the version watch last saw: None while Redis is unreachable or nothing is
    published, and then nothing is answered from memory (those requests get the usual 503).
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
            "dataset version seen: %s (was %s); %d remembered answers dropped",
            version,
            self.version,
            len(self._answers),
        )
        self.version = version
        self._answers.clear()
        self._bytes = 0

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
