"""`python -m bot`: the bot with the environment's settings; clear log lines, never a traceback."""

from __future__ import annotations

import asyncio
import logging
import sys

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import MissingTokenError, build_application, check_bot_api, run
from shared.logging_setup import configure_logging
from shared.settings import Settings

logger = logging.getLogger("bot")


def main() -> int:
    configure_logging()
    try:
        settings = Settings()
    except ValidationError as error:
        fields = ", ".join(str(item["loc"][0]).upper() for item in error.errors() if item["loc"])
        logger.error("invalid settings (%s); the bot is not started", fields or "?")
        return 2
    try:
        application = build_application(settings)
    except MissingTokenError:
        logger.error(
            "TELEGRAM_BOT_TOKEN no está definido: el bot no se inicia (TELEGRAM_BOT_TOKEN is not set)"
        )
        return 1
    target = settings.telegram_api_base_url or "Telegram"
    try:
        username = asyncio.run(check_bot_api(settings))
        logger.info("connected to the Bot API as @%s", username)
        run(application, settings)
    except InvalidToken:
        logger.error("Telegram rejected TELEGRAM_BOT_TOKEN; the bot stops")
        return 1
    except NetworkError as error:
        logger.error("cannot reach the Bot API at %s (%s); the bot stops", target, error.message)
        return 1
    except TelegramError as error:
        logger.error("the Bot API at %s refused to start the bot (%s); the bot stops", target, error.message)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
