"""Settings every service reads from the environment (pydantic-settings), passed in as objects."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO_ROOT / "data" / "sample"
DEFAULT_DATA_DIR = REPO_ROOT / "var"

MIN_SERVICE_TOKEN_LENGTH = 24
_PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "token", "admin", "xxx"}


class Settings(BaseSettings):
    """One object for every service; each reads the fields it needs."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    redis_url: str | None = None
    movies_data: Path = SAMPLE_DATA
    data_dir: Path = DEFAULT_DATA_DIR

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    admin_token: str | None = None
    # The bot's service token for the personal-list routes (/usuarios/...), distinct from ADMIN_TOKEN.
    bot_api_token: SecretStr | None = None
    # How long the API waits for an uncached recommendation before answering 202.
    recommend_wait_seconds: float = 3.0
    # Each API process keeps the answers it gave for the current dataset version (dropped on a
    # switch), so a repeated question costs no Redis round trip; the bound is per process.
    api_remember_answers: bool = True
    api_remember_megabytes: int = Field(default=64, ge=1)

    worker_max_jobs: int = 8
    # Cron fields for the scheduled refresh (minute hour); empty disables it.
    refresh_cron_minute: int | None = 0
    refresh_cron_hour: int | None = 4

    telegram_bot_token: str | None = None
    telegram_api_base_url: str | None = None
    gateway_url: str = "http://127.0.0.1:8000"
    bot_admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    bot_webhook_url: str | None = None
    # Where the bot's own webhook server listens (a reverse proxy forwards BOT_WEBHOOK_URL to it).
    bot_webhook_listen: str = "127.0.0.1"
    bot_webhook_port: int = 8443
    bot_webhook_secret: str | None = None
    bot_rate_limit_per_minute: int = 20
    # How long the bot keeps asking for a recommendation the API answered with 202.
    bot_recommend_timeout_seconds: float = 60.0

    @field_validator("movies_data", mode="before")
    @classmethod
    def _empty_data_means_sample(cls, value: object) -> object:
        return SAMPLE_DATA if value in (None, "") else value

    @field_validator(
        "redis_url",
        "admin_token",
        "bot_api_token",
        "telegram_bot_token",
        "telegram_api_base_url",
        "bot_webhook_url",
        "bot_webhook_secret",
        "refresh_cron_minute",
        "refresh_cron_hour",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("admin_token")
    @classmethod
    def _refuse_placeholder_token(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() in _PLACEHOLDER_SECRETS:
            raise ValueError("ADMIN_TOKEN is a placeholder; set a real secret or leave it unset")
        return value

    @field_validator("bot_api_token")
    @classmethod
    def _refuse_weak_bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value().strip()
        if secret.lower() in _PLACEHOLDER_SECRETS or len(secret) < MIN_SERVICE_TOKEN_LENGTH:
            raise ValueError(
                f"BOT_API_TOKEN must be a real secret of at least {MIN_SERVICE_TOKEN_LENGTH} characters"
            )
        return value

    @model_validator(mode="after")
    def _bot_token_is_not_the_admin_token(self) -> Settings:
        # The bot holds both; a leaked list token must not open the admin routes.
        if self.bot_api_token is not None and self.bot_api_token.get_secret_value() == self.admin_token:
            raise ValueError("BOT_API_TOKEN must differ from ADMIN_TOKEN")
        return self

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return frozenset({value})
        return value
