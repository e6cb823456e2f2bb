"""/score, /votos and a plain title: one film's popularity, votes, or its card (poster when there is one)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot import keyboards
from bot.context import Context
from bot.gateway import GatewayError
from bot.handlers.common import Subject, ask, chat_id, command, failure, send
from shared.wording import answers as sentences
from shared.wording import bot as texts

logger = logging.getLogger(__name__)

POSTER_BASE = "https://image.tmdb.org/t/p/w500"


async def search(update: Update, context: Context) -> None:
    """A plain message is a title: answer with the film's card."""
    message = update.effective_message
    title = (message.text or "").strip() if message else ""
    if title:
        await show_card(update, context, title)


async def answer_score(update: Update, context: Context, title: str, movie_id: int | None = None) -> None:
    question = context.bot_data.gateway.score(title, movie_id)
    answer = await ask(update, context, question, Subject("title", title, keyboards.SCORE))
    if answer is None:
        return
    await send(update, context, sentences.score(answer["titulo"], answer["anio"], float(answer["score"])))
    if movie_id is None:
        await offer_others(update, context, keyboards.SCORE, answer)


async def answer_votes(update: Update, context: Context, title: str, movie_id: int | None = None) -> None:
    question = context.bot_data.gateway.votes(title, movie_id)
    answer = await ask(update, context, question, Subject("title", title, keyboards.VOTES))
    if answer is None:
        return
    if answer.get("cumple_minimo"):
        text = sentences.votes(
            answer["titulo"], answer["anio"], int(answer["votos"]), float(answer["promedio"])
        )
    else:
        text = sentences.votes_below_minimum(answer["titulo"], answer["anio"])
    await send(update, context, text)
    if movie_id is None:
        await offer_others(update, context, keyboards.VOTES, answer)


async def show_card(update: Update, context: Context, title: str, movie_id: int | None = None) -> None:
    gateway = context.bot_data.gateway
    try:
        found = await gateway.score(title, movie_id)
        voting = await gateway.votes(title, int(found["id"]))
    except GatewayError as error:
        await send(update, context, failure(error, Subject("title", title, keyboards.CARD)))
        return
    directors = names(found.get("directores") or voting.get("directores"))
    text = texts.card(found["titulo"], found["anio"], float(found["score"]), voting, directors)
    markup = keyboards.card(int(found["id"]))
    poster = poster_url(found.get("poster_path") or voting.get("poster_path"))
    sent = False
    if poster is not None:
        try:
            await context.bot.send_photo(chat_id(update), poster, caption=text, reply_markup=markup)
            sent = True
        except BadRequest as error:
            # Telegram fetches the image itself and refuses some; the card is still worth sending.
            logger.info("poster refused for film %s: %s", found["id"], error.message)
    if not sent:
        await send(update, context, (text, markup))
    if movie_id is None:
        await offer_others(update, context, keyboards.CARD, found)


score = command("score", answer_score)
votes = command("votos", answer_votes)


async def offer_others(update: Update, context: Context, action: str, answer: dict[str, Any]) -> None:
    """When other films share the title, buttons to pick one of them instead (not after a pick)."""
    markup = keyboards.films(action, answer.get("otras_coincidencias") or [])
    if markup is not None:
        await send(update, context, (texts.OTHER_TITLES, markup))


def names(value: object) -> list[str]:
    """Director names, whether the API sends strings or `{"nombre": ...}` objects (or nothing)."""
    if not isinstance(value, list):
        return []
    out = [item if isinstance(item, str) else str(item.get("nombre", "")) for item in value if item]
    return [name for name in out if name]


def poster_url(path: object) -> str | None:
    if not isinstance(path, str) or not path.strip():
        return None
    return path if path.startswith(("http://", "https://")) else POSTER_BASE + "/" + path.lstrip("/")
