"""The bot's typed context: what every handler reaches through `context.bot_data`."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.gateway import Gateway
from bot.inline_cache import InlineCache
from bot.rate_limiter import RateLimiter
from shared.settings import BotSettings


class BotData:
    """Long-lived objects of one running bot: set by build_application, the gateway by post_init."""

    def __init__(self) -> None:
        self._settings: BotSettings | None = None
        self._limiter: RateLimiter | None = None
        self._gateway: Gateway | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.inline_cache = InlineCache()

    def configure(self, settings: BotSettings) -> None:
        self._settings = settings
        self._limiter = RateLimiter(settings.bot_rate_limit_per_minute)

    @property
    def settings(self) -> BotSettings:
        if self._settings is None:
            raise RuntimeError("build_application configures the bot data")
        return self._settings

    @property
    def limiter(self) -> RateLimiter:
        if self._limiter is None:
            raise RuntimeError("build_application configures the bot data")
        return self._limiter

    @property
    def gateway(self) -> Gateway:
        if self._gateway is None:
            raise RuntimeError("the API client is opened in post_init")
        return self._gateway

    @gateway.setter
    def gateway(self, client: Gateway | None) -> None:
        self._gateway = client

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Runs `work` after the handler returns. Not PTB's create_task: Application.stop() waits for
        those, and a follow-up may last minutes; these are cancelled at shutdown instead."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Cancels the follow-ups still running, then closes the API client (they may be using it)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        gateway, self._gateway = self._gateway, None
        if gateway is not None:
            await gateway.aclose()


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
