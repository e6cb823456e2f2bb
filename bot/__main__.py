"""`python -m bot`: the bot with the environment's settings; clear log lines, never a traceback."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import MissingTokenError, build_application, check_bot_api, run
from shared.settings import BotSettings
from shared.startup import start

logger = logging.getLogger("bot")


def main() -> int:
    settings = start("bot", BotSettings)
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
