"""Steady load through the API: concurrent clients asking known questions, every answer recorded and checked.

Each answer is compared with the one the healthy system gave before any fault (`Baseline`): a 200
whose body differs is a wrong answer. Recommendations that leave films out (`?excluir=`) are never
cached, so each is computed by the worker; one accepted with a 202 is asked again until it is
answered, and one never answered by the end is a lost job.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

VERSION_HEADER = "X-Dataset-Version"
QUERY_PATHS = (
    "/cantidad_filmaciones_mes/enero",
    "/cantidad_filmaciones_dia/lunes",
    "/score_titulo/Toy%20Story",
    "/votos_titulo/Heat",
    "/get_actor/Tom%20Hanks",
    "/get_director/John%20Lasseter",
    "/buscar?q=toy",
    "/recomendacion/Toy%20Story",
)
SEED_TITLES = ("Toy Story", "Heat", "Jumanji", "GoldenEye")
# Film ids no catalogue has (up to 12 digits are accepted): leaving one out changes nothing, and
# makes each question a job of its own that the worker computes.
_ABSENT_IDS = itertools.count(900_000_000_000)
# How long a client waits for one answer; longer means "no answer".
REQUEST_TIMEOUT = 15.0
# After the load stops, how long questions already accepted are still followed to their answer.
DRAIN_SECONDS = 20.0


@dataclass(frozen=True)
class Answer:
    client: int
    kind: str  # "query" | "uncached"
    sent: float  # monotonic clock
    seconds: float
    status: int  # 0: no answer (refused, reset or timed out)
    error: str | None
    wrong: bool
    version: str | None


@dataclass
class Question:
    """An uncached recommendation the API accepted (202): it must be answered eventually."""

    path: str
    accepted: float
    answered: float | None = None


@dataclass
class Baseline:
    """What the healthy system answers: query path -> body, and (title, left-out film) -> body."""

    queries: dict[str, Any] = field(default_factory=dict)
    uncached: dict[tuple[str, int], Any] = field(default_factory=dict)


async def ask_until_answered(client: httpx.AsyncClient, path: str, within: float = 60.0) -> httpx.Response:
    """GET `path`, again while it is pending (202), until a final answer."""
    deadline = time.monotonic() + within
    while True:
        response = await client.get(path)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def take_baseline(client: httpx.AsyncClient) -> Baseline:
    baseline = Baseline()
    for path in QUERY_PATHS:
        response = await ask_until_answered(client, path)
        response.raise_for_status()
        baseline.queries[path] = response.json()
    for title in SEED_TITLES:
        path = f"/recomendacion/{quote(title)}"
        response = await ask_until_answered(client, path)
        response.raise_for_status()
        for film in response.json()["detalle"]:
            excluded = await ask_until_answered(client, f"{path}?excluir={film['id']}")
            excluded.raise_for_status()
            baseline.uncached[(title, film["id"])] = excluded.json()
    return baseline


def _error_code(response: httpx.Response) -> str | None:
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return "not_json"
    code = body.get("error") if isinstance(body, dict) else None
    # The one error shape: a code and a Spanish sentence.
    if not isinstance(code, str) or not isinstance(body.get("detail"), str):
        return "no_error_shape"
    return code


class Load:
    """`clients` concurrent clients until `stop` is set; `answers` and `questions` record everything."""

    def __init__(self, base_url: str, baseline: Baseline, clients: int, pause: float, seed: int = 14) -> None:
        self.base_url = base_url
        self.baseline = baseline
        self.clients = clients
        self.pause = pause
        self.answers: list[Answer] = []
        self.questions: list[Question] = []
        self._random = random.Random(seed)
        self._uncached = list(baseline.uncached)
        self._stop = asyncio.Event()
        self._drain_deadline = float("inf")
        self._http: httpx.AsyncClient | None = None

    async def run(self) -> None:
        """Until `stop()`; then questions already accepted are followed for DRAIN_SECONDS more."""
        limits = httpx.Limits(max_connections=self.clients * 3, max_keepalive_connections=self.clients)
        async with httpx.AsyncClient(base_url=self.base_url, timeout=REQUEST_TIMEOUT, limits=limits) as http:
            self._http = http
            await asyncio.gather(*(self._client(number) for number in range(self.clients)))
            self._http = None

    def stop(self) -> None:
        self._drain_deadline = time.monotonic() + DRAIN_SECONDS
        self._stop.set()

    async def burst(self, questions: int) -> None:
        """That many uncached questions at once, on top of the steady load (clients numbered from 1000)."""
        await asyncio.gather(*(self.uncached_question(1000 + number) for number in range(questions)))

    async def _client(self, number: int) -> None:
        while not self._stop.is_set():
            if self._random.random() < 0.25:
                await self.uncached_question(number)
            else:
                path = self._random.choice(QUERY_PATHS)
                await self._ask(number, path, "query", self.baseline.queries[path])
            await asyncio.sleep(self.pause)

    async def uncached_question(self, number: int) -> None:
        title, left_out = self._random.choice(self._uncached)
        path = f"/recomendacion/{quote(title)}?excluir={left_out},{next(_ABSENT_IDS)}"
        expected = self.baseline.uncached[(title, left_out)]
        question: Question | None = None
        while True:
            answer = await self._ask(number, path, "uncached", expected)
            if answer.status == 202 and question is None:
                question = Question(path, answer.sent)
                self.questions.append(question)
            if answer.status == 200 and question is not None:
                question.answered = time.monotonic()
            # A question the API accepted is followed to its answer, whatever happens meanwhile.
            if question is None or question.answered is not None or time.monotonic() > self._drain_deadline:
                return
            await asyncio.sleep(1.0)

    async def _ask(self, number: int, path: str, kind: str, expected: Any) -> Answer:
        assert self._http is not None, "the load is not running"
        sent = time.monotonic()
        try:
            response = await self._http.get(path)
        except httpx.HTTPError:
            answer = Answer(number, kind, sent, time.monotonic() - sent, 0, "no_answer", False, None)
            self.answers.append(answer)
            return answer
        seconds = time.monotonic() - sent
        wrong = False
        if response.status_code == 200:
            try:
                wrong = response.json() != expected
            except ValueError:
                wrong = True
        answer = Answer(
            number,
            kind,
            sent,
            seconds,
            response.status_code,
            _error_code(response),
            wrong,
            response.headers.get(VERSION_HEADER),
        )
        self.answers.append(answer)
        return answer


def versions_mixed(answers: Sequence[Answer]) -> int:
    """Answers from an older dataset version after the same client had been answered from a newer
    one (versions numbered by when they were first seen)."""
    order: dict[str, int] = {}
    newest: dict[int, int] = {}
    mixed = 0
    for answer in sorted(answers, key=lambda a: a.sent + a.seconds):
        if answer.version is None:
            continue
        rank = order.setdefault(answer.version, len(order))
        if rank < newest.get(answer.client, -1):
            mixed += 1
        newest[answer.client] = max(rank, newest.get(answer.client, -1))
    return mixed
