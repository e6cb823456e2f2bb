"""Buttons that name a film or a person: read the label back and answer as the command would."""

from __future__ import annotations

from telegram import Update

from bot import keyboards
from bot.context import Context
from bot.handlers import people, recommendations, titles
from shared.wording import bot as texts


async def film_chosen(update: Update, context: Context) -> None:
    """`t:<action>:<id>`: the label is `Título (año)`, which the API reads back with `?id=`."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 3)
    label = keyboards.pressed_label(query)
    movie_id = keyboards.as_int(parts[2]) if parts else None
    if parts is None or label is None or movie_id is None:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    action = parts[1]
    if action == keyboards.SCORE:
        await titles.answer_score(update, context, label, movie_id)
    elif action == keyboards.VOTES:
        await titles.answer_votes(update, context, label, movie_id)
    elif action == keyboards.RECOMMEND:
        await recommendations.recommend(update, context, label, movie_id)
    else:
        await titles.show_card(update, context, label, movie_id)


async def similar_chosen(update: Update, context: Context) -> None:
    """`r:<id>` under a film card, whose first line is `Título (año)`."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 2)
    title = keyboards.heading(query)
    movie_id = keyboards.as_int(parts[1]) if parts else None
    if title is None or movie_id is None:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    await recommendations.recommend(update, context, title, movie_id)


async def person_chosen(update: Update, context: Context) -> None:
    """`p:<a|d>:<id or empty>:<position>`: the label is the person's name."""
    query = update.callback_query
    assert query is not None
    parts = keyboards.split_data(query.data, 4)
    name = keyboards.pressed_label(query)
    if parts is None or name is None or parts[1] not in (keyboards.ACTOR, keyboards.DIRECTOR):
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    person_id = keyboards.as_int(parts[2])
    if parts[1] == keyboards.ACTOR:
        await people.answer_actor(update, context, name, person_id)
    else:
        await people.answer_director(update, context, name, person_id)
