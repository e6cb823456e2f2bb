"""/mes and /dia: how many films were released in a month or on a weekday."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import Context
from bot.gateway import GatewayError
from bot.handlers.common import Subject, argument, failure, send


async def month(update: Update, context: Context) -> None:
    text = argument(update)
    if not text:
        await send(update, context, texts.USAGE["mes"])
        return
    try:
        answer = await context.bot_data.gateway.month(text)
    except GatewayError as error:
        await send(update, context, failure(error, Subject("month", text)))
        return
    await send(update, context, texts.month_count(int(answer["cantidad"]), str(answer["mes"])))


async def weekday(update: Update, context: Context) -> None:
    text = argument(update)
    if not text:
        await send(update, context, texts.USAGE["dia"])
        return
    try:
        answer = await context.bot_data.gateway.weekday(text)
    except GatewayError as error:
        await send(update, context, failure(error, Subject("weekday", text)))
        return
    await send(update, context, texts.weekday_count(int(answer["cantidad"]), str(answer["dia"])))
