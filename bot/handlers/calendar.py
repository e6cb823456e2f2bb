"""/mes and /dia: how many films were released in a month or on a weekday."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import Subject, ask, command, send
from shared.wording import answers as sentences


async def answer_month(update: Update, context: Context, text: str) -> None:
    answer = await ask(update, context, context.bot_data.gateway.month(text), Subject("month", text))
    if answer is not None:
        await send(update, context, sentences.month_count(int(answer["cantidad"]), str(answer["mes"])))


async def answer_weekday(update: Update, context: Context, text: str) -> None:
    answer = await ask(update, context, context.bot_data.gateway.weekday(text), Subject("weekday", text))
    if answer is not None:
        await send(update, context, sentences.weekday_count(int(answer["cantidad"]), str(answer["dia"])))


month = command("mes", answer_month)
weekday = command("dia", answer_weekday)
