"""`python -m bot.devtools.chat`: talk to the bot from a terminal, through a local fake Bot API.

The fake Bot API listens on 127.0.0.1 and the bot reaches it through TELEGRAM_API_BASE_URL, as it
would reach another Bot API server; the API (GATEWAY_URL) must be running (`make run`). Type a
message and press Enter; `#2` presses the second button of the last keyboard; Ctrl-D quits.
With `--external` only the fake server runs, and you start `python -m bot` yourself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import sys
from typing import Any

from pydantic import SecretStr

from bot.app import build_application
from bot.devtools.fake_bot_api import FakeBotApi, Json
from bot.devtools.fake_server import FakeBotApiServer
from shared.embedded_redis import free_port
from shared.logging_setup import configure_logging
from shared.settings import BotSettings, load

logger = logging.getLogger(__name__)

LOCAL_TOKEN = "100000:local-chat-token"
_BUTTON = re.compile(r"^#(\d+)$")


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Transcript:
    """Shows the bot's new and edited messages in one chat, numbering the buttons of the last keyboard."""

    def __init__(self, fake: FakeBotApi, user: int) -> None:
        self.fake = fake
        self.user = user
        self.shown: dict[int, str] = {}
        self.buttons: list[tuple[Json, str]] = []

    def refresh(self) -> None:
        for message in self.fake.sent_to(self.user):
            snapshot = repr((message.get("text"), message.get("caption"), message.get("reply_markup")))
            if self.shown.get(message["message_id"]) == snapshot:
                continue
            edited = message["message_id"] in self.shown
            self.shown[message["message_id"]] = snapshot
            self._show(message, edited)

    def _show(self, message: Json, edited: bool) -> None:
        prefix = "bot (editado)>" if edited else "bot>"
        if "photo" in message:
            _write(f"{prefix} [póster: {message['photo'][0]['file_id']}]")
        _write(f"{prefix} {message.get('text') or message.get('caption') or ''}")
        rows: list[list[dict[str, Any]]] = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        keyboard = [(message, str(b["callback_data"])) for row in rows for b in row if "callback_data" in b]
        if keyboard:
            self.buttons = keyboard
            labels = [b["text"] for row in rows for b in row if "callback_data" in b]
            for number, label in enumerate(labels, start=1):
                _write(f"    #{number} {label}")


async def _watch(transcript: Transcript) -> None:
    while True:
        transcript.refresh()
        await asyncio.sleep(0.1)


async def _type(fake: FakeBotApi, transcript: Transcript, user: int) -> None:
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        text = line.strip()
        pressed = _BUTTON.match(text)
        if pressed and 1 <= int(pressed.group(1)) <= len(transcript.buttons):
            message, data = transcript.buttons[int(pressed.group(1)) - 1]
            fake.user_presses(user, message, data)
        elif text:
            fake.user_sends(user, text)


async def chat(settings: BotSettings, user: int, port: int, external: bool) -> None:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else LOCAL_TOKEN
    fake = FakeBotApi(token)
    server = FakeBotApiServer(fake, port)
    server.start()
    transcript = Transcript(fake, user)
    watcher = asyncio.create_task(_watch(transcript))
    local = settings.model_copy(
        update={"telegram_bot_token": SecretStr(token), "telegram_api_base_url": server.base_url}
    )
    application = None if external else build_application(local)
    try:
        if application is None:
            _write(f"Fake Bot API en {server.base_url}: arranca el bot con")
            _write(f"  TELEGRAM_BOT_TOKEN={token} TELEGRAM_API_BASE_URL={server.base_url} python -m bot")
        else:
            await application.initialize()
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            if application.updater is not None:
                await application.updater.start_polling(poll_interval=0, timeout=1)
        _write(f"Escribe como el usuario {user} (por ejemplo /start); #N pulsa un botón; Ctrl-D para salir.")
        await _type(fake, transcript, user)
    finally:
        watcher.cancel()
        if application is not None:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
            await application.shutdown()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Talk to the bot through a local fake Bot API.")
    parser.add_argument(
        "--user", type=int, default=1, help="your chat id (put it in BOT_ADMIN_IDS for /actualizar)"
    )
    parser.add_argument("--port", type=int, default=0, help="port of the fake Bot API (default: a free one)")
    parser.add_argument(
        "--external", action="store_true", help="only the fake Bot API; run python -m bot yourself"
    )
    args = parser.parse_args()
    configure_logging("bot", "WARNING")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(chat(load(BotSettings), args.user, args.port or free_port(), args.external))


if __name__ == "__main__":
    main()
