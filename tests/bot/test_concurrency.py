"""A recommendation the worker has not computed yet: 202s polled by the bot, never blocking other users."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from etl.pipeline import Build
from shared.wording import bot as texts
from tests.bot.conftest import ApiProcess, bot_settings, buttons, database_url, publish_sample, running_bot
from tests.worker.conftest import WorkerProcess


@dataclass
class SlowBackend:
    api: ApiProcess
    worker: WorkerProcess


@pytest.fixture(scope="module")
def slow_backend(
    embedded_redis_url: str, sample_build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlowBackend]:
    """An API that waits 1 s for the worker before answering 202, and a worker not started yet."""
    url = database_url(embedded_redis_url, 6)
    publish_sample(url, sample_build)
    api = ApiProcess(url, tmp_path_factory.mktemp("slow-api"), wait=1)
    worker = WorkerProcess(url, tmp_path_factory.mktemp("slow-worker"))
    yield SlowBackend(api, worker)
    api.stop()
    worker.stop()


async def test_a_recommendation_that_takes_too_long(slow_backend: SlowBackend) -> None:
    settings = bot_settings(slow_backend.api.url, bot_recommend_timeout_seconds=2.5)
    async with running_bot(settings) as bot:
        [status] = await bot.chat().send("/recomendacion Jumanji")
        await bot.fake.wait_until(lambda: status["text"] == texts.recommendation_slow("Jumanji"))
    assert bot.errors == []


async def test_one_users_recommendation_never_delays_anothers_answer(slow_backend: SlowBackend) -> None:
    async with running_bot(bot_settings(slow_backend.api.url)) as bot:
        slow, quick = bot.chat(3001), bot.chat(3002)
        [status] = await slow.send("/recomendacion Toy Story")
        assert status["text"] == texts.searching("Toy Story")
        answer = await quick.ask("/mes enero")
        assert answer.endswith("cantidad de películas fueron estrenadas en el mes de enero")
        assert status["text"] == texts.searching("Toy Story")

        # The API answers 202 (no worker yet); the bot waits, renews "typing" and asks again.
        def typing() -> int:
            return sum(1 for m, p in bot.fake.calls if m == "sendChatAction" and p["chat_id"] == slow.user)

        await bot.fake.wait_until(lambda: typing() >= 2, within=15)
        assert status["text"] == texts.searching("Toy Story") and "reply_markup" not in status

        await asyncio.to_thread(slow_backend.worker.start)
        await bot.fake.wait_until(
            lambda: status["text"].startswith("Si te gustó Toy Story (1995)"), within=60
        )
        assert len(buttons(status)) == 5
    assert bot.errors == []
