"""Fixtures for the bot: the real API and worker over a real Redis, and the bot against a fake Bot API."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.app import BotApplication, build_application
from bot.devtools.fake_bot_api import FakeBotApi, Json
from etl.pipeline import Build
from etl.publish import publish
from shared.embedded_redis import free_port
from shared.settings import BotSettings
from tests.waiting import eventually
from tests.worker.conftest import REPO_ROOT, WorkerProcess

TOKEN = "7000001:AAH-test-token-never-logged-9f8e7d"
ADMIN_TOKEN = "bot-tests-admin-secret-41c2"
BOT_API_TOKEN = "bot-tests-service-token-0b7d9e2a5c"
ADMIN_CHAT = 424242
USER = 1001
LAST_GROUP = 1_000_000


def database_url(server_url: str, db: int) -> str:
    """Another database of the session's embedded Redis, so other suites' flushes never touch ours."""
    return server_url.rsplit("/", 1)[0] + f"/{db}"


def publish_sample(url: str, build: Build) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
        publish(client, build)
    finally:
        client.close()


class ApiProcess:
    """`python -m api` on a free port, as in production."""

    def __init__(self, redis_url: str, data_dir: Path, wait: float, *, until: str = "/readyz") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in {"MOVIES_DATA", "DATA_DIR"}}
        env.update(
            REDIS_URL=redis_url,
            PYTHONPATH=str(REPO_ROOT),
            DATA_DIR=str(data_dir),
            API_HOST="127.0.0.1",
            API_PORT=str(self.port),
            RECOMMEND_WAIT_SECONDS=str(wait),
            ADMIN_TOKEN=ADMIN_TOKEN,
            BOT_API_TOKEN=BOT_API_TOKEN,
            LOG_LEVEL="WARNING",
        )
        self.process = subprocess.Popen([sys.executable, "-m", "api"], env=env, cwd=REPO_ROOT)
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=self.url, timeout=5) as client:
            while True:
                assert self.process.poll() is None and time.monotonic() < deadline, "the API did not start"
                with contextlib.suppress(httpx.TransportError):
                    # /readyz needs a published dataset; /healthz only a running process.
                    if client.get(until).status_code == 200:
                        break
                time.sleep(0.1)

    def get(self, path: str) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(self.url + path, timeout=30).json()
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)


@dataclass
class Backend:
    redis_url: str
    api: ApiProcess


@pytest.fixture(scope="session")
def backend(
    embedded_redis_url: str, sample_build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """One API and one worker for every bot test: the sample published in database 5."""
    url = database_url(embedded_redis_url, 5)
    publish_sample(url, sample_build)
    worker = WorkerProcess(url, tmp_path_factory.mktemp("bot-worker"))
    worker.start()
    api = ApiProcess(url, tmp_path_factory.mktemp("bot-api"), wait=10)
    yield Backend(url, api)
    api.stop()
    worker.stop()


@dataclass
class Harness:
    """A running bot, the fake Bot API it talks to, and the errors its error handlers saw."""

    app: BotApplication
    fake: FakeBotApi
    errors: list[BaseException] = field(default_factory=list)
    # Ids of the updates the bot has finished with, its error handlers included.
    processed: list[int] = field(default_factory=list)

    async def settled(self, updates: int) -> None:
        """Waits until the bot has finished with `updates` updates (error handlers included)."""
        await eventually(lambda: len(self.processed) >= updates, f"the bot finishing {updates} updates")

    def chat(self, user_id: int = USER) -> Chat:
        return Chat(self.fake, user_id)


@dataclass
class Chat:
    """One user's side of a private chat with the bot."""

    fake: FakeBotApi
    user: int

    @property
    def messages(self) -> list[Json]:
        return self.fake.sent_to(self.user)

    async def send(self, text: str, expect: int = 1) -> list[Json]:
        """Sends `text` and returns the `expect` (or more) messages the bot answers with."""
        before = len(self.messages)
        self.fake.user_sends(self.user, text)
        await self.fake.wait_until(lambda: len(self.messages) >= before + expect)
        return self.messages[before:]

    async def ask(self, text: str) -> str:
        return str((await self.send(text))[0]["text"])

    async def press(self, message: Json, label: str, expect: int = 1) -> list[Json]:
        """Presses the button showing `label` under `message`; returns the new messages."""
        data = button_data(message, label)
        before = len(self.messages)
        query = self.fake.user_presses(self.user, message, data)
        await self.fake.wait_until(lambda: query not in self.fake.unanswered_callbacks)
        if expect:
            await self.fake.wait_until(lambda: len(self.messages) >= before + expect)
        return self.messages[before:]


def buttons(message: Json) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button_data(message: Json, label: str) -> str:
    for text, data in buttons(message):
        if text == label:
            return data
    raise AssertionError(f"no button {label!r} in {buttons(message)}")


def bot_settings(gateway_url: str, **overrides: Any) -> BotSettings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "gateway_url": gateway_url,
        "admin_token": ADMIN_TOKEN,
        "bot_api_token": BOT_API_TOKEN,
        "bot_admin_ids": frozenset({ADMIN_CHAT}),
        "bot_rate_limit_per_minute": 1000,
    }
    values.update(overrides)
    return BotSettings(**values)


@contextlib.asynccontextmanager
async def running_bot(settings: BotSettings, **kwargs: Any) -> AsyncIterator[Harness]:
    """The bot polling a fake Bot API through PTB's real HTTPXRequest (an httpx MockTransport below)."""
    fake = FakeBotApi(TOKEN)
    app = build_application(
        settings,
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        **kwargs,
    )
    harness = Harness(app, fake)

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        harness.errors.append(context.error)

    async def finished(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        harness.processed.append(update.update_id)

    app.add_error_handler(record)
    # The last group: it runs after the update's own handler and after any error handler it raised.
    app.add_handler(TypeHandler(Update, finished), group=LAST_GROUP)
    await app.initialize()
    # run_polling would call these; a test drives the lifecycle itself.
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield harness
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


@pytest.fixture
async def harness(backend: Backend, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    """The bot against the shared backend; afterwards: no error, every button answered, no token logged."""
    caplog.set_level(logging.DEBUG)
    async with running_bot(bot_settings(backend.api.url)) as running:
        yield running
    assert running.errors == []
    assert running.fake.unanswered_callbacks == set()
    assert_no_token(caplog)


def assert_no_token(caplog: pytest.LogCaptureFixture) -> None:
    """No log record of any test phase holds the token (or its secret half)."""
    secret = TOKEN.split(":", 1)[1]
    records = [r for phase in ("setup", "call", "teardown") for r in caplog.get_records(phase)]
    assert records, "nothing was logged: the check would prove nothing"
    assert not [r.getMessage() for r in records if secret in r.getMessage()]
