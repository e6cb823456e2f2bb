"""An in-memory Telegram Bot API: users send messages and press buttons, the bot's calls are recorded.

Tests reach it through `transport()` (an `httpx.MockTransport` for PTB's `HTTPXRequest`) or over
HTTP (`bot.devtools.fake_server`), and `python -m bot.devtools.chat` uses the same object, so what
the tests check is what a developer sees. It enforces the limits the bot must respect (4,096
characters, 64-byte callback data, answered callback queries) with Telegram's error texts.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx

Json = dict[str, Any]
# PTB sends strings as they are and JSON-encodes everything else.
_TEXT_PARAMS = {
    "text",
    "caption",
    "photo",
    "callback_query_id",
    "inline_query_id",
    "action",
    "parse_mode",
    "url",
    "secret_token",
}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_INLINE_RESULTS = 50


class BotApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad_request(description: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {description}")


class FakeBotApi:
    def __init__(self, token: str, *, bot_id: int = 7000001, username: str = "cartelera_test_bot") -> None:
        self.token = token
        self.me: Json = {"id": bot_id, "is_bot": True, "first_name": "Cartelera", "username": username}
        self.calls: list[tuple[str, Json]] = []
        self.messages: dict[tuple[int, int], Json] = {}
        self.commands: dict[str, list[Json]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: dict[str, Json] = {}
        self.reject_photos = False
        self.webhook: Json | None = None
        self._updates: list[Json] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._pending_callbacks: set[str] = set()
        self.inline_answers: dict[str, Json] = {}
        self._inline_ids = itertools.count(1)
        self._pending_inline: set[str] = set()
        self._changed: asyncio.Event | None = None
        self._closing = False

    # What users do -------------------------------------------------------------------------------

    def user_sends(self, user_id: int, text: str | None, *, first_name: str = "Ana") -> Json:
        """A user's message, delivered by getUpdates; `text=None` sends a location (no text)."""
        message = self.message_from(user_id, text, first_name=first_name)
        self._push({"message": message})
        return message

    def message_from(self, user_id: int, text: str | None, *, first_name: str = "Ana") -> Json:
        """The `message` of an update from a user (a webhook test posts it itself)."""
        message: Json = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "es"},
        }
        if text is None:
            message["location"] = {"latitude": -34.6, "longitude": -58.4}
        else:
            message["text"] = text
        if text and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return message

    def user_presses(self, user_id: int, message: Json, data: str) -> str:
        """Presses the button with callback data `data` of one of the bot's messages."""
        query_id = str(next(self._callback_ids))
        self._pending_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "es"},
            "chat_instance": str(user_id),
            "message": message,
            "data": data,
        }
        self._push({"callback_query": query})
        return query_id

    def user_types_inline(self, user_id: int, text: str) -> str:
        """`@bot <text>` typed in any chat: an inline query the bot must answer (answerInlineQuery)."""
        query_id = str(next(self._inline_ids))
        self._pending_inline.add(query_id)
        sender = {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "es"}
        self._push({"inline_query": {"id": query_id, "from": sender, "query": text, "offset": ""}})
        return query_id

    def user_chooses(self, user_id: int, chat_id: int, query_id: str, result_id: str) -> Json:
        """The user picks one of the bot's inline results: Telegram posts its message in `chat_id`,
        sent by the user via the bot, with the result's buttons."""
        answer = self.inline_answers.get(query_id)
        if answer is None:
            raise AssertionError(f"inline query {query_id} was not answered")
        result = next((r for r in answer.get("results") or [] if r.get("id") == result_id), None)
        if result is None:
            raise AssertionError(f"no inline result {result_id!r} in the answer to {query_id}")
        content = result.get("input_message_content") or {}
        message: Json = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "group", "title": "Amigos"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
            "via_bot": self.me,
            "text": content.get("message_text", ""),
            "inline_message_id": f"inline-{query_id}-{result_id}",
        }
        if isinstance(result.get("reply_markup"), dict):
            message["reply_markup"] = result["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        self._notify()
        return message

    def user_presses_inline(self, user_id: int, message: Json, data: str) -> str:
        """Presses a button of a message posted through inline mode: the query carries its
        `inline_message_id`, not the message (the bot may not even be in that chat)."""
        query_id = str(next(self._callback_ids))
        self._pending_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "es"},
            "chat_instance": str(message["chat"]["id"]),
            "inline_message_id": message["inline_message_id"],
            "data": data,
        }
        self._push({"callback_query": query})
        return query_id

    @property
    def unanswered_inline_queries(self) -> set[str]:
        return set(self._pending_inline)

    def sent_to(self, chat_id: int) -> list[Json]:
        """The bot's messages in a chat, oldest first, as they look now (edits applied)."""
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    @property
    def unanswered_callbacks(self) -> set[str]:
        return set(self._pending_callbacks)

    async def wait_until(self, condition: Callable[[], bool], within: float = 30.0) -> None:
        async with asyncio.timeout(within):
            while not condition():
                await self._event().wait()

    def close(self) -> None:
        """Ends every pending long poll at once, so a server can shut down without waiting for them."""
        self._closing = True
        self._notify()

    # The Bot API ---------------------------------------------------------------------------------

    async def call(self, method: str, params: Json) -> Json | list[Json] | bool:
        self.calls.append((method, params))
        self._notify()
        handler = getattr(self, f"_{method.lower()}", None)
        if handler is None:
            raise BotApiError(404, "Not Found")
        result: Json | list[Json] | bool = await handler(params)
        self._notify()
        return result

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_http)

    async def handle_http(self, request: httpx.Request) -> httpx.Response:
        """`POST /bot<token>/<method>` with PTB's form (or a JSON) body, answered like Telegram."""
        prefix, _, method = request.url.path.rpartition("/")
        if prefix.rsplit("/", 1)[-1] != f"bot{self.token}":
            return _answer(BotApiError(401, "Unauthorized"))
        try:
            return _answer(
                await self.call(method, decode(request.headers.get("content-type", ""), request.content))
            )
        except BotApiError as error:
            return _answer(error)

    async def _getme(self, params: Json) -> Json:
        return self.me

    async def _deletewebhook(self, params: Json) -> bool:
        self.webhook = None
        return True

    async def _setwebhook(self, params: Json) -> bool:
        self.webhook = params
        return True

    async def _setmycommands(self, params: Json) -> bool:
        scope = params.get("scope") or {"type": "default"}
        self.commands[json.dumps(scope, sort_keys=True)] = list(params.get("commands") or [])
        return True

    async def _getupdates(self, params: Json) -> list[Json]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            try:
                async with asyncio.timeout(float(params.get("timeout") or 0)):
                    while not self._updates and not self._closing:
                        await self._event().wait()
            except TimeoutError:
                pass
        return self._updates[: int(params.get("limit") or 100)]

    async def _sendchataction(self, params: Json) -> bool:
        self.chat_actions.append((int(params["chat_id"]), str(params["action"])))
        return True

    async def _sendmessage(self, params: Json) -> Json:
        _check_text(params.get("text"), MAX_TEXT, "message")
        return self._store(params, {"text": params["text"]})

    async def _sendphoto(self, params: Json) -> Json:
        if self.reject_photos:
            raise bad_request("wrong type of the web page content")
        _check_text(params.get("caption") or " ", MAX_CAPTION, "message caption")
        content: Json = {
            "photo": [{"file_id": str(params["photo"]), "file_unique_id": "p", "width": 1, "height": 1}]
        }
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._store(params, content)

    async def _editmessagetext(self, params: Json) -> Json:
        _check_text(params.get("text"), MAX_TEXT, "message")
        message = self.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if message is None:
            raise bad_request("message to edit not found")
        markup = _markup(params)
        if message.get("text") == params["text"] and message.get("reply_markup") == markup:
            raise bad_request("message is not modified")
        message["text"] = params["text"]
        message["edit_date"] = int(time.time())
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        return message

    async def _answercallbackquery(self, params: Json) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._pending_callbacks:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    async def _answerinlinequery(self, params: Json) -> bool:
        query_id = str(params["inline_query_id"])
        if query_id not in self._pending_inline:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        results = params.get("results") or []
        if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or not all(1 <= len(i.encode()) <= 64 for i in ids):
            raise bad_request("RESULT_ID_INVALID")
        for result in results:
            _check_text((result.get("input_message_content") or {}).get("message_text"), MAX_TEXT, "message")
            _markup(result)
        self._pending_inline.discard(query_id)
        self.inline_answers[query_id] = params
        return True

    # Internals -----------------------------------------------------------------------------------

    def _store(self, params: Json, content: Json) -> Json:
        chat_id = int(params["chat_id"])
        message: Json = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self.me,
            **content,
        }
        markup = _markup(params)
        if markup is not None:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _push(self, update: Json) -> None:
        self._updates.append({"update_id": next(self._update_ids), **update})
        self._notify()

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        # Wake every waiter, then give later waiters a fresh event to wait on.
        event, self._changed = self._changed, None
        if event is not None:
            event.set()


def decode(content_type: str, body: bytes) -> Json:
    if content_type.startswith("application/json"):
        return dict(json.loads(body or b"{}"))
    params: Json = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if key in _TEXT_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _answer(outcome: Json | list[Json] | bool | BotApiError) -> httpx.Response:
    if isinstance(outcome, BotApiError):
        return httpx.Response(
            outcome.code, json={"ok": False, "error_code": outcome.code, "description": outcome.description}
        )
    return httpx.Response(200, json={"ok": True, "result": outcome})


def _check_text(text: object, limit: int, what: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise bad_request(f"{what} text is empty")
    if len(text) > limit:
        raise bad_request(f"{what} is too long")


def _markup(params: Json) -> Json | None:
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup
