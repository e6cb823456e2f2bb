"""The processes `make run` starts: what each one runs and with which environment."""

from __future__ import annotations

import importlib.util
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from shared.settings import Settings

API, WORKER, BOT, ETL = "api", "worker", "bot", "etl"


@dataclass(frozen=True)
class ServiceSpec:
    """One child process: a name for its log prefix, its command line and its environment."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(repr=False)  # holds tokens: never printed


def api_url(settings: Settings) -> str:
    """Where a browser on this machine reaches the API (a wildcard bind is reached on loopback)."""
    host = settings.api_host
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.api_port}"


def redact(url: str) -> str:
    """A Redis URL fit for a log line: any password replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def child_env(base: Mapping[str, str], settings: Settings, redis_url: str) -> dict[str, str]:
    """The environment every child shares: ours, pinned to the Redis and folders we chose."""
    env = dict(base)
    env.update(
        REDIS_URL=redis_url,
        MOVIES_DATA=str(settings.movies_data.resolve()),
        DATA_DIR=str(settings.data_dir.resolve()),
        API_HOST=settings.api_host,
        API_PORT=str(settings.api_port),
        # Lines reach the terminal as they are written, not when a buffer fills.
        PYTHONUNBUFFERED="1",
    )
    # The API and the bot of one `make run` must agree on the personal lists' service token; the
    # lists live in Redis, so a token new on every run loses nothing.
    if not env.get("BOT_API_TOKEN"):
        env["BOT_API_TOKEN"] = secrets.token_urlsafe(32)
    return env


def etl_spec(env: Mapping[str, str]) -> ServiceSpec:
    return ServiceSpec(ETL, (sys.executable, "-m", "etl"), env)


def bot_available() -> bool:
    return importlib.util.find_spec("bot") is not None


def service_specs(settings: Settings, env: Mapping[str, str]) -> list[ServiceSpec]:
    """API and worker always; the bot when a token is set (the caller says why when it is not)."""
    specs = [
        ServiceSpec(API, (sys.executable, "-m", "api"), env),
        ServiceSpec(WORKER, (sys.executable, "-m", "worker"), env),
    ]
    if settings.telegram_bot_token and bot_available():
        bot_env = dict(env)
        # The bot talks to the API this run serves unless told otherwise.
        bot_env.setdefault("GATEWAY_URL", api_url(settings))
        specs.append(ServiceSpec(BOT, (sys.executable, "-m", "bot"), bot_env))
    return specs
