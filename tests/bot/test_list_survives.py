"""The personal list survives a restart of every service (Redis, API, worker, bot) and a dataset
refresh; a film the new version lacks is shown as such."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import redis

from etl.pipeline import Build
from etl.publish import publish
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import SAMPLE_DATA
from tests.bot.conftest import ADMIN_TOKEN, ApiProcess, Chat, bot_settings, buttons, running_bot
from tests.worker.conftest import WorkerProcess

USER = 6001
GONE = 862  # Toy Story: the refreshed source no longer has it.


def source_without(folder: Path, movie_id: int) -> Path:
    movies = pd.read_csv(SAMPLE_DATA / "movies_metadata.csv.gz", dtype=str, keep_default_na=False)
    movies[movies["id"] != str(movie_id)].to_csv(folder / "movies_metadata.csv.gz", index=False)
    shutil.copy(SAMPLE_DATA / "credits.csv.gz", folder / "credits.csv.gz")
    return folder


async def press_list_button(chat: Chat, card: dict[str, Any], label: str) -> None:
    data = next(d for text, d in buttons(card) if text == label)
    query = chat.fake.user_presses(chat.user, card, data)
    await chat.fake.wait_until(lambda: query in chat.fake.callback_answers)


def refreshed(api_url: str) -> None:
    """Asks the API for a refresh and waits until the worker has finished it."""
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=api_url, headers=auth, timeout=30) as client:
        job_id = client.post("/admin/refresh").json()["job_id"]
        deadline = time.monotonic() + 180
        while (state := client.get(f"/admin/jobs/{job_id}").json())["estado"] not in ("complete", "failed"):
            assert time.monotonic() < deadline, state
            time.sleep(0.1)
    assert state["estado"] == "complete", state


async def test_list_survives_restarts_and_a_refresh(tmp_path: Path, sample_build: Build) -> None:
    server = EmbeddedRedis(tmp_path / "redis", persistent=True, port=free_port())
    url = server.start()
    client = redis.Redis.from_url(url)
    publish(client, sample_build)
    client.close()
    (tmp_path / "source").mkdir()
    smaller = source_without(tmp_path / "source", GONE)

    def start_services() -> tuple[WorkerProcess, ApiProcess]:
        worker = WorkerProcess(url, tmp_path / "worker", movies_data=smaller)
        worker.start()
        return worker, ApiProcess(url, tmp_path / "api", wait=10)

    worker, api = await asyncio.to_thread(start_services)
    try:
        async with running_bot(bot_settings(api.url)) as bot:
            chat = bot.chat(USER)
            [card] = await chat.send("toy story")
            await press_list_button(chat, card, "Quiero verla")
            [card] = await chat.send("the godfather")
            await press_list_button(chat, card, "Ya la vi")
        assert bot.errors == []

        # Every service stops, Redis included; then all start again.
        api.stop()
        worker.stop()
        server.stop()
        assert server.start() == url
        worker, api = await asyncio.to_thread(start_services)
        async with running_bot(bot_settings(api.url)) as bot:
            _summary, want, seen = await bot.chat(USER).send("/milista", expect=3)
            assert want["text"] == "Quiero verla (1)\n1. Toy Story (1995)"
            assert seen["text"] == "Ya la vi (1)\n1. The Godfather (1972)"

            await asyncio.to_thread(refreshed, api.url)
            assert api.get("/score_titulo/Toy Story")["error"] == "title_not_found"
            _summary, want, seen = await bot.chat(USER).send("/milista", expect=3)
            assert want["text"] == f"Quiero verla (1)\n1. Película que ya no está en el catálogo (id {GONE})"
            assert seen["text"] == "Ya la vi (1)\n1. The Godfather (1972)"
            # The missing film can still be removed.
            assert buttons(want) == [("1. Quitar", f"m:x:q:0:{GONE}")]
            await bot.chat(USER).press(want, "1. Quitar", expect=0)
            await bot.fake.wait_until(
                lambda: bot.chat(USER).messages[-2]["text"] == "Quiero verla (0)\n(ninguna)"
            )
        assert bot.errors == []
    finally:
        api.stop()
        worker.stop()
        server.stop()
