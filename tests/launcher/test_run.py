"""`python -m launcher` end to end: first start, second start, changed data, crashes, a taken port."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
import redis
import yaml

from etl.pipeline import Build
from etl.publish import publish
from shared import jobs, keys
from shared.embedded_redis import EmbeddedRedis
from shared.settings import SAMPLE_DATA
from tests import independent
from tests.launcher.conftest import REPO_ROOT, LauncherRun, LaunchFactory

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def _current_version(run: LauncherRun) -> str:
    client = run.redis_client()
    try:
        return client.get(keys.CURRENT_VERSION).decode()  # type: ignore[no-any-return]
    finally:
        client.close()


def test_first_start_runs_the_etl_serves_queries_and_sigint_stops_every_child(
    tmp_path: Path, launch: LaunchFactory
) -> None:
    run = launch(tmp_path / "var")
    run.wait_ready()

    log = run.log()
    assert "dataset: no dataset is published yet; running the ETL" in log
    assert any("versión publicada" in line for line in run.lines("etl"))
    assert "TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started" in log
    run.wait_logged(f"API docs   {run.base}/docs")
    assert f"readiness  {run.base}/readyz" in run.log()

    status, body = run.get("/cantidad_filmaciones_mes/enero")
    assert status == 200
    expected = int((independent.movies()["date"].dt.month == 1).sum())
    assert json.loads(body)["cantidad"] == expected

    commands = [" ".join(p.cmdline()) for p in run.children()]
    assert any("redis-server" in c for c in commands)
    assert any(c.endswith("-m api") for c in commands)
    assert any(c.endswith("-m worker") for c in commands)
    assert not any(c.endswith("-m bot") for c in commands)
    run.wait_for(lambda: bool(run.lines("worker")), "the worker's first line")
    assert run.lines("api"), "the API's lines carry its prefix"

    # Every child above works with the password the embedded Redis generated; nobody gets in without.
    password_file = tmp_path / "var" / "redis" / "redis.password"
    password = password_file.read_text().strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert urlsplit(run.redis_url()).password == password
    anonymous = redis.Redis(host="127.0.0.1", port=urlsplit(run.redis_url()).port or 0)
    with pytest.raises(redis.AuthenticationError):
        anonymous.ping()
    anonymous.close()
    assert password not in run.log()

    assert run.stop(signal.SIGINT) == 0
    run.assert_everything_ended()
    log = run.log()
    assert "every service stopped" in log and "Traceback" not in log
    assert (tmp_path / "var" / "redis" / "dump.rdb").exists()


def test_ctrl_c_stops_every_service_before_redis_and_json_logs_name_their_service(
    tmp_path: Path, launch: LaunchFactory
) -> None:
    data_dir = tmp_path / "var"
    run = launch(data_dir, LOG_FORMAT="json")
    run.wait_ready()
    run.wait_for(lambda: "worker ready" in run.log(), "the worker to be ready")
    assert run.stop(signal.SIGINT) == 0
    run.assert_everything_ended()

    entries = [json.loads(line) for line in run.log().splitlines()]  # every line is one object
    assert {"launcher", "etl", "api", "worker"} <= {entry["service"] for entry in entries}
    assert all({"ts", "level", "logger", "message"} <= set(entry) for entry in entries)
    assert all("request_id" in entry for entry in entries if entry["service"] == "api")
    said = [(entry["service"], entry["message"]) for entry in entries]
    redis_stopped = next(i for i, (who, what) in enumerate(said) if what.startswith("embedded Redis stopped"))
    for service in ("api", "worker"):
        assert said.index(("launcher", f"{service} stopped")) < redis_stopped, said
    # The worker's own clean shutdown (it writes to Redis) happened while Redis still ran...
    assert said.index(("worker", "worker stopped")) < redis_stopped
    assert not [entry for entry in entries if entry["level"] == "ERROR" or "exception" in entry]
    # ...and the snapshot Redis saved last holds no health key of a live worker.
    with EmbeddedRedis(data_dir / "redis") as url:
        client = redis.Redis.from_url(url)
        assert client.exists(keys.CURRENT_VERSION)
        assert not client.exists(jobs.QUEUE_NAME + ":health-check")
        client.close()


def test_redis_password_is_added_to_a_redis_url_without_one_for_every_service(
    tmp_path: Path, sample_build: Build, launch: LaunchFactory
) -> None:
    with EmbeddedRedis(tmp_path / "external", persistent=False) as protected:
        client = redis.Redis.from_url(protected)
        publish(client, sample_build)
        client.close()
        parts = urlsplit(protected)
        password = parts.password or ""
        bare = f"redis://127.0.0.1:{parts.port}/0"
        run = launch(tmp_path / "var", "--no-etl", REDIS_URL=bare, REDIS_PASSWORD=password)
        run.wait_ready()
        status, _ = run.get("/cantidad_filmaciones_mes/enero")
        assert status == 200
        run.wait_for(lambda: "worker ready" in run.log(), "the worker to be ready")
        assert "using the Redis at REDIS_URL=redis://:***@127.0.0.1" in run.log()
        assert run.stop(signal.SIGTERM) == 0
        run.assert_everything_ended()
        assert password not in run.log()
        assert not (tmp_path / "var" / "redis").exists()  # no embedded server was started


def test_second_start_reuses_the_dataset_and_a_killed_worker_comes_back(
    published_data_dir: Path, sample_build: Build, launch: LaunchFactory
) -> None:
    run = launch(published_data_dir)
    run.wait_ready()
    assert "no ETL needed" in run.log()
    assert not run.lines("etl")
    assert _current_version(run) == sample_build.version

    def readiness_lines() -> int:
        return len([line for line in run.lines("worker") if "worker ready" in line])

    # The API can be ready before the worker is: kill a worker that had come up.
    run.wait_for(lambda: readiness_lines() == 1, "the first worker")
    worker = run.child("-m worker")
    worker.kill()
    run.wait_logged("worker stopped unexpectedly (killed by SIGKILL); restart 1 of 5 in 1 s")
    run.wait_for(lambda: run.worker_replaced(worker.pid), "a new worker")
    run.wait_for(lambda: readiness_lines() == 2, "the new worker to be ready")

    assert run.stop(signal.SIGTERM) == 0
    run.assert_everything_ended()


def test_the_compose_health_checks_pass_against_a_running_system(
    published_data_dir: Path, launch: LaunchFactory
) -> None:
    services = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())["services"]
    worker_check = services["worker"]["healthcheck"]["test"][1:]
    api_check = services["api"]["healthcheck"]["test"][1:]
    assert worker_check[0] == "arq" and api_check[0] == "python"
    worker_check[0] = str(Path(sys.executable).with_name("arq"))
    api_check = [sys.executable, *api_check[1:-1], api_check[-1].replace(":8000/", ":{port}/")]

    run = launch(published_data_dir)
    run.wait_ready()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "REDIS_URL": run.redis_url()}

    def check(command: list[str]) -> int:
        result = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, timeout=60, check=False)
        return result.returncode

    api_check[-1] = api_check[-1].format(port=run.port)
    assert check(api_check) == 0
    run.wait_for(lambda: check(worker_check) == 0, "`arq --check` to pass", timeout=30)
    assert run.stop() == 0
    # A real check: with the worker gone (its health key withdrawn), it fails.
    with EmbeddedRedis(published_data_dir / "redis") as url:
        env["REDIS_URL"] = url
        assert check(worker_check) == 1
    assert check(api_check) == 1


def _changed_source(folder: Path) -> Path:
    """The sample with Toy Story renamed, so the answer shows which data is served."""
    folder.mkdir()
    movies = pd.read_csv(SAMPLE_DATA / "movies_metadata.csv.gz", dtype=str, keep_default_na=False)
    movies.loc[movies["title"] == "Toy Story", "title"] = "Toy Story [B]"
    with gzip.open(folder / "movies_metadata.csv.gz", "wt", encoding="utf-8", newline="") as handle:
        movies.to_csv(handle, index=False)
    shutil.copy(SAMPLE_DATA / "credits.csv.gz", folder / "credits.csv.gz")
    return folder


@pytest.mark.parametrize("change", ["movies_data", "rebuild"])
def test_changed_movies_data_or_rebuild_runs_the_etl_again(
    change: str, tmp_path: Path, published_data_dir: Path, sample_build: Build, launch: LaunchFactory
) -> None:
    if change == "movies_data":
        run = launch(published_data_dir, MOVIES_DATA=str(_changed_source(tmp_path / "source-b")))
        reason = "MOVIES_DATA changed since version"
    else:
        run = launch(published_data_dir, "--rebuild")
        reason = "--rebuild was given"
    run.wait_ready()
    assert f"{reason}" in run.log() and run.lines("etl")
    assert _current_version(run) != sample_build.version
    status, _ = run.get("/score_titulo/Toy%20Story%20%5BB%5D")
    assert status == (200 if change == "movies_data" else 404)
    assert run.stop() == 0
    run.assert_everything_ended()


def test_a_service_crashing_more_than_max_restarts_stops_the_run(
    published_data_dir: Path, launch: LaunchFactory
) -> None:
    run = launch(published_data_dir, "--max-restarts", "1")
    run.wait_ready()
    first = run.child("-m worker")
    first.kill()
    run.wait_for(lambda: run.worker_replaced(first.pid), "the restarted worker")
    run.child("-m worker").kill()
    assert run.wait_exit(30) == 5
    log = run.log()
    assert "restart 1 of 1 in 1 s" in log
    assert (
        "worker stopped unexpectedly 2 times in a row (killed by SIGKILL); giving up after 1 restarts" in log
    )
    assert "Traceback" not in log
    run.assert_everything_ended()


def test_a_taken_api_port_is_one_clear_line_not_a_traceback(tmp_path: Path, launch: LaunchFactory) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = launch(tmp_path / "var", port=port)
        assert run.wait_exit(30) == 3
    log = run.log()
    assert f"port {port} on 127.0.0.1 is already in use" in log
    assert "Traceback" not in log
    assert not (tmp_path / "var" / "redis").exists(), "nothing was started"


def test_a_missing_source_or_a_failing_etl_ends_the_run_with_its_own_code(
    tmp_path: Path, launch: LaunchFactory
) -> None:
    missing = launch(tmp_path / "var-a", MOVIES_DATA=str(tmp_path / "nowhere"))
    assert missing.wait_exit(30) == 3
    assert "MOVIES_DATA:" in missing.log() and "Traceback" not in missing.log()

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "movies_metadata.csv").write_text("not,the,kaggle,file\n1,2,3,4\n")
    (broken / "credits.csv").write_text("nor,this\n1,2\n")
    failing = launch(tmp_path / "var-b", MOVIES_DATA=str(broken))
    assert failing.wait_exit(60) == 4
    assert "the ETL failed (exit code" in failing.log()
    assert "embedded Redis stopped" in failing.log()
    assert not (tmp_path / "var-b" / "redis" / "redis.url").exists()


def test_with_a_token_the_bot_runs_too_and_is_pointed_at_this_api(
    tmp_path: Path, published_data_dir: Path, launch: LaunchFactory
) -> None:
    # A stand-in `bot` package ahead of the real one (`python -m` puts the working directory
    # first on the path): this checks the launcher's side only.
    fake = tmp_path / "fake" / "bot"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('"""Stand-in bot."""\n')
    (fake / "__main__.py").write_text(
        "import os, sys, time\n"
        "sys.stdout.write(f\"stand-in bot for {os.environ['GATEWAY_URL']}, \"\n"
        "                 f\"token of {len(os.environ['TELEGRAM_BOT_TOKEN'])} characters\\n\")\n"
        "sys.stdout.flush()\n"
        "time.sleep(120)\n"
    )
    token = "123456:SECRET-TOKEN-VALUE"
    run = launch(
        published_data_dir,
        cwd=fake.parent,
        TELEGRAM_BOT_TOKEN=token,
        ADMIN_TOKEN="an-admin-token-for-the-launcher-test",
        UNRELATED_VARIABLE="of the shell only",
    )
    run.wait_ready()
    run.wait_for(lambda: bool(run.lines("bot")), "the bot's first line")
    # Each child sees its own settings and the OS basics, nothing else.
    seen = {marker: run.child(marker).environ() for marker in ("-m api", "-m worker", "-m bot")}
    assert all("PATH" in env and "UNRELATED_VARIABLE" not in env for env in seen.values())
    assert "TELEGRAM_BOT_TOKEN" not in seen["-m api"] and "ADMIN_TOKEN" in seen["-m api"]
    assert "TELEGRAM_BOT_TOKEN" not in seen["-m worker"] and "ADMIN_TOKEN" not in seen["-m worker"]
    assert "REDIS_URL" in seen["-m worker"] and "MOVIES_DATA" in seen["-m worker"]
    assert "MOVIES_DATA" not in seen["-m api"]
    assert "REDIS_URL" not in seen["-m bot"] and seen["-m bot"]["ADMIN_TOKEN"]
    assert run.lines("bot")[0].endswith(f"stand-in bot for {run.base}, token of {len(token)} characters")
    assert run.child("-m bot")
    assert run.stop() == 0
    run.assert_everything_ended()
    assert "bot stopped" in run.log() and token not in run.log()
