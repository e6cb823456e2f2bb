"""Inline mode: `@bot toy sto` in any chat lists up to 10 films from /buscar; choosing one posts its card."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update

from bot import list_keyboards
from bot.context import Context
from bot.gateway import GatewayError
from bot.handlers.titles import poster_url
from shared.text import fold
from shared.wording import bot as texts
from shared.wording import lists as wording_lists

logger = logging.getLogger(__name__)

RESULTS = 10
# Telegram keeps an answer for this long for everyone typing the same text (results are the same
# for every user: nothing personal in them).
TELEGRAM_CACHE_SECONDS = 300
THUMBNAIL_BASE = "https://image.tmdb.org/t/p/w92"
# `/start buscar` in the bot's chat, from the button shown when nothing matches.
START_PARAMETER = "buscar"


def card_text(film: dict[str, Any]) -> str:
    """The card posted in the chat: the same first line as the bot's own cards, `Título (año)`."""
    label = texts.film_label(str(film["titulo"]), film.get("anio"))
    return wording_lists.shared_card(
        label, int(film["anio"]), float(film["score"]), int(film.get("votos") or 0)
    )


def _result(film: dict[str, Any]) -> InlineQueryResultArticle:
    path = film.get("poster_path")
    thumbnail = None
    if isinstance(path, str) and path.strip():
        thumbnail = poster_url(path)
        if thumbnail is not None and not path.startswith(("http://", "https://")):
            thumbnail = THUMBNAIL_BASE + "/" + path.lstrip("/")
    return InlineQueryResultArticle(
        id=str(film["id"]),
        title=texts.film_label(str(film["titulo"]), film.get("anio")),
        description=wording_lists.inline_description(
            int(film["anio"]), float(film["score"]), int(film.get("votos") or 0)
        ),
        thumbnail_url=thumbnail,
        input_message_content=InputTextMessageContent(card_text(film)),
        reply_markup=list_keyboards.shared_card(int(film["id"])),
    )


async def answer(update: Update, context: Context) -> None:
    query = update.inline_query
    assert query is not None
    typed = query.query.strip()
    if not typed:
        hint = InlineQueryResultsButton(wording_lists.INLINE_EMPTY, start_parameter=START_PARAMETER)
        await query.answer([], cache_time=TELEGRAM_CACHE_SECONDS, button=hint)
        return
    cache = context.bot_data.inline_cache
    key = fold(typed)
    films = cache.get(key)
    if films is None:
        try:
            films = await context.bot_data.gateway.search(typed, RESULTS)
        except GatewayError as error:
            logger.info("inline search failed: %s", error.__class__.__name__)
            down = InlineQueryResultsButton(wording_lists.INLINE_UNAVAILABLE, start_parameter=START_PARAMETER)
            # Not cached by Telegram: the next keystroke asks again.
            await query.answer([], cache_time=0, button=down)
            return
        cache.put(key, films)
    results = [_result(film) for film in films[:RESULTS] if "id" in film and "titulo" in film]
    button: InlineQueryResultsButton | None = None
    if not results:
        button = InlineQueryResultsButton(wording_lists.INLINE_NOTHING, start_parameter=START_PARAMETER)
    await query.answer(results, cache_time=TELEGRAM_CACHE_SECONDS, button=button)
