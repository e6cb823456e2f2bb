"""/actualizar: a dataset refresh through the API, for the chat ids in BOT_ADMIN_IDS only."""

from __future__ import annotations

import logging

from telegram import Update

from bot import texts
from bot.context import Context
from bot.gateway import GatewayError, RefusedError
from bot.handlers.common import Subject, argument, chat_id, failure, send

logger = logging.getLogger(__name__)

FORCE_WORDS = {"forzar", "force", "forzado"}


async def refresh(update: Update, context: Context) -> None:
    chat = chat_id(update)
    if chat not in context.bot_data.settings.bot_admin_ids:
        logger.info("refused /actualizar from chat %s", chat)
        await send(update, context, texts.ADMIN_ONLY)
        return
    force = argument(update).casefold() in FORCE_WORDS
    try:
        job = await context.bot_data.gateway.refresh(force=force)
    except RefusedError:
        await send(update, context, texts.ADMIN_REFUSED)
        return
    except GatewayError as error:
        await send(update, context, failure(error, Subject("refresh", "")))
        return
    logger.info("chat %s asked for a dataset refresh: job %s", chat, job.get("job_id"))
    await send(
        update, context, texts.refresh_requested(str(job.get("job_id", "")), str(job.get("estado", "")))
    )
