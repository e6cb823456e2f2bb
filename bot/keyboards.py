"""Inline keyboards and their callback data: ids only, within Telegram's 64 bytes.

A button's callback data says what to do and with which id; the text the API needs (a title, a
name) is read back from the message the button belongs to: the pressed button's label for film
and person choices, the first line of a film card; a filmography's page buttons carry the
director's name when it fits. Nothing is kept in the bot's memory, so a button still works after
a restart or on another replica.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import list_keyboards
from shared.wording import bot as texts

MAX_DATA_BYTES = 64

# What a film button does once pressed (the second field of a `t:` callback).
SCORE, VOTES, RECOMMEND, CARD = "s", "v", "r", "c"
ACTOR, DIRECTOR = "a", "d"


def fits(data: str) -> bool:
    return len(data.encode()) <= MAX_DATA_BYTES


def films(action: str, movies: Iterable[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """One `Título (año)` button per film; `t:<action>:<id>`."""
    rows = [
        [
            InlineKeyboardButton(
                texts.film_label(m["titulo"], m.get("anio")), callback_data=f"t:{action}:{m['id']}"
            )
        ]
        for m in movies
        if "titulo" in m and "id" in m
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def people(role: str, persons: Sequence[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """One button per name; the position keeps the data unique when the API sends no person id."""
    rows = [
        [InlineKeyboardButton(p["nombre"], callback_data=f"p:{role}:{p.get('id') or ''}:{i}")]
        for i, p in enumerate(persons)
        if p.get("nombre")
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def card(movie_id: int) -> InlineKeyboardMarkup:
    return list_keyboards.card(movie_id)


def pages(page: int, count: int, person_id: int, name: str) -> InlineKeyboardMarkup | None:
    """`◂ Anterior` / `Ver más ▸` for a filmography; None when the name does not fit in the data."""
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton(texts.PREVIOUS, callback_data=f"d:{page - 1}:{person_id}:{name}"))
    if page + 1 < count:
        buttons.append(InlineKeyboardButton(texts.MORE, callback_data=f"d:{page + 1}:{person_id}:{name}"))
    if not all(fits(str(button.callback_data)) for button in buttons):
        return None
    return InlineKeyboardMarkup([buttons]) if buttons else None


def pressed_label(query: CallbackQuery) -> str | None:
    """The text of the button that was pressed, as the message still shows it."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def heading(query: CallbackQuery) -> str | None:
    """The first line of the message the button belongs to (a film card starts with `Título (año)`)."""
    message = query.message
    if not isinstance(message, Message):
        return None
    text = message.text or message.caption or ""
    first = text.split("\n", 1)[0].strip()
    return first or None


def split_data(data: str | None, fields: int) -> list[str] | None:
    """`data` split on `:` into exactly `fields` parts (the last one keeps any further `:`)."""
    parts = (data or "").split(":", fields - 1)
    return parts if len(parts) == fields else None


def as_int(text: str) -> int | None:
    return int(text) if text.lstrip("-").isdigit() else None
