"""The processes `make run` starts: what each one runs and with which environment (only its own)."""

from __future__ import annotations

import importlib.util
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from shared.settings import (
    ApiSettings,
    BotSettings,
    EtlSettings,
    LauncherSettings,
    ServiceSettings,
    WorkerServiceSettings,
)

API, WORKER, BOT, ETL = "api", "worker", "bot", "etl"

# What a child needs from the OS environment besides its own settings: where programs, its home,
# its locale, temporary files and CA certificates are, proxies, and how Python runs.
_OS_VARIABLES = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TERM",
        "NO_COLOR",
        "TMPDIR",
        "TEMP",
        "TMP",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "VIRTUAL_ENV",
    }
)
_OS_PREFIXES = ("LC_", "PYTHON")


@dataclass(frozen=True)
class ServiceSpec:
    """One child process: a name for its log prefix, its command line and its environment."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(repr=False)  # holds tokens: never printed


def api_url(settings: LauncherSettings) -> str:
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


def own_environment(base: Mapping[str, str], settings: type[ServiceSettings]) -> dict[str, str]:
    """The part of `base` a child of class `settings` may see: its variables and the OS basics.

    A token reaches only the service that reads it (the bot's never reaches the API or the worker).
    """
    wanted = settings.variables()
    return {
        name: value
        for name, value in base.items()
        if name.upper() in wanted or name.upper() in _OS_VARIABLES or name.upper().startswith(_OS_PREFIXES)
    }


@dataclass(frozen=True)
class ChildEnvironments:
    """The environment of each child: its own variables, pinned to the Redis and folders we chose."""

    base: Mapping[str, str]
    settings: LauncherSettings
    redis_url: str
    list_token: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def _for(self, settings: type[ServiceSettings], **pinned: str) -> dict[str, str]:
        env = own_environment(self.base, settings)
        # Lines reach the terminal as they are written, not when a buffer fills.
        env.update(pinned, PYTHONUNBUFFERED="1")
        return env

    def _data(self) -> dict[str, str]:
        return {
            "REDIS_URL": self.redis_url,
            "MOVIES_DATA": str(self.settings.movies_data.resolve()),
            "DATA_DIR": str(self.settings.data_dir.resolve()),
        }

    def _with_list_token(self, env: dict[str, str]) -> dict[str, str]:
        # The API and the bot of one run must agree on the personal lists' token; the lists live
        # in Redis, so a token new on every run loses nothing.
        if not env.get("BOT_API_TOKEN"):
            env["BOT_API_TOKEN"] = self.list_token
        return env

    def api(self) -> dict[str, str]:
        s = self.settings
        return self._with_list_token(
            self._for(
                ApiSettings,
                REDIS_URL=self.redis_url,
                DATA_DIR=str(s.data_dir.resolve()),
                API_HOST=s.api_host,
                API_PORT=str(s.api_port),
            )
        )

    def worker(self) -> dict[str, str]:
        return self._for(WorkerServiceSettings, **self._data())

    def etl(self) -> dict[str, str]:
        return self._for(EtlSettings, **self._data())

    def bot(self) -> dict[str, str]:
        env = self._for(BotSettings)
        # The bot talks to the API this run serves unless told otherwise.
        env.setdefault("GATEWAY_URL", api_url(self.settings))
        return self._with_list_token(env)


def etl_spec(envs: ChildEnvironments) -> ServiceSpec:
    return ServiceSpec(ETL, (sys.executable, "-m", "etl"), envs.etl())


def bot_available() -> bool:
    return importlib.util.find_spec("bot") is not None


def worker_names(processes: int) -> list[str]:
    """Log prefixes of the worker processes: `worker`, or `worker-1`, `worker-2`, ... when several.

    Each is a whole `python -m worker` supervised on its own (a crash restarts that one only); arq
    shares the queue between them, and the job ids keep one computation per question.
    """
    if processes == 1:
        return [WORKER]
    return [f"{WORKER}-{number}" for number in range(1, processes + 1)]


def service_specs(settings: LauncherSettings, envs: ChildEnvironments) -> list[ServiceSpec]:
    """The API and WORKER_PROCESSES workers always; the bot when a token is set (the caller says why
    when it is not). The API's own processes (API_WORKERS) are uvicorn's, inside the API's child."""
    specs = [ServiceSpec(API, (sys.executable, "-m", "api"), envs.api())]
    specs.extend(
        ServiceSpec(name, (sys.executable, "-m", "worker"), envs.worker())
        for name in worker_names(settings.worker_processes)
    )
    if settings.telegram_bot_token is not None and bot_available():
        specs.append(ServiceSpec(BOT, (sys.executable, "-m", "bot"), envs.bot()))
    return specs
