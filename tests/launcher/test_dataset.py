"""When `make run` runs the ETL: nothing published, --rebuild, or a source unlike the published one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from launcher import dataset
from shared import keys
from shared.settings import SAMPLE_DATA


@pytest.fixture
def client(published_redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(published_redis_url)
    yield client
    client.close()


def test_nothing_published_runs_the_etl(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    decision = dataset.decide(client, SAMPLE_DATA)
    client.close()
    assert decision.run_etl and decision.version is None


def test_the_source_of_the_published_version_needs_no_etl_and_is_recorded(client: redis.Redis) -> None:
    decision = dataset.decide(client, SAMPLE_DATA)
    assert not decision.run_etl and decision.version
    recorded = client.hgetall(keys.LAUNCHER_SOURCE)
    assert recorded[b"path"] == str(SAMPLE_DATA.resolve()).encode()


def test_a_recorded_source_is_not_read_again(client: redis.Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset.decide(client, SAMPLE_DATA)

    def refuse(*_: object) -> str:
        raise AssertionError("the files were hashed again")

    monkeypatch.setattr(dataset, "content_digest", refuse)
    assert not dataset.decide(client, SAMPLE_DATA).run_etl


def test_rebuild_always_runs_the_etl(client: redis.Redis) -> None:
    decision = dataset.decide(client, SAMPLE_DATA, rebuild=True)
    assert decision.run_etl and decision.reason == "--rebuild was given"


def test_the_same_files_elsewhere_need_no_etl(client: redis.Redis, tmp_path: Path) -> None:
    copy = shutil.copytree(SAMPLE_DATA, tmp_path / "copy")
    assert not dataset.decide(client, copy).run_etl


def test_changed_files_run_the_etl(client: redis.Redis, tmp_path: Path) -> None:
    copy = shutil.copytree(SAMPLE_DATA, tmp_path / "copy")
    dataset.decide(client, copy)  # recorded as unchanged...
    with (copy / "credits.csv.gz").open("ab") as handle:
        handle.write(b"\0")  # ...then one byte more: another size, so the fingerprint differs too
    decision = dataset.decide(client, copy)
    assert decision.run_etl and "MOVIES_DATA changed" in decision.reason
