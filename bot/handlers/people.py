"""/actor and /director: a person's films and return; long filmographies in pages ("Ver más")."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot import keyboards
from bot.context import Context
from bot.handlers.common import Subject, ask, command, send
from shared.wording import answers as sentences
from shared.wording import bot as texts
from shared.wording import lists as wording_lists

MAX_MESSAGE = 4096
FILMS_PER_PAGE = 10


async def answer_actor(update: Update, context: Context, name: str, person_id: int | None = None) -> None:
    gateway = context.bot_data.gateway
    answer = await ask(update, context, gateway.actor(name, person_id), Subject("actor", name))
    if answer is None:
        return
    text = sentences.actor(
        answer["actor"],
        int(answer["cantidad_filmaciones"]),
        float(answer["retorno_total"]),
        float(answer["retorno_promedio"]),
    )
    await send(update, context, _with_homonyms(text, answer))


async def answer_director(update: Update, context: Context, name: str, person_id: int | None = None) -> None:
    gateway = context.bot_data.gateway
    answer = await ask(update, context, gateway.director(name, person_id), Subject("director", name))
    if answer is None:
        return
    pages = filmography_pages(answer)
    markup = keyboards.pages(0, len(pages), int(answer["id"]), str(answer["director"]))
    if markup is not None or len(pages) == 1:
        await send(update, context, (pages[0], markup))
        return
    # A name too long for a button's data: every page as its own message instead.
    for page in pages:
        await send(update, context, page)


async def turn_page(update: Update, context: Context) -> None:
    """`d:<page>:<person id>:<name>`: the filmography's page, edited into the same message."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 4)
    page = keyboards.as_int(parts[1]) if parts else None
    person_id = keyboards.as_int(parts[2]) if parts else None
    if parts is None or page is None or person_id is None or query.message is None:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    gateway = context.bot_data.gateway
    answer = await ask(update, context, gateway.director(parts[3], person_id), Subject("director", parts[3]))
    if answer is None:
        return
    pages = filmography_pages(answer)
    page = min(page, len(pages) - 1)
    markup = keyboards.pages(page, len(pages), person_id, str(answer["director"]))
    try:
        await context.bot.edit_message_text(
            pages[page],
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=markup,
        )
    except BadRequest as error:
        # A double tap asks for the page already shown; Telegram refuses an edit that changes nothing.
        if "not modified" not in error.message:
            raise


def filmography_pages(answer: dict[str, Any]) -> list[str]:
    """The brief's sentence, then the films, cut into pages of at most FILMS_PER_PAGE films and
    MAX_MESSAGE characters (Telegram refuses longer messages)."""
    films: list[dict[str, Any]] = list(answer.get("peliculas") or [])
    head = _with_homonyms(
        sentences.director(str(answer["director"]), len(films), float(answer["retorno_total"])), answer
    )
    lines = [wording_lists.directed_film(film) for film in films]
    groups: list[list[str]] = [[]]
    footer_room = len(texts.page_footer(len(lines), len(lines), len(lines))) + 2
    for line in lines:
        current = groups[-1]
        size = len(head) + 2 + sum(len(x) + 1 for x in current) + len(line) + footer_room
        if current and (len(current) >= FILMS_PER_PAGE or size > MAX_MESSAGE):
            groups.append([])
        groups[-1].append(line[: MAX_MESSAGE - len(head) - footer_room - 2])
    if len(groups) == 1:
        return ["\n\n".join(part for part in (head, "\n".join(groups[0])) if part)]
    pages: list[str] = []
    first = 1
    for group in groups:
        footer = texts.page_footer(first, first + len(group) - 1, len(lines))
        pages.append(f"{head}\n\n" + "\n".join(group) + f"\n\n{footer}")
        first += len(group)
    return pages


actor = command("actor", answer_actor)
director = command("director", answer_director)


def _with_homonyms(text: str, answer: dict[str, Any]) -> str:
    others = answer.get("otras_coincidencias") or []
    return f"{text}\n{texts.homonyms(len(others))}" if others else text
