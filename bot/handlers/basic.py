"""Greeting, help, unknown commands, messages without text and buttons that no longer mean anything."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import send
from shared.wording import bot as texts
from shared.wording import lists as wording_lists


async def start(update: Update, context: Context) -> None:
    await send(update, context, texts.START)


async def help_(update: Update, context: Context) -> None:
    await send(update, context, texts.HELP + "\n\n" + wording_lists.HELP.format(bot=context.bot.username))


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    word = (message.text or "/").split(maxsplit=1)[0] if message else "/"
    await send(update, context, texts.unknown_command(word.split("@", 1)[0]))


async def not_text(update: Update, context: Context) -> None:
    await send(update, context, texts.ONLY_TEXT)


async def stale_button(update: Update, context: Context) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(texts.BUTTON_EXPIRED)
