"""The personal list: "Quiero verla" / "Ya la vi" on cards, /milista with its buttons, and /olvidarme."""

from __future__ import annotations

import logging
import math
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest

from bot import keyboards, list_keyboards
from bot.context import Context
from bot.gateway import ConflictError, GatewayError, UnavailableError
from bot.handlers.common import send
from shared.wording import bot as texts
from shared.wording import lists as wording_lists

logger = logging.getLogger(__name__)

HEADINGS = {
    list_keyboards.WANT: wording_lists.LIST_WANT_HEADING,
    list_keyboards.SEEN: wording_lists.LIST_SEEN_HEADING,
}


def _user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise RuntimeError("an update without a user reached a list handler")
    return user.id


def _refusal(error: GatewayError) -> str:
    if isinstance(error, ConflictError):
        return wording_lists.LIST_FULL
    if isinstance(error, UnavailableError):
        return texts.API_UNAVAILABLE
    return texts.SOMETHING_FAILED


async def seen_ids(update: Update, context: Context) -> list[int]:
    """Films the user marked as seen, for /recomendacion to leave out; none when lists are off or fail."""
    gateway = context.bot_data.gateway
    if not gateway.lists_enabled or update.effective_user is None:
        return []
    try:
        body = await gateway.user_list(update.effective_user.id)
    except GatewayError as error:
        # A recommendation is still worth giving without the exclusions.
        logger.info("seen films not read: %s", error.__class__.__name__)
        return []
    return [int(film["id"]) for film in body.get("vista") or [] if isinstance(film, dict) and "id" in film]


async def mark(update: Update, context: Context) -> None:
    """`l:<q|v>:<id>` under a film card (in the bot's chat or shared in any chat)."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 3)
    movie_id = keyboards.as_int(parts[2]) if parts else None
    if parts is None or movie_id is None or parts[1] not in list_keyboards.STATE:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    gateway = context.bot_data.gateway
    if not gateway.lists_enabled:
        await query.answer(wording_lists.LIST_NOT_CONFIGURED, show_alert=True)
        return
    state = list_keyboards.STATE[parts[1]]
    try:
        await gateway.mark(_user_id(update), state, movie_id)
    except GatewayError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer(wording_lists.marked(state))


async def my_list(update: Update, context: Context) -> None:
    """/milista: a summary, then one message per list (10 films a page, with their buttons)."""
    gateway = context.bot_data.gateway
    if not gateway.lists_enabled:
        await send(update, context, wording_lists.LIST_NOT_CONFIGURED)
        return
    try:
        body = await gateway.user_list(_user_id(update))
    except GatewayError as error:
        await send(update, context, _refusal(error))
        return
    want, seen = body.get("quiero_verla") or [], body.get("vista") or []
    if not want and not seen:
        await send(update, context, wording_lists.LIST_EMPTY)
        return
    await send(update, context, wording_lists.list_summary(len(want), len(seen)))
    for code in (list_keyboards.WANT, list_keyboards.SEEN):
        await send(update, context, render(code, body, 0))


def render(code: str, body: dict[str, Any], number: int) -> tuple[str, Any]:
    """One page of one list: its text and buttons (the page clamped to what exists)."""
    films: list[dict[str, Any]] = list(body.get(list_keyboards.STATE[code]) or [])
    pages = max(1, math.ceil(len(films) / list_keyboards.PER_PAGE))
    number = min(max(number, 0), pages - 1)
    shown = films[number * list_keyboards.PER_PAGE : (number + 1) * list_keyboards.PER_PAGE]
    lines = [_line(film) for film in shown]
    text = wording_lists.list_page(
        HEADINGS[code],
        lines,
        first=number * list_keyboards.PER_PAGE + 1,
        total=len(films),
        page=number,
        pages=pages,
    )
    return text, list_keyboards.page(code, shown, number, pages)


def _line(film: dict[str, Any]) -> str:
    if not film.get("disponible", True) or not film.get("titulo"):
        return wording_lists.missing_film(int(film["id"]))
    return texts.film_label(str(film["titulo"]), film.get("anio"))


async def act_on_page(update: Update, context: Context) -> None:
    """`m:<x|m|p>:<q|v>:<page>:<id>`: remove, move or turn the page, then show the page again."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 5)
    number = keyboards.as_int(parts[3]) if parts else None
    movie_id = keyboards.as_int(parts[4]) if parts else None
    if (
        parts is None
        or number is None
        or movie_id is None
        or parts[2] not in list_keyboards.STATE
        or not isinstance(query.message, Message)
    ):
        await query.answer(texts.BUTTON_EXPIRED)
        return
    gateway = context.bot_data.gateway
    user, code, op = _user_id(update), parts[2], parts[1]
    state = list_keyboards.STATE[code]
    other = next(s for s in list_keyboards.STATE.values() if s != state)
    try:
        if op == list_keyboards.REMOVE:
            await gateway.unmark(user, state, movie_id)
        elif op == list_keyboards.MOVE:
            await gateway.mark(user, other, movie_id)
        body = await gateway.user_list(user)
    except GatewayError as error:
        await query.answer(_refusal(error), show_alert=True)
        return
    await query.answer()
    text, markup = render(code, body, number)
    try:
        await query.message.edit_text(text, reply_markup=markup)
    except BadRequest as error:
        # A double tap asks for what is already shown; Telegram refuses an edit that changes nothing.
        if "not modified" not in error.message:
            raise


async def forget_me(update: Update, context: Context) -> None:
    """/olvidarme: everything the API keeps about the user is deleted."""
    gateway = context.bot_data.gateway
    if not gateway.lists_enabled:
        await send(update, context, wording_lists.LIST_NOT_CONFIGURED)
        return
    try:
        body = await gateway.forget(_user_id(update))
    except GatewayError as error:
        await send(update, context, _refusal(error))
        return
    deleted = int(body.get("claves_borradas") or 0)
    await send(update, context, wording_lists.FORGET_DONE if deleted else wording_lists.FORGET_NOTHING)
