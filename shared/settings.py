"""Settings of every service on one pydantic-settings base: each service reads only its own fields.

Each entry point builds its class when it starts (`shared.startup.start`), never at import, and
passes the object in (`create_app(settings)`, `build_application(settings)`). The launcher gives
each child only the variables of that child's class (`ServiceSettings.variables`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    RedisDsn,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.redis_url import carried_password, with_password

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO_ROOT / "data" / "sample"
DEFAULT_DATA_DIR = REPO_ROOT / "var"

_PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "token", "admin", "xxx"}
# Shared secrets that guard an action (admin routes, the bot's API, webhook updates) are at least
# this long: `abc` can be guessed, 24 random characters cannot.
MIN_SECRET_LENGTH = 24

LogFormat = Literal["json", "text"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def _empty_is_unset(value: object) -> object:
    # An empty variable (`ADMIN_TOKEN=` in a .env, `${X:-}` in compose) means "not set".
    return None if value == "" else value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _refuse_placeholder(value: SecretStr | None) -> SecretStr | None:
    if value is not None and value.get_secret_value().strip().lower() in _PLACEHOLDER_SECRETS:
        raise PydanticCustomError(
            "placeholder_secret", "is a placeholder; set a real secret or leave it unset"
        )
    return value


def _refuse_short(value: SecretStr | None) -> SecretStr | None:
    if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
        raise PydanticCustomError(
            "short_secret",
            "is too short: use at least {minimum} characters (e.g. `openssl rand -hex 16`)",
            {"minimum": MIN_SECRET_LENGTH},
        )
    return value


def _tokens_differ(admin: SecretStr | None, bot: SecretStr | None) -> None:
    # The bot holds both; a leaked list token must not open the admin routes.
    if admin is not None and bot is not None and admin.get_secret_value() == bot.get_secret_value():
        raise ValueError("BOT_API_TOKEN must differ from ADMIN_TOKEN")


def _authenticated(url: RedisDsn | None, password: SecretStr | None, name: str) -> RedisDsn | None:
    """`url` with REDIS_PASSWORD added when it carries no password of its own."""
    if url is None or password is None:
        return url
    carried = carried_password(str(url))
    if carried is None:
        return RedisDsn(with_password(str(url), password.get_secret_value()))
    if carried != password.get_secret_value():
        raise ValueError(f"{name} carries a password other than REDIS_PASSWORD: keep only one of the two")
    return url


def _sample_when_unset(value: object) -> object:
    return SAMPLE_DATA if value in (None, "") else value


def _chat_ids(value: object) -> object:
    if isinstance(value, str):
        return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
    if isinstance(value, int):
        return frozenset({value})
    return value


Secret = Annotated[SecretStr | None, BeforeValidator(_empty_is_unset), AfterValidator(_refuse_placeholder)]
# A secret that guards an action: placeholders and short values refused.
GuardSecret = Annotated[
    SecretStr | None,
    BeforeValidator(_empty_is_unset),
    AfterValidator(_refuse_placeholder),
    AfterValidator(_refuse_short),
]
# The bot's token for the personal-list routes (/usuarios/...): API and bot, never ADMIN_TOKEN.
ServiceToken = GuardSecret
OptionalRedisDsn = Annotated[RedisDsn | None, BeforeValidator(_empty_is_unset)]
OptionalText = Annotated[str | None, BeforeValidator(_empty_is_unset)]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_is_unset)]
SourcePath = Annotated[Path, BeforeValidator(_sample_when_unset)]


class ServiceSettings(BaseSettings):
    """What every service reads: its log level and format."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    log_level: Annotated[LogLevel, BeforeValidator(_upper)] = "INFO"
    # `json` for log collectors (one object per line), `text` for a terminal.
    log_format: Annotated[LogFormat, BeforeValidator(_lower)] = "text"

    @classmethod
    def variables(cls) -> frozenset[str]:
        """The environment variables this class reads (what the launcher passes to its service)."""
        return frozenset(name.upper() for name in cls.model_fields)


class RedisClientSettings(ServiceSettings):
    """Services that use Redis: REDIS_URL, or (entry points only) an embedded server in DATA_DIR."""

    redis_url: OptionalRedisDsn = None
    data_dir: Path = DEFAULT_DATA_DIR
    # Added to REDIS_URL (and REDIS_READ_URL) when the URL carries no password, so compose can keep
    # the secret out of the URLs. The embedded Redis has a password of its own (DATA_DIR/redis).
    redis_password: GuardSecret = None

    @model_validator(mode="after")
    def _redis_password_in_url(self) -> Self:
        if self.redis_password is not None and self.redis_url is None:
            raise ValueError(
                "REDIS_PASSWORD is set but REDIS_URL is not: the embedded Redis uses the password it "
                "generated in DATA_DIR/redis/redis.password; set REDIS_URL or unset REDIS_PASSWORD"
            )
        self.redis_url = _authenticated(self.redis_url, self.redis_password, "REDIS_URL")
        return self

    def redis_address(self) -> str:
        """REDIS_URL as text; only an entry point may leave it unset (it starts an embedded Redis)."""
        if self.redis_url is None:
            raise ValueError(
                "no Redis URL: set REDIS_URL, or start the service with its `python -m` entry point"
            )
        return str(self.redis_url)


class SourceSettings(ServiceSettings):
    """Services that read the raw Kaggle files (MOVIES_DATA; unset: the sample the repo ships)."""

    movies_data: SourcePath = SAMPLE_DATA


class ApiSettings(RedisClientSettings):
    """`python -m api` and `api.main:app`. The API reads no data file: a refresh is the worker's."""

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    admin_token: GuardSecret = None
    bot_api_token: ServiceToken = None
    # How long the API waits for an uncached recommendation before answering 202.
    recommend_wait_seconds: float = 3.0
    # The answer memo: each API process keeps the answers it gave for the current dataset version
    # (dropped on a switch), so a repeated question costs no Redis round trip; the bound is per process.
    api_remember_answers: bool = True
    api_remember_megabytes: int = Field(default=64, ge=1)
    # Path + query longer than this answers 414. The longest real title is about 100 characters; the
    # bound is set by `?excluir=`, where the bot sends a user's seen films (up to 1,000 ids, ~7 KB).
    api_max_url_length: int = Field(default=8192, ge=64)
    # Requests in flight per process beyond this answer 503 at once, so a flood cannot queue
    # without bound behind the ones being served.
    api_max_concurrency: int = Field(default=512, ge=1)
    # uvicorn processes sharing the API's one listening socket (`python -m api`; see api/README.md).
    api_workers: int = Field(default=1, ge=1, le=64)
    # A replica of REDIS_URL the API reads the dataset from; jobs and the admin routes stay on the
    # primary. Unset: everything on REDIS_URL.
    redis_read_url: OptionalRedisDsn = None

    def read_address(self) -> str:
        """Where the dataset is read: REDIS_READ_URL when set, else REDIS_URL."""
        return str(self.redis_read_url) if self.redis_read_url is not None else self.redis_address()

    @model_validator(mode="after")
    def _distinct_tokens(self) -> ApiSettings:
        _tokens_differ(self.admin_token, self.bot_api_token)
        return self

    @model_validator(mode="after")
    def _redis_password_in_read_url(self) -> ApiSettings:
        self.redis_read_url = _authenticated(self.redis_read_url, self.redis_password, "REDIS_READ_URL")
        return self


class WorkerServiceSettings(RedisClientSettings, SourceSettings):
    """`python -m worker` and arq's `worker.settings.WorkerSettings` (hence not that name)."""

    worker_max_jobs: int = 8
    # Cron fields for the scheduled refresh (minute hour); empty disables it.
    refresh_cron_minute: OptionalInt = 0
    refresh_cron_hour: OptionalInt = 4


class EtlSettings(RedisClientSettings, SourceSettings):
    """`python -m etl`: MOVIES_DATA in, a new version published to Redis."""


class BotSettings(ServiceSettings):
    """`python -m bot`: a client of the API only (no Redis, no data)."""

    telegram_bot_token: Secret = None
    telegram_api_base_url: OptionalText = None
    gateway_url: str = "http://127.0.0.1:8000"
    admin_token: GuardSecret = None
    bot_api_token: ServiceToken = None
    bot_admin_ids: Annotated[frozenset[int], NoDecode, BeforeValidator(_chat_ids)] = Field(
        default_factory=frozenset
    )
    bot_webhook_url: OptionalText = None
    # Where the bot's own webhook server listens (a reverse proxy forwards BOT_WEBHOOK_URL to it).
    bot_webhook_listen: str = "127.0.0.1"
    bot_webhook_port: int = 8443
    bot_webhook_secret: GuardSecret = None
    bot_rate_limit_per_minute: int = 20
    # How long the bot keeps asking for a recommendation the API answered with 202.
    bot_recommend_timeout_seconds: float = 60.0

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> BotSettings:
        # Without it anyone who learns the URL can post updates "from" an admin's chat.
        if self.bot_webhook_url and self.bot_webhook_secret is None:
            raise ValueError(
                "BOT_WEBHOOK_URL is set but BOT_WEBHOOK_SECRET is not: webhook mode needs the secret "
                "Telegram sends with every update"
            )
        _tokens_differ(self.admin_token, self.bot_api_token)
        return self


class LauncherSettings(RedisClientSettings, SourceSettings):
    """`python -m launcher` (`make run`): what it checks before starting the services."""

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # `python -m worker` processes to start (arq has no processes of its own: each one is a worker
    # of the same queue). The API's processes are API_WORKERS, which the API itself reads.
    worker_processes: int = Field(default=1, ge=1, le=64)
    # Only whether it is set: the bot is started when it is.
    telegram_bot_token: Secret = None


S = TypeVar("S", bound=ServiceSettings)


class SettingsError(ValueError):
    """Invalid settings. The message names each variable and what is wrong with it, never its value
    (it may be a secret)."""


def load(cls: type[S]) -> S:
    """`cls` read from the environment, or a SettingsError that is fit for a log line."""
    try:
        return cls()
    except ValidationError as exc:
        problems = [
            f"{'.'.join(map(str, error['loc'])).upper()} {error['msg']}".strip() for error in exc.errors()
        ]
        raise SettingsError("; ".join(problems)) from None
