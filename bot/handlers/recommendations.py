"""/recomendacion: a "buscando" message at once, edited into the 5 films (as buttons) when ready."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatAction

from bot import keyboards
from bot.context import Context
from bot.gateway import GatewayError, Pending
from bot.handlers import lists
from bot.handlers.common import Subject, chat_id, command, failure
from bot.handlers.titles import offer_others
from shared.reasons import reasons_line
from shared.wording import answers as sentences
from shared.wording import bot as texts

logger = logging.getLogger(__name__)

# Bounds on the API's Retry-After: never hammer it, never leave the user waiting long between polls.
MIN_POLL_SECONDS = 0.5
MAX_POLL_SECONDS = 5.0


async def recommend(update: Update, context: Context, title: str, movie_id: int | None = None) -> None:
    chat = chat_id(update)
    await context.bot.send_chat_action(chat, ChatAction.TYPING)
    status = await context.bot.send_message(chat, texts.searching(title))
    seen = await lists.seen_ids(update, context)
    try:
        answer = await _wait_for_answer(context, chat, title, movie_id, seen)
    except GatewayError as error:
        text, markup = failure(error, Subject("title", title, keyboards.RECOMMEND))
        await status.edit_text(text, reply_markup=markup)
        return
    if answer is None:
        await status.edit_text(texts.recommendation_slow(title))
        return
    await _show(status, answer)
    if movie_id is None:
        await offer_others(update, context, keyboards.RECOMMEND, answer)


recommendation = command("recomendacion", recommend)


async def _wait_for_answer(
    context: Context, chat: int, title: str, movie_id: int | None, seen: list[int]
) -> dict[str, Any] | None:
    """The API's answer, asking again while it says 202, until the bot's own deadline (then None)."""
    gateway = context.bot_data.gateway
    deadline = time.monotonic() + context.bot_data.settings.bot_recommend_timeout_seconds
    while True:
        answer = await gateway.recommendation(title, movie_id, seen)
        if not isinstance(answer, Pending):
            return answer
        pause = min(max(answer.retry_after, MIN_POLL_SECONDS), MAX_POLL_SECONDS)
        if time.monotonic() + pause > deadline:
            logger.info("recommendation job %s still %s at the deadline", answer.job_id, answer.estado)
            return None
        await asyncio.sleep(pause)
        # Telegram shows a chat action for about 5 seconds; renew it while the worker computes.
        await context.bot.send_chat_action(chat, ChatAction.TYPING)


async def _show(status: Message, answer: dict[str, Any]) -> None:
    detail = [film for film in answer.get("detalle") or [] if "id" in film and "titulo" in film]
    titles = [str(film["titulo"]) for film in detail] or [str(t) for t in answer.get("recomendaciones", [])]
    text = sentences.recommendation(answer["titulo"], answer["anio"], titles)
    # Why each film: the API's motivos under the sentence (answers of older versions have none).
    if any(film.get("motivos") for film in detail):
        lines = [reasons_line(str(f["titulo"]), f.get("anio"), list(f.get("motivos") or [])) for f in detail]
        text = "\n\n".join([text, "\n".join(lines)])
    await status.edit_text(text, reply_markup=keyboards.films(keyboards.CARD, detail))
