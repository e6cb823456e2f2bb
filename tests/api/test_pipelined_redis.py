"""The gateway's pipelined Redis client against real servers set up as a managed Redis is: a
password (and an ACL user), a database other than 0, and TLS with a private certificate authority."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.exceptions import AuthenticationError

from api.services.pipelined_redis import PipelinedRedis
from etl.pipeline import Build
from etl.publish import publish
from shared.embedded_redis import free_port, redis_executable
from tests.api.conftest import serve_in_process, settings_for

PASSWORD = "a-long-test-password-3c9e"
SYSTEM_REDIS = shutil.which("redis-server")


def _start(command: list[str], check_url: str, **options: object) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        client = redis.Redis.from_url(check_url, socket_timeout=0.5, **options)  # type: ignore[arg-type]
        try:
            if client.ping():
                return process
        except redis.RedisError:
            pass
        finally:
            client.close()
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            stderr = process.communicate()[1].decode()
            pytest.fail(f"redis-server did not start: {stderr[-500:]}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.communicate(timeout=10)  # reaps it and closes its stderr pipe
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.fixture
def password_redis(tmp_path: Path) -> Iterator[int]:
    """A redis-server (the embedded one's binary) that refuses every command before AUTH."""
    port = free_port()
    command = [redis_executable(), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(tmp_path), "--requirepass", PASSWORD]
    process = _start(command, f"redis://:{PASSWORD}@127.0.0.1:{port}/0")
    yield port
    _stop(process)


@pytest.fixture
def tls_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A redis-server listening only on TLS, its certificate signed by a CA of the test's own."""
    if SYSTEM_REDIS is None or shutil.which("openssl") is None:
        pytest.skip("no redis-server built with TLS (the embedded one is not) or no openssl")
    ca_key, ca, key, request, cert = (tmp_path / n for n in ("ca.key", "ca.crt", "r.key", "r.csr", "r.crt"))
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*openssl, "-keyout", ca_key, "-out", ca, "-subj", "/CN=Cartelera test CA"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "openssl",
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            request,
            "-subj",
            "/CN=localhost",
        ],
        check=True,
        capture_output=True,
    )
    names = tmp_path / "names.ext"
    names.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    subprocess.run(
        [
            *("openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial"),
            *("-out", cert, "-days", "1", "-extfile", names),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    command = [SYSTEM_REDIS, "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(tmp_path), "--requirepass", PASSWORD]
    command += ["--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-ca-cert-file", str(ca)]
    command += ["--tls-auth-clients", "no"]
    probe = subprocess.run([SYSTEM_REDIS, "--version"], capture_output=True, text=True, check=True)
    url = f"rediss://:{PASSWORD}@localhost:{port}/0"
    try:
        process = _start(command, url, ssl_ca_certs=str(ca))
    except pytest.fail.Exception:
        pytest.skip(f"{probe.stdout.strip()} was built without TLS")
    yield port, ca
    _stop(process)


async def test_password_and_database_other_than_0(password_redis: int) -> None:
    port = password_redis
    admin = redis.Redis.from_url(f"redis://:{PASSWORD}@127.0.0.1:{port}/0")
    try:
        admin.set("where", "database 0")
        admin.execute_command("SELECT", 3)
        admin.set("where", "database 3")
        admin.execute_command("ACL", "SETUSER", "gateway", "on", f">{PASSWORD}-user", "~*", "+@all")
    finally:
        admin.close()
    urls = (f"redis://:{PASSWORD}@127.0.0.1:{port}/3", f"redis://gateway:{PASSWORD}-user@127.0.0.1:{port}/3")
    for count, url in enumerate(urls, start=1):
        client = PipelinedRedis(url)
        try:
            assert await client.execute_command("GET", "where") == b"database 3"
            assert await client.execute_command("INCR", "counter") == count
        finally:
            await client.aclose()


async def test_wrong_password_is_a_redis_error_and_the_next_try_reconnects(password_redis: int) -> None:
    wrong = PipelinedRedis(f"redis://:not-{PASSWORD}@127.0.0.1:{password_redis}/0")
    try:
        for _ in range(2):
            with pytest.raises(AuthenticationError):
                await wrong.execute_command("PING")
    finally:
        await wrong.aclose()
    missing = PipelinedRedis(f"redis://127.0.0.1:{password_redis}/0")
    try:
        with pytest.raises(redis.RedisError):
            await missing.execute_command("GET", "where")
    finally:
        await missing.aclose()


async def test_the_gateway_answers_from_a_password_protected_database(
    password_redis: int, sample_build: Build
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{password_redis}/5"
    client = redis.Redis.from_url(url)
    try:
        publish(client, sample_build)
    finally:
        client.close()
    async with serve_in_process(settings_for(url)) as api:
        answer = await api.get("/score_titulo/Toy%20Story")
        assert answer.status_code == 200, answer.text
        assert answer.json()["titulo"] == "Toy Story"
        assert (await api.get("/readyz")).status_code == 200


async def test_tls_with_a_private_certificate_authority(tls_redis: tuple[int, Path]) -> None:
    port, ca = tls_redis
    client = PipelinedRedis(f"rediss://:{PASSWORD}@localhost:{port}/2?ssl_ca_certs={ca}")
    try:
        assert await client.execute_command("SET", "tls", "yes") == b"OK"
        assert await client.execute_command("GET", "tls") == b"yes"
    finally:
        await client.aclose()
    check = redis.Redis.from_url(f"rediss://:{PASSWORD}@localhost:{port}/2", ssl_ca_certs=str(ca))
    try:
        assert check.get("tls") == b"yes"  # written in database 2, over TLS
    finally:
        check.close()
    # Without the private CA the certificate is refused: never a silent unverified connection.
    unverified = PipelinedRedis(f"rediss://:{PASSWORD}@localhost:{port}/2")
    try:
        with pytest.raises(redis.ConnectionError):
            await unverified.execute_command("PING")
    finally:
        await unverified.aclose()


async def test_a_server_that_accepts_and_never_answers_times_out_as_a_redis_error() -> None:
    """A stopped Redis (SIGSTOP) still accepts connections: the AUTH of a new one gets no reply."""
    served = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and closes
        writer.close()
        await writer.wait_closed()
        served.set()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = PipelinedRedis(f"redis://:{PASSWORD}@127.0.0.1:{port}/0", command_timeout=0.3)
    try:
        with pytest.raises(redis.exceptions.TimeoutError):
            await client.execute_command("GET", "x")
    finally:
        await client.aclose()
        await asyncio.wait_for(served.wait(), 5)
        server.close()
        await server.wait_closed()
