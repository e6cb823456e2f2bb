"""The error handler: the traceback goes to the log, the user gets a short Spanish apology."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import Context
from shared.wording import bot as texts

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query is not None:
        # Already answered, or too old to answer: the message below is what matters.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(update.effective_chat.id, texts.SOMETHING_FAILED)
    except TelegramError:
        logger.warning("could not tell chat %s that its request failed", update.effective_chat.id)
