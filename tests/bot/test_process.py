"""`python -m bot` as its own process: against the fake Bot API over HTTP, and its clear exits."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import httpx

from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.fake_server import FakeBotApiServer
from shared.embedded_redis import free_port
from tests.bot.conftest import TOKEN, Backend
from tests.worker.conftest import REPO_ROOT

SECRET = TOKEN.split(":", 1)[1]


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "GATEWAY_"))}
    env.update(PYTHONPATH=str(REPO_ROOT), LOG_LEVEL="DEBUG")
    env.update(values)
    return env


def _run(**values: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot"]
    return subprocess.run(
        command, check=False, env=_env(**values), cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )


def test_without_a_token_it_says_so_and_exits() -> None:
    done = _run(TELEGRAM_BOT_TOKEN="")
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN no está definido" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_bot_api_is_one_clear_line() -> None:
    base = f"http://127.0.0.1:{free_port()}/bot"
    done = _run(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base)
    assert done.returncode != 0
    assert f"cannot reach the Bot API at {base}" in done.stderr
    assert "Traceback" not in done.stderr
    assert SECRET not in done.stderr + done.stdout


async def test_a_token_the_bot_api_rejects_is_one_clear_line() -> None:
    server = FakeBotApiServer(FakeBotApi("1:another-bot"), free_port())
    server.start()
    try:
        env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=env, cwd=REPO_ROOT, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await server.stop()
    log = stderr.decode()
    assert process.returncode != 0
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in log
    assert "Traceback" not in log and SECRET not in log


async def test_the_bot_process_answers_through_telegram_api_base_url(backend: Backend) -> None:
    fake = FakeBotApi(TOKEN)
    server = FakeBotApiServer(fake, free_port())
    server.start()
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url, GATEWAY_URL=backend.api.url)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=REPO_ROOT, stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.wait_until(lambda: any(method == "getUpdates" for method, _ in fake.calls))
        fake.user_sends(1001, "/mes enero")
        await fake.wait_until(lambda: len(fake.sent_to(1001)) == 1)
        assert fake.sent_to(1001)[0]["text"].endswith(
            "cantidad de películas fueron estrenadas en el mes de enero"
        )
    finally:
        process.terminate()
        fake.close()  # the bot's pending long poll returns now, not after its 10 s timeout
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        await server.stop()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "connected to the Bot API as @cartelera_test_bot" in log
    assert "Traceback" not in log
    assert SECRET not in log


async def test_the_terminal_chat(backend: Backend) -> None:
    env = _env(GATEWAY_URL=backend.api.url, LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot.devtools.chat", "--user", "77"),
        env=env,
        cwd=REPO_ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None

    async def read_until(fragment: str) -> list[str]:
        lines: list[str] = []
        while not lines or fragment not in lines[-1]:
            lines.append((await asyncio.wait_for(process.stdout.readline(), 30)).decode())  # type: ignore[union-attr]
        return lines

    try:
        await read_until("Escribe como el usuario 77")
        process.stdin.write(b"/score Hamlet\n")
        lines = await read_until("#1 Hamlet (1948)")
        assert lines[0].startswith("bot> La película Hamlet fue estrenada en el año 1996")
        process.stdin.write(b"#1\n")
        lines = await read_until("fue estrenada en el año 1948")
        assert lines[-1].startswith("bot> La película Hamlet fue estrenada en el año 1948")
    finally:
        process.stdin.close()
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0


async def test_webhook_mode(backend: Backend) -> None:
    fake = FakeBotApi(TOKEN)
    server = FakeBotApiServer(fake, free_port())
    server.start()
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    env = _env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        GATEWAY_URL=backend.api.url,
        BOT_WEBHOOK_URL=hook,
        BOT_WEBHOOK_PORT=str(port),
        BOT_WEBHOOK_SECRET="a-webhook-secret-0b9e",
        # At DEBUG, PTB logs the refused request (wrong secret) with tornado's traceback.
        LOG_LEVEL="INFO",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=env, cwd=REPO_ROOT, stderr=asyncio.subprocess.PIPE
    )
    update = {"update_id": 1, "message": fake.message_from(1001, "/dia lunes")}
    try:
        await fake.wait_until(lambda: fake.webhook is not None)
        assert fake.webhook is not None and fake.webhook["url"] == hook
        async with httpx.AsyncClient(timeout=10) as client:
            refused = await _post_when_up(client, hook, update, "not-the-secret")
            assert refused.status_code == 403
            accepted = await _post_when_up(client, hook, update, "a-webhook-secret-0b9e")
            assert accepted.status_code == 200
        await fake.wait_until(lambda: len(fake.sent_to(1001)) == 1)
        assert fake.sent_to(1001)[0]["text"].endswith(
            "cantidad de películas fueron estrenadas en los días lunes"
        )
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        await server.stop()
    assert process.returncode == 0
    log = stderr.decode()
    assert SECRET not in log, [line for line in log.splitlines() if SECRET in line]
    assert "Traceback" not in log, log[log.index("Traceback") - 2000 :]


async def _post_when_up(
    client: httpx.AsyncClient, url: str, update: dict[str, object], secret: str
) -> httpx.Response:
    for _ in range(100):
        try:
            return await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    raise AssertionError("the webhook server did not start")


def test_log_format_json_gives_one_object_per_line_naming_the_bot() -> None:
    base = f"http://127.0.0.1:{free_port()}/bot"
    done = _run(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base, LOG_FORMAT="json", LOG_LEVEL="INFO")
    assert done.returncode != 0
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    assert entries and all(entry["service"] == "bot" for entry in entries)
    [error] = [entry for entry in entries if entry["level"] == "ERROR"]
    assert error["message"].startswith(f"cannot reach the Bot API at {base}")
    assert SECRET not in done.stderr


def test_invalid_settings_are_named_without_their_value() -> None:
    done = _run(TELEGRAM_BOT_TOKEN="changeme", BOT_WEBHOOK_PORT="not-a-port")
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is a placeholder" in done.stderr
    assert "BOT_WEBHOOK_PORT" in done.stderr and "not-a-port" not in done.stderr
    assert "Traceback" not in done.stderr
