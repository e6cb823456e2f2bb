"""The bot's client of the API: one method per route, answers as dicts, failures as typed errors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

logger = logging.getLogger(__name__)

# The API may hold a recommendation request for a few seconds while the worker computes it.
TIMEOUT = httpx.Timeout(20.0, connect=3.0)
DEFAULT_RETRY_AFTER = 2.0


class GatewayError(Exception):
    """The API did not give the answer asked for."""


class UnavailableError(GatewayError):
    """The API is unreachable, or answers 503 (Redis down, no dataset published yet)."""


@dataclass
class NotFoundError(GatewayError):
    """404: nothing by that title or name; `sugerencias` holds close matches (films or people)."""

    code: str
    sugerencias: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class InvalidInputError(GatewayError):
    """422: a month or weekday the API does not know (`opciones` lists the valid ones), or bad input."""

    code: str
    opciones: list[str] = field(default_factory=list)


@dataclass
class RefusedError(GatewayError):
    """401/403 on an admin route: the bot's ADMIN_TOKEN is missing, wrong, or the API has none."""

    status: int


@dataclass
class ConflictError(GatewayError):
    """409: the user's list is full (`list_full`)."""

    code: str


@dataclass
class FailedError(GatewayError):
    """Any other status: the bot tells the user something failed, without details."""

    status: int


@dataclass(frozen=True)
class Pending:
    """202: the worker is still computing; ask again after `retry_after` seconds."""

    job_id: str
    estado: str
    retry_after: float


def _segment(text: str) -> str:
    # Every character escaped, `/` included: `Face/Off` and `50/50` are one path segment to the API.
    return quote(text.strip(), safe="")


def _ids(**values: int | None) -> dict[str, int]:
    return {name: value for name, value in values.items() if value is not None}


class Gateway:
    """Owns one httpx client (a connection pool, a retry on connection errors) for the bot's lifetime."""

    def __init__(
        self,
        base_url: str,
        admin_token: str | None = None,
        *,
        bot_api_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._admin_token = admin_token
        self._bot_api_token = bot_api_token
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=TIMEOUT,
            transport=transport or httpx.AsyncHTTPTransport(retries=1),
            headers={"User-Agent": "cartelera-bot"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = await self._client.request(method, path, params=params, headers=headers)
        except httpx.TransportError as exc:
            logger.warning("the API is unreachable: %s", exc.__class__.__name__)
            raise UnavailableError from exc
        if response.status_code < 400:
            return response
        body = _json(response)
        code = str(body.get("error", ""))
        if response.status_code == 404:
            raise NotFoundError(code, list(body.get("sugerencias") or []))
        if response.status_code == 422:
            raise InvalidInputError(code, [str(option) for option in body.get("opciones") or []])
        if response.status_code in (401, 403):
            raise RefusedError(response.status_code)
        if response.status_code == 409:
            raise ConflictError(code)
        if response.status_code == 503:
            raise UnavailableError
        logger.warning("the API answered %d (%s) to %s", response.status_code, code or "?", method)
        raise FailedError(response.status_code)

    async def _get(self, path: str, **params: int | None) -> dict[str, Any]:
        return _json(await self._request("GET", path, _ids(**params)))

    async def ready(self) -> bool:
        """Whether the API answers /readyz (Redis reachable, a dataset published)."""
        try:
            response = await self._client.get("/readyz")
        except httpx.TransportError:
            return False
        return response.status_code == 200

    async def month(self, text: str) -> dict[str, Any]:
        return await self._get(f"/cantidad_filmaciones_mes/{_segment(text)}")

    async def weekday(self, text: str) -> dict[str, Any]:
        return await self._get(f"/cantidad_filmaciones_dia/{_segment(text)}")

    async def score(self, title: str, movie_id: int | None = None) -> dict[str, Any]:
        return await self._get(f"/score_titulo/{_segment(title)}", id=movie_id)

    async def votes(self, title: str, movie_id: int | None = None) -> dict[str, Any]:
        return await self._get(f"/votos_titulo/{_segment(title)}", id=movie_id)

    async def actor(self, name: str, person_id: int | None = None) -> dict[str, Any]:
        return await self._get(f"/get_actor/{_segment(name)}", id=person_id)

    async def director(self, name: str, person_id: int | None = None) -> dict[str, Any]:
        return await self._get(f"/get_director/{_segment(name)}", id=person_id)

    async def recommendation(
        self, title: str, movie_id: int | None = None, exclude: Sequence[int] = ()
    ) -> dict[str, Any] | Pending:
        params: dict[str, Any] = _ids(id=movie_id)
        if exclude:
            params["excluir"] = ",".join(map(str, exclude))
        response = await self._request("GET", f"/recomendacion/{_segment(title)}", params)
        body = _json(response)
        if response.status_code == 202:
            return Pending(str(body.get("job_id", "")), str(body.get("estado", "")), _retry_after(response))
        return body

    async def refresh(self, *, force: bool = False) -> dict[str, Any]:
        params = {"force": "true"} if force else None
        return _json(await self._request("POST", "/admin/refresh", params, self._admin_headers()))

    async def job(self, job_id: str) -> dict[str, Any]:
        return _json(
            await self._request("GET", f"/admin/jobs/{_segment(job_id)}", None, self._admin_headers())
        )

    async def search(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        body = _json(await self._request("GET", "/buscar", {"q": text, "limite": limit}))
        return [item for item in body.get("resultados") or [] if isinstance(item, dict)]

    @property
    def lists_enabled(self) -> bool:
        """Whether the bot holds BOT_API_TOKEN (without it, the personal list is off)."""
        return bool(self._bot_api_token)

    async def user_list(self, user_id: int) -> dict[str, Any]:
        return _json(await self._request("GET", f"/usuarios/{user_id}/lista", None, self._bot_headers()))

    async def mark(self, user_id: int, state: str, movie_id: int) -> dict[str, Any]:
        path = f"/usuarios/{user_id}/lista/{state}/{movie_id}"
        return _json(await self._request("PUT", path, None, self._bot_headers()))

    async def unmark(self, user_id: int, state: str, movie_id: int) -> dict[str, Any]:
        path = f"/usuarios/{user_id}/lista/{state}/{movie_id}"
        return _json(await self._request("DELETE", path, None, self._bot_headers()))

    async def forget(self, user_id: int) -> dict[str, Any]:
        return _json(await self._request("DELETE", f"/usuarios/{user_id}", None, self._bot_headers()))

    def _bot_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._bot_api_token}"} if self._bot_api_token else {}

    def _admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._admin_token}"} if self._admin_token else {}


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", DEFAULT_RETRY_AFTER))
    except ValueError:
        return DEFAULT_RETRY_AFTER
