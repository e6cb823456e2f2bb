"""The fake Bot API over real HTTP, for a bot in another process (TELEGRAM_API_BASE_URL).

Served with tornado, which PTB's webhooks extra already ships; point the bot at
`http://127.0.0.1:<port>/bot`.
"""

from __future__ import annotations

import httpx
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.devtools.fake_bot_api import FakeBotApi


class _BotApiHandler(RequestHandler):
    def initialize(self, fake: FakeBotApi) -> None:
        self.fake = fake

    async def post(self, path: str) -> None:
        await self._relay()

    async def get(self, path: str) -> None:
        await self._relay()

    async def _relay(self) -> None:
        request = httpx.Request(
            self.request.method or "POST",
            "http://fake" + self.request.path,
            headers={"content-type": self.request.headers.get("Content-Type", "")},
            content=self.request.body,
        )
        response = await self.fake.handle_http(request)
        self.set_status(response.status_code)
        self.set_header("Content-Type", "application/json")
        self.finish(response.content)


class FakeBotApiServer:
    """Serves `fake` on 127.0.0.1:`port` inside the running asyncio loop."""

    def __init__(self, fake: FakeBotApi, port: int) -> None:
        self.fake = fake
        self.port = port
        self._server: HTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> None:
        app = Application([(r"/(.*)", _BotApiHandler, {"fake": self.fake})])
        self._server = HTTPServer(app)
        self._server.listen(self.port, "127.0.0.1")

    async def stop(self) -> None:
        if self._server is not None:
            self.fake.close()
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
