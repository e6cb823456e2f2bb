"""Inline mode's answer time through the fake Bot API: the real bot (PTB's request layer), the real API.

Several users type well-known titles letter by letter (`@bot t`, `@bot to`, `@bot toy`...), each
keystroke an inline query; the time measured is from the query reaching the fake Bot API's
update queue to the bot's answerInlineQuery arriving there, the span Telegram's inline deadline
covers. First the keystrokes cold (no answer cached anywhere), then the same keystrokes again
(the bot's per-query cache), side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from telegram.request import HTTPXRequest

from benchmarks.api_load import best_known, publish, serve, wait_idle
from benchmarks.common import movies_data
from bot.app import BotApplication, build_application
from bot.devtools.fake_bot_api import FakeBotApi
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import REPO_ROOT, BotSettings

logger = logging.getLogger("benchmarks.inline")

TOKEN = "7000009:AAH-inline-benchmark-token-1a2b3c"
P95_TARGET_MS = 300.0


@contextlib.asynccontextmanager
async def running_bot(api_url: str) -> AsyncIterator[tuple[BotApplication, FakeBotApi]]:
    fake = FakeBotApi(TOKEN)
    settings = BotSettings(telegram_bot_token=TOKEN, gateway_url=api_url, bot_rate_limit_per_minute=100_000)
    app = build_application(
        settings,
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}, connection_pool_size=64),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
    )
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app, fake
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
        fake.close()


def keystrokes(titles: Sequence[str], typists: int, per_typist: int) -> list[list[str]]:
    """What each user types, one inline query per keystroke (a title each, from its 2nd letter)."""
    out: list[list[str]] = []
    for title in titles[:typists]:
        typed = title.lower()
        out.append([typed[:n] for n in range(2, min(len(typed), per_typist + 1) + 1)])
    return out


async def type_all(fake: FakeBotApi, plan: list[list[str]]) -> list[float]:
    """Every user types at once, waiting for each answer before the next keystroke; ms per answer."""
    timings: list[float] = []

    async def one_user(user: int, queries: list[str]) -> None:
        for text in queries:
            started = time.perf_counter()
            query = fake.user_types_inline(user, text)

            def answered(query: str = query) -> bool:
                return query in fake.inline_answers

            await fake.wait_until(answered, within=60)
            timings.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(one_user(9000 + i, queries) for i, queries in enumerate(plan)))
    return timings


def summary(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "ok" if p95 < P95_TARGET_MS else "BELOW TARGET"
    return (
        f"{name:<28}{len(ordered):>8}{statistics.median(ordered):>10.1f}{p95:>10.1f}{ordered[-1]:>10.1f}"
        f"  {verdict}"
    )


async def typed_inline_answers(api_url: str, titles: Sequence[str], typists: int, letters: int) -> list[str]:
    plan = keystrokes(titles, typists, letters)
    async with running_bot(api_url) as (_app, fake):
        cold = await type_all(fake, plan)
        cached = await type_all(fake, plan)
        errors = [
            call for call in fake.calls if call[0] == "answerInlineQuery" and not call[1].get("results")
        ]
    lines = [f"{'inline answers':<28}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}  verdict"]
    lines.append(summary("cold (API /buscar)", cold))
    lines.append(summary("again (bot cache)", cached))
    lines.append(f"empty answers: {len(errors)}; target: p95 < {P95_TARGET_MS:.0f} ms")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--typists", type=int, default=16, help="users typing at the same time")
    parser.add_argument("--letters", type=int, default=12, help="keystrokes per user")
    parser.add_argument("--redis-url", help="an already published Redis (skips the ETL)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    with contextlib.ExitStack() as stack:
        url = args.redis_url
        if not url:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cartelera-inline-")))
            url = stack.enter_context(EmbeddedRedis(folder / "redis", persistent=False))
            source = movies_data()
            logger.info("publishing %s", source)
            publish(url, source, folder / "data")
        env = {**os.environ, "REDIS_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT)}
        server = stack.enter_context(serve("api.main:app", free_port(), env, 1))
        # Typing starts once the gateway has built its suggestion catalogues (a few seconds of
        # CPU after a start or a new version), as the API load benchmark does.
        wait_idle(server)
        api = server.base
        titles = best_known(url).titles
        logger.info("%d users typing %d letters each, through the fake Bot API", args.typists, args.letters)
        lines = asyncio.run(typed_inline_answers(api, titles, args.typists, args.letters))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
