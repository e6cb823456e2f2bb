"""Buttons of the personal list: on every film card, and under each page of /milista.

Callback data carries ids only: `l:<q|v>:<id>` marks a film from a card (it works on a card
shared in any chat through inline mode too); `m:<op>:<q|v>:<page>:<id>` acts on /milista's
page (`x` remove, `m` move to the other list, `p` show that page).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from shared.wording import bot as texts
from shared.wording import lists as wording_lists

WANT, SEEN = "q", "v"
STATE = {WANT: "quiero_verla", SEEN: "vista"}
REMOVE, MOVE, PAGE = "x", "m", "p"
PER_PAGE = 10


def mark_row(movie_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(wording_lists.WANT, callback_data=f"l:{WANT}:{movie_id}"),
        InlineKeyboardButton(wording_lists.SEEN, callback_data=f"l:{SEEN}:{movie_id}"),
    ]


def card(movie_id: int) -> InlineKeyboardMarkup:
    """A film card in the bot's chat: the list buttons and "Más como esta"."""
    more = InlineKeyboardButton(wording_lists.MORE_LIKE_THIS, callback_data=f"r:{movie_id}")
    return InlineKeyboardMarkup([mark_row(movie_id), [more]])


def shared_card(movie_id: int) -> InlineKeyboardMarkup:
    """A card posted in another chat through inline mode: the list buttons only (a recommendation
    belongs in the bot's own chat, which the bot may not share with that chat)."""
    return InlineKeyboardMarkup([mark_row(movie_id)])


def page(code: str, films: Sequence[dict[str, Any]], number: int, pages: int) -> InlineKeyboardMarkup | None:
    """Per film of the page: remove, move to the other list; then the page buttons."""
    move_label = wording_lists.MOVE_TO_SEEN if code == WANT else wording_lists.MOVE_TO_WANT
    rows = []
    first = number * PER_PAGE + 1
    for position, film in enumerate(films, start=first):
        film_id = int(film["id"])
        remove = f"m:{REMOVE}:{code}:{number}:{film_id}"
        buttons = [InlineKeyboardButton(f"{position}. {wording_lists.REMOVE}", callback_data=remove)]
        if film.get("disponible", True):
            move = f"m:{MOVE}:{code}:{number}:{film_id}"
            buttons.append(InlineKeyboardButton(f"{position}. {move_label}", callback_data=move))
        rows.append(buttons)
    navigation = []
    if number > 0:
        navigation.append(
            InlineKeyboardButton(texts.PREVIOUS, callback_data=f"m:{PAGE}:{code}:{number - 1}:0")
        )
    if number + 1 < pages:
        navigation.append(InlineKeyboardButton(texts.MORE, callback_data=f"m:{PAGE}:{code}:{number + 1}:0"))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None
