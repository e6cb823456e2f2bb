"""`build_application(settings)`: every handler registered in one place, clients owned by the lifecycle."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.context import BotData, Context
from bot.gateway import Gateway
from bot.handlers import (
    admin,
    basic,
    calendar,
    choices,
    inline,
    limits,
    lists,
    people,
    recommendations,
    titles,
)
from bot.handlers.errors import on_error
from bot.redaction import hide_token
from shared.settings import BotSettings
from shared.wording import bot as texts
from shared.wording import lists as wording_lists

logger = logging.getLogger(__name__)

BotApplication = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, Any]

# Each command, its handler, and the brief's long name that works as an alias.
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
COMMANDS: tuple[tuple[tuple[str, ...], Handler], ...] = (
    (("start",), basic.start),
    (("ayuda", "help"), basic.help_),
    (("mes", "cantidad_filmaciones_mes"), calendar.month),
    (("dia", "cantidad_filmaciones_dia"), calendar.weekday),
    (("score", "score_titulo"), titles.score),
    (("votos", "votos_titulo"), titles.votes),
    (("actor", "get_actor"), people.actor),
    (("director", "get_director"), people.director),
    (("recomendacion", "recomendaciones"), recommendations.recommendation),
    (("milista",), lists.my_list),
    (("olvidarme",), lists.forget_me),
    (("actualizar",), admin.refresh),
)


class MissingTokenError(ValueError):
    """TELEGRAM_BOT_TOKEN is not set: there is no bot to run."""


def build_application(
    settings: BotSettings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
) -> BotApplication:
    """The bot, ready to run; `request`s and `gateway_transport` let tests swap the network layers."""
    if settings.telegram_bot_token is None:
        raise MissingTokenError("TELEGRAM_BOT_TOKEN is not set")
    token = settings.telegram_bot_token.get_secret_value()
    hide_token(token)
    admin_token = settings.admin_token.get_secret_value() if settings.admin_token else None

    async def post_init(application: BotApplication) -> None:
        token = settings.bot_api_token.get_secret_value() if settings.bot_api_token else None
        gateway = Gateway(settings.gateway_url, admin_token, bot_api_token=token, transport=gateway_transport)
        application.bot_data.gateway = gateway
        await _set_menus(application, settings)
        # Not fatal: the API may come up after the bot; until then users are told it is unavailable.
        if not await gateway.ready():
            logger.warning(
                "the API at %s is not ready yet; answers will say so until it is", settings.gateway_url
            )

    async def post_shutdown(application: BotApplication) -> None:
        await application.bot_data.close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(bot_data=BotData))
        # One user's slow recommendation must never hold up another user's answer.
        .concurrent_updates(True)
        # Telegram's flood limits; a 429 is waited out and retried instead of failing the reply.
        .rate_limiter(AIORateLimiter(max_retries=2))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base)
        builder = builder.base_file_url(_file_url(base))
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: BotApplication = builder.build()
    application.bot_data.configure(settings)
    _register(application)
    return application


def _register(application: BotApplication) -> None:
    # New messages only (an edited message is not asked again); chatter is for private chats only.
    new = filters.UpdateType.MESSAGE
    private = new & filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, limits.enforce), group=-1)
    for names, callback in COMMANDS:
        application.add_handler(CommandHandler(names, callback, filters=new))
    application.add_handler(CallbackQueryHandler(choices.film_chosen, pattern=r"^t:"))
    application.add_handler(CallbackQueryHandler(choices.similar_chosen, pattern=r"^r:"))
    application.add_handler(CallbackQueryHandler(choices.person_chosen, pattern=r"^p:"))
    application.add_handler(CallbackQueryHandler(people.turn_page, pattern=r"^d:"))
    application.add_handler(CallbackQueryHandler(lists.mark, pattern=r"^l:"))
    application.add_handler(CallbackQueryHandler(lists.act_on_page, pattern=r"^m:"))
    application.add_handler(InlineQueryHandler(inline.answer))
    application.add_handler(CallbackQueryHandler(basic.stale_button))
    application.add_handler(MessageHandler(private & filters.COMMAND, basic.unknown_command))
    # A card the user shared through inline mode is not a title to look up.
    typed = private & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT
    application.add_handler(MessageHandler(typed, titles.search))
    application.add_handler(MessageHandler(private & ~filters.TEXT, basic.not_text))
    application.add_error_handler(on_error)


async def _set_menus(application: BotApplication, settings: BotSettings) -> None:
    menu = (*texts.MENU, *wording_lists.MENU)
    public = [BotCommand(name, description) for name, description in menu]
    await application.bot.set_my_commands(public)
    admin_menu = public + [BotCommand(name, description) for name, description in texts.ADMIN_MENU]
    for chat in sorted(settings.bot_admin_ids):
        try:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(chat))
        except TelegramError as error:
            # A chat that never talked to the bot does not exist for Telegram yet.
            logger.warning("no admin menu for chat %s: %s", chat, error.message)


async def check_bot_api(settings: BotSettings) -> str:
    """Asks the Bot API who the bot is, so an unreachable server or a bad token is one clear log line
    at startup (PTB's own bootstrap would log a traceback). Returns the bot's username."""
    base = (settings.telegram_api_base_url or "https://api.telegram.org/bot").rstrip("/")
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    hide_token(token)
    async with Bot(token, base_url=base, base_file_url=_file_url(base)) as bot:
        return bot.username


def _file_url(base: str) -> str:
    """Telegram serves files from `.../file/bot<token>` next to `.../bot<token>`."""
    return base[: -len("bot")] + "file/bot" if base.endswith("/bot") else base


def run(application: BotApplication, settings: BotSettings) -> None:
    """Polling by default; a webhook server when BOT_WEBHOOK_URL is set."""
    if settings.bot_webhook_url:
        logger.info(
            "receiving updates by webhook on %s:%d", settings.bot_webhook_listen, settings.bot_webhook_port
        )
        application.run_webhook(
            listen=settings.bot_webhook_listen,
            port=settings.bot_webhook_port,
            url_path=urlsplit(settings.bot_webhook_url).path.lstrip("/"),
            webhook_url=settings.bot_webhook_url,
            secret_token=settings.bot_webhook_secret.get_secret_value()
            if settings.bot_webhook_secret
            else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        logger.info("receiving updates by polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
