"""REDIS_PASSWORD: added to REDIS_URL and REDIS_READ_URL without one, refused by name when it clashes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from arq.connections import create_pool

from shared.embedded_redis import EmbeddedRedis
from shared.redis_client import arq_redis_settings
from shared.settings import (
    ApiSettings,
    EtlSettings,
    LauncherSettings,
    SettingsError,
    WorkerServiceSettings,
    load,
)
from tests.worker.conftest import REPO_ROOT

# Characters that mean something in a URL, so the encoding is tested too.
ODD_PASSWORD = "p@ss:w/rd#with?odd%chars-7f3a1c"


@pytest.fixture
def protected(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """A real Redis server's port and its password (the embedded one's, generated)."""
    with EmbeddedRedis(tmp_path / "redis", persistent=False) as url:
        yield urlsplit(url).port or 0, (tmp_path / "redis" / "redis.password").read_text().strip()


def test_the_password_is_added_to_urls_without_one_and_both_clients_get_in(
    monkeypatch: pytest.MonkeyPatch, protected: tuple[int, str]
) -> None:
    port, password = protected
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/3")
    monkeypatch.setenv("REDIS_READ_URL", f"redis://127.0.0.1:{port}/3")
    monkeypatch.setenv("REDIS_PASSWORD", password)
    settings = load(ApiSettings)
    for url in (settings.redis_address(), settings.read_address()):
        client = redis.Redis.from_url(url)
        assert client.ping() and client.connection_pool.connection_kwargs["db"] == 3
        client.close()

    async def arq_ping() -> bool:
        pool = await create_pool(arq_redis_settings(settings.redis_address()))
        try:
            return bool(await pool.ping())
        finally:
            await pool.aclose()

    assert asyncio.run(arq_ping())
    for cls in (WorkerServiceSettings, EtlSettings, LauncherSettings):
        assert urlsplit(str(load(cls).redis_url)).password == password, cls


def test_a_password_with_url_characters_reaches_redis_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://reader@cache.internal:6380/2")
    monkeypatch.setenv("REDIS_PASSWORD", ODD_PASSWORD)
    url = load(WorkerServiceSettings).redis_address()
    assert redis.connection.parse_url(url) == {
        "username": "reader",
        "password": ODD_PASSWORD,
        "host": "cache.internal",
        "port": 6380,
        "db": 2,
    }
    arq = arq_redis_settings(url)
    assert (arq.username, arq.password, arq.host, arq.port) == (
        "reader",
        ODD_PASSWORD,
        "cache.internal",
        6380,
    )


def test_a_url_with_the_same_password_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://:same-password-in-both-places-0001@h:6379/0")
    monkeypatch.setenv("REDIS_PASSWORD", "same-password-in-both-places-0001")
    assert load(EtlSettings).redis_address() == "redis://:same-password-in-both-places-0001@h:6379/0"


@pytest.mark.parametrize("variable", ["REDIS_URL", "REDIS_READ_URL"])
def test_a_url_with_another_password_is_refused_by_name_never_by_value(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://h:6379/0")
    monkeypatch.setenv(variable, "redis://:the-url-password-0000000001@h:6379/0")
    monkeypatch.setenv("REDIS_PASSWORD", "the-variable-password-000002")
    with pytest.raises(SettingsError) as refused:
        load(ApiSettings)
    message = str(refused.value)
    assert f"{variable} carries a password other than REDIS_PASSWORD" in message
    assert "\n" not in message and "0000000001" not in message and "000002" not in message


def test_a_password_without_a_url_is_refused_because_the_embedded_redis_has_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("REDIS_PASSWORD", "a-password-long-enough-000003")
    with pytest.raises(SettingsError, match=r"REDIS_PASSWORD is set but REDIS_URL is not.*redis\.password"):
        load(LauncherSettings)


@pytest.mark.parametrize("value", ["changeme", "short-one"])
def test_a_placeholder_or_short_password_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://h:6379/0")
    monkeypatch.setenv("REDIS_PASSWORD", value)
    with pytest.raises(SettingsError, match="REDIS_PASSWORD") as refused:
        load(WorkerServiceSettings)
    assert value not in str(refused.value)


# A process that logs its Redis URL and password every way it can: none of it may show the password.
_LEAKY = textwrap.dedent(
    """
    import logging
    from pathlib import Path
    from shared.embedded_redis import EmbeddedRedis
    from shared.settings import WorkerServiceSettings
    from shared.startup import start
    settings = start("worker", WorkerServiceSettings)
    log = logging.getLogger("worker")
    log.warning("url %%s, password %%s", settings.redis_url, settings.redis_password.get_secret_value())
    with EmbeddedRedis(Path(%r), persistent=False) as url:
        log.warning("embedded url %%s", url)
        log.warning("embedded password %%s", open(%r).read())
    """
)


def test_no_log_line_shows_a_redis_password(tmp_path: Path) -> None:
    folder = tmp_path / "redis"
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "REDIS_PASSWORD": ODD_PASSWORD,
        "PYTHONPATH": str(REPO_ROOT),
        "LOG_FORMAT": "text",
    }
    code = _LEAKY % (str(folder), str(folder / "redis.password"))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "embedded url redis://:<secreto>@127.0.0.1:" in output
    assert output.count("<secreto>") == 4
    embedded = (folder / "redis.password").read_text().strip()
    assert ODD_PASSWORD not in output and "p%40ss" not in output and embedded not in output
