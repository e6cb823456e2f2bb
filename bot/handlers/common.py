"""What every handler shares: reading a command's argument, sending, and API failures as replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update

from bot import keyboards
from bot.context import Context
from bot.gateway import GatewayError, InvalidInputError, NotFoundError, UnavailableError
from shared.wording import bot as texts

Reply = tuple[str, InlineKeyboardMarkup | None]
# Coroutine, not Awaitable: python-telegram-bot's handler types ask for coroutine functions.
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
Answerer = Callable[[Update, Context, str], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Subject:
    """What the user asked about, to word a failure: `kind` is month, weekday, title, actor or director;
    `action` is what a suggested film's button will do."""

    kind: str
    text: str
    action: str = keyboards.CARD


def argument(update: Update) -> str:
    """The text after the command (`/score Toy Story` -> `Toy Story`), newlines and all."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def command(usage: str, answer: Answerer) -> Handler:
    """A command that needs an argument: without one, how to use it (`texts.USAGE[usage]`)."""

    async def handler(update: Update, context: Context) -> None:
        text = argument(update)
        if not text:
            await send(update, context, texts.USAGE[usage])
            return
        await answer(update, context, text)

    return handler


async def ask(
    update: Update, context: Context, question: Awaitable[dict[str, Any]], subject: Subject
) -> dict[str, Any] | None:
    """The API's answer to `question`; when it refuses or fails, the reply saying so, and None."""
    try:
        return await question
    except GatewayError as error:
        await send(update, context, failure(error, subject))
        return None


def chat_id(update: Update) -> int:
    chat = update.effective_chat
    if chat is None:
        raise RuntimeError("an update without a chat reached a chat handler")
    return chat.id


async def send(update: Update, context: Context, reply: Reply | str) -> Message:
    text, markup = (reply, None) if isinstance(reply, str) else reply
    return await context.bot.send_message(chat_id(update), text, reply_markup=markup)


def failure(error: GatewayError, subject: Subject) -> Reply:
    """A helpful Spanish answer for what the API refused, with suggestions as buttons."""
    if isinstance(error, UnavailableError):
        return texts.API_UNAVAILABLE, None
    if isinstance(error, NotFoundError):
        if subject.kind == "title":
            markup = keyboards.films(subject.action, error.sugerencias)
            return texts.title_not_found(subject.text, markup is not None), markup
        if subject.kind in ("actor", "director"):
            role = keyboards.ACTOR if subject.kind == "actor" else keyboards.DIRECTOR
            markup = keyboards.people(role, error.sugerencias)
            return texts.person_not_found(subject.kind, subject.text, markup is not None), markup
    if isinstance(error, InvalidInputError):
        if subject.kind == "month":
            return texts.invalid_month(subject.text, error.opciones), None
        if subject.kind == "weekday":
            return texts.invalid_weekday(subject.text, error.opciones), None
        return texts.INVALID_REQUEST, None
    return texts.SOMETHING_FAILED, None
