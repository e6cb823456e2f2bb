"""Publishing versions to a real Redis: atomic switch, old version kept until then, failures harmless."""

from collections.abc import Iterator

import orjson
import pytest
import redis

from etl.pipeline import Build
from etl.publish import PublishError, current_version, publish
from shared import keys
from shared.schemas import Movie, record_adapter
from shared.text import name_key, title_key


@pytest.fixture
def client(any_redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(any_redis_url)
    yield connection
    connection.close()


def _rebuilt(build: Build, version: str) -> Build:
    from dataclasses import replace

    return replace(build, version=version)


def _answers_completely(client: redis.Redis, version: str, build: Build) -> None:
    assert client.hlen(keys.movies(version)) == len(build.movies)
    assert client.hlen(keys.titles(version)) == len(build.artefacts.titles)
    assert client.hlen(keys.actors(version)) == len(build.artefacts.actors)
    assert client.hlen(keys.directors(version)) == len(build.artefacts.directors)
    months = {int(k): int(v) for k, v in client.hgetall(keys.months(version)).items()}
    assert months == build.artefacts.months
    toy = orjson.loads(client.hget(keys.titles(version), title_key("toy story")))
    assert record_adapter(Movie).validate_python(toy[0])["id"] == 862
    assert client.hget(keys.directors(version), name_key("John Lasseter"))
    assert client.hlen(keys.model(version)) == len(build.model.to_redis_fields())


def test_publish_read_back_publish_again(client: redis.Redis, sample_build: Build) -> None:
    first = publish(client, sample_build)
    assert current_version(client) == first
    _answers_completely(client, first, sample_build)
    assert client.ttl(keys.movies(first)) == -1

    second_build = _rebuilt(sample_build, keys.new_version("second"))
    second = publish(client, second_build)
    assert current_version(client) == second
    _answers_completely(client, second, second_build)
    # The previous version still answers for a grace period, then goes away by itself.
    _answers_completely(client, first, sample_build)
    assert 0 < client.ttl(keys.movies(first)) <= keys.OLD_VERSION_GRACE_SECONDS
    assert client.ttl(keys.movies(second)) == -1
    assert client.hget(keys.meta(second), "source_digest") == sample_build.source_digest.encode()


def test_a_publish_killed_half_way_leaves_the_old_version_serving(
    client: redis.Redis, sample_build: Build
) -> None:
    live = publish(client, sample_build)
    doomed = _rebuilt(sample_build, keys.new_version("doomed"))

    def crash() -> None:
        # Everything of the new version is written; the process dies before the switch.
        assert client.hlen(keys.movies(doomed.version)) == len(sample_build.movies)
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        publish(client, doomed, after_write=crash)
    assert current_version(client) == live
    _answers_completely(client, live, sample_build)
    assert client.ttl(keys.movies(live)) == -1
    assert not list(client.scan_iter(match=keys.version_pattern(doomed.version)))
    # And the next publish goes through.
    assert publish(client, _rebuilt(sample_build, keys.new_version("next"))) == current_version(client)


def test_a_failure_while_writing_keeps_the_old_version(client: redis.Redis, sample_build: Build) -> None:
    live = publish(client, sample_build)

    class Broken(Build):
        def redis_payload(self):  # type: ignore[no-untyped-def]
            payload = super().redis_payload()
            yield next(payload)
            raise OSError("disk full")

    broken = Broken(**{f: getattr(sample_build, f) for f in sample_build.__dataclass_fields__})
    object.__setattr__(broken, "version", keys.new_version("broken"))
    with pytest.raises(OSError, match="disk full"):
        publish(client, broken)
    assert current_version(client) == live
    _answers_completely(client, live, sample_build)


def test_two_publishes_never_interleave(client: redis.Redis, sample_build: Build) -> None:
    client.set(keys.PUBLISH_LOCK, "someone else", ex=60)
    with pytest.raises(PublishError):
        publish(client, _rebuilt(sample_build, keys.new_version("blocked")))
    assert current_version(client) is None
