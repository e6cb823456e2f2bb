"""/actualizar: a dataset refresh through the API, for the chat ids in BOT_ADMIN_IDS only."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Message, Update

from bot.context import Context
from bot.gateway import Gateway, GatewayError, RefusedError
from bot.handlers.common import Subject, argument, chat_id, failure, send
from shared.jobs import JobState
from shared.wording import bot as texts

logger = logging.getLogger(__name__)

FORCE_WORDS = {"forzar", "force", "forzado"}
# A refresh of the full dataset takes minutes; the bot follows it for a while, then lets it be.
FOLLOW_SECONDS = 15 * 60
POLL_SECONDS = 1.0


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
    job_id, state = str(job.get("job_id", "")), str(job.get("estado", ""))
    logger.info("chat %s asked for a dataset refresh: job %s", chat, job_id)
    status = await send(update, context, texts.refresh_requested(job_id, state))
    # The handler returns now; the follow-up edits the message when the job ends.
    context.bot_data.spawn(_follow(context.bot_data.gateway, status, job_id))


async def _follow(gateway: Gateway, status: Message, job_id: str) -> None:
    try:
        await _wait_and_report(gateway, status, job_id)
    except Exception:
        # Nobody awaits this task: its failure is logged here or nowhere.
        logger.exception("following refresh job %s failed", job_id)


async def _wait_and_report(gateway: Gateway, status: Message, job_id: str) -> None:
    deadline = time.monotonic() + FOLLOW_SECONDS
    while time.monotonic() < deadline:
        try:
            job = await gateway.job(job_id)
        except GatewayError as error:
            logger.warning("stopped following job %s: %s", job_id, error.__class__.__name__)
            return
        state = JobState.parse(job.get("estado"))
        if state is not None and state.finished:
            await status.edit_text(
                texts.refresh_finished(job_id, str(job["estado"]), str(job.get("detalle", "")))
            )
            return
        await asyncio.sleep(POLL_SECONDS)
    await status.edit_text(texts.refresh_unfinished(job_id))
