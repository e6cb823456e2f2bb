"""Runs before every other handler: a user over the per-minute limit gets one polite message."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import Context
from shared.wording import bot as texts


async def enforce(update: Update, context: Context) -> None:
    user = update.effective_user
    limiter = context.bot_data.limiter
    # Inline queries come one per keystroke and are answered from a cache: not counted as questions.
    if update.inline_query is not None:
        return
    if user is None or limiter.allow(user.id):
        return
    text = texts.rate_limited(limiter.per_minute)
    if update.callback_query is not None:
        # Every callback query gets an answer, even a refused one (else the button keeps spinning).
        await update.callback_query.answer(text)
    elif update.effective_chat is not None and limiter.should_warn(user.id):
        await context.bot.send_message(update.effective_chat.id, text)
    raise ApplicationHandlerStop
