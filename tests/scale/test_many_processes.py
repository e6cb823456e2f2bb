"""`make run` with API_WORKERS=2 and WORKER_PROCESSES=2 on one Redis: one computation per question
whatever process is asked, one refresh at a time, every API process on a new version within 1 s of
its publish, and no answer mixing two versions (real processes, real Redis)."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest
import redis
from arq import create_pool

from etl.pipeline import Build
from shared import jobs, keys
from shared.job_codec import ARQ_CODEC
from shared.redis_client import arq_redis_settings
from tests import independent
from tests.launcher.conftest import LauncherRun, LaunchFactory
from tests.scale.directors import busiest_directors, version_kind

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

TOKEN = "prueba-de-varios-procesos-0123456789"
SWITCH_SECONDS = 1.0


def _entries(run: LauncherRun) -> list[dict[str, Any]]:
    """Every JSON log line of the run so far (a line still being written is skipped)."""
    found = []
    for line in run.log().splitlines():
        try:
            found.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
    return found


def _epoch(ts: str) -> float:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def _memo_switches(run: LauncherRun, version: str) -> dict[int, float]:
    """API process id -> when its answer memo switched to `version` (its own log line)."""
    return {
        entry["pid"]: _epoch(entry["ts"].replace("Z", "+00:00"))
        for entry in _entries(run)
        if entry["service"] == "api" and entry["message"].startswith(f"dataset version seen: {version} ")
    }


def _pids_of_requests(run: LauncherRun, prefix: str) -> dict[str, int]:
    """Request id -> the API process that answered it (from its access line)."""
    return {
        entry["request_id"]: entry["pid"]
        for entry in _entries(run)
        if entry.get("logger") == "api.access" and str(entry.get("request_id", "")).startswith(prefix)
    }


def _get(client: httpx.Client, path: str, request_id: str) -> httpx.Response:
    # A new connection per request, so the two API processes both take some (whichever is idle).
    return client.get(path, headers={"X-Request-ID": request_id, "Connection": "close"})


def _popular_unique_titles(count: int) -> list[tuple[int, str]]:
    movies = independent.movies()
    shared_titles = set(movies["title"][movies["title"].str.casefold().duplicated(keep=False)])
    ranked = movies[~movies["title"].isin(shared_titles)].sort_values("vote_count", ascending=False)
    return [(int(row.id), str(row.title)) for row in ranked.head(count).itertuples()]


def _finished(run: LauncherRun, client: httpx.Client, path: str, reply: httpx.Response) -> dict[str, Any]:
    """The recommendation `reply` gave, or (a 202: still computing) the one asked again once done."""
    replies = [reply]

    def done() -> bool:
        if replies[-1].status_code == 202:
            replies.append(_get(client, path, "rec-again"))
        return replies[-1].status_code != 202

    run.wait_for(done, f"{path} to be computed")
    assert replies[-1].status_code == 200, replies[-1].text
    answer: dict[str, Any] = replies[-1].json()
    return answer


class Hammer:
    """Threads asking director questions until stopped; each answer's titles say its version."""

    def __init__(self, base: str, directors: list[str], threads: int = 4) -> None:
        self.base = base
        self.directors = directors
        self.answers: list[tuple[float, str, str]] = []  # (started, request id, "old"/"new"/"mixed")
        self.failures: list[str] = []
        self.versions: defaultdict[str, set[str]] = defaultdict(set)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask, args=(n,)) for n in range(threads)]

    def __enter__(self) -> Hammer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _ask(self, number: int) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as client:
            turn = 0
            while not self._stop.is_set():
                name = self.directors[turn % len(self.directors)]
                request_id = f"hammer-{number}-{turn}"
                started = time.time()
                response = _get(client, f"/get_director/{quote(name)}", request_id)
                turn += 1
                if response.status_code != 200:
                    self.failures.append(f"{response.status_code} {response.text[:200]}")
                    continue
                kind = version_kind(response.json())
                # The answer names its version too: it must be the one its titles come from.
                self.versions[kind].add(response.headers.get("X-Dataset-Version", ""))
                self.answers.append((started, request_id, kind))


def test_two_api_processes_and_two_workers_on_one_redis(
    tmp_path: Path,
    launch: LaunchFactory,
    published_redis_url: str,
    sample_build: Build,
    changed_source: Path,
) -> None:
    old = sample_build.version
    run = launch(
        tmp_path / "var",
        "--no-etl",
        REDIS_URL=published_redis_url,
        MOVIES_DATA=str(changed_source),
        API_WORKERS="2",
        WORKER_PROCESSES="2",
        LOG_FORMAT="json",
        ADMIN_TOKEN=TOKEN,
    )
    run.wait_ready()
    run.wait_for(lambda: len(_memo_switches(run, old)) == 2, "both API processes on the published version")
    api_pids = set(_memo_switches(run, old))

    def worker_pids() -> set[int]:
        return {
            e["pid"]
            for e in _entries(run)
            if e["service"] == "worker" and e["message"].startswith("worker ready")
        }

    run.wait_for(lambda: len(worker_pids()) == 2, "two workers ready")

    # One computation per title, however many processes are asked at once; rounds go on (the
    # answers then come from the cache) until both API processes have been asked.
    titles = _popular_unique_titles(4)
    answers: dict[int, list[list[str]]] = {movie_id: [] for movie_id, _ in titles}
    with httpx.Client(base_url=run.base, timeout=30) as client, ThreadPoolExecutor(8) as pool:
        for turn in range(10):
            for movie_id, title in titles:
                path = f"/recomendacion/{quote(title)}"
                asked = [pool.submit(_get, client, path, f"rec-{turn}-{movie_id}-{n}") for n in range(8)]
                for reply in (future.result() for future in asked):
                    answers[movie_id].append(_finished(run, client, path, reply)["recomendaciones"])
            if set(_pids_of_requests(run, "rec-").values()) == api_pids:
                break
    assert set(_pids_of_requests(run, "rec-").values()) == api_pids, "both API processes were asked"
    assert all(len({tuple(found) for found in given}) == 1 for given in answers.values()), answers
    computed = Counter(
        entry["message"].split(" ")[1]
        for entry in _entries(run)
        if entry["service"] == "worker" and entry["message"].startswith(f"recommend {old}:")
    )
    assert computed == {f"{old}:{movie_id}": 1 for movie_id, _ in titles}

    # Several refresh triggers at once, through both API processes, and a job of another id at the
    # same moment (as the other worker's cron would enqueue): one ETL, one new version.
    directors = busiest_directors(2)
    auth = {"Authorization": f"Bearer {TOKEN}", "Connection": "close"}
    other_job = f"cron:{jobs.REFRESH_DATASET}:{uuid.uuid4().hex[:8]}"
    with Announcements(published_redis_url) as announced, Hammer(run.base, directors) as hammer:
        with httpx.Client(base_url=run.base, timeout=10) as client, ThreadPoolExecutor(5) as pool:
            triggers = [
                pool.submit(client.post, "/admin/refresh", headers={**auth, "X-Request-ID": f"refresh-{n}"})
                for n in range(4)
            ]
            pool.submit(_enqueue_refresh, published_redis_url, other_job).result()
            replies = [future.result() for future in triggers]
        assert {r.status_code for r in replies} == {202}, [r.text for r in replies]
        assert len({r.json()["job_id"] for r in replies}) == 1, [r.json() for r in replies]
        assert _wait_job(run, replies[0].json()["job_id"]) == "complete"
        assert _wait_job(run, other_job) == "complete"
        assert announced.wait(), "no new version was announced"
        switched_at, new = announced.first()
        run.wait_for(lambda: len(_memo_switches(run, new)) == 2, "both API processes on the new version")
        # Keep asking for a while after the switch.
        run.wait_for(lambda: time.time() > switched_at + SWITCH_SECONDS + 1.0, "answers after the switch")

    assert not hammer.failures, hammer.failures[:5]
    assert new != old and new == _current(published_redis_url)
    assert len(announced.versions) == 1, announced.versions
    etl_runs = [e for e in _entries(run) if e["service"] == "worker" and "ETL child started" in e["message"]]
    assert len(etl_runs) == 1, etl_runs

    # Every API process switched within a second of the announcement, and its answers followed.
    lags = {pid: at - switched_at for pid, at in _memo_switches(run, new).items()}
    assert set(lags) == api_pids and all(lag < SWITCH_SECONDS for lag in lags.values()), lags
    assert hammer.versions == {"old": {old}, "new": {new}}, hammer.versions
    kinds = Counter(kind for _, _, kind in hammer.answers)
    assert kinds["mixed"] == 0 and kinds["old"] > 0 and kinds["new"] > 0, kinds
    late = [(rid, kind) for started, rid, kind in hammer.answers if started > switched_at + SWITCH_SECONDS]
    assert late and all(kind == "new" for _, kind in late), late
    who = _pids_of_requests(run, "hammer-")
    assert {who.get(rid) for rid, _ in late} == api_pids, "each API process answered the new version"

    # One stop ends every process: uvicorn's children, both workers, and their ETL children.
    assert run.stop(signal.SIGTERM) == 0
    run.assert_everything_ended()


class Announcements:
    """The switches announced on the version channel, with the moment each one was received."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.channel = self.client.pubsub(ignore_subscribe_messages=True)
        self.versions: list[tuple[float, str]] = []
        self._seen = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def __enter__(self) -> Announcements:
        self.channel.subscribe(keys.VERSION_CHANNEL)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.channel.close()
        self.client.close()

    def _listen(self) -> None:
        while not self._stop.is_set():
            message = self.channel.get_message(timeout=0.05)
            if message is not None:
                self.versions.append((time.time(), message["data"].decode()))
                self._seen.set()

    def wait(self, seconds: float = 60) -> bool:
        return self._seen.wait(seconds)

    def first(self) -> tuple[float, str]:
        return self.versions[0]


def _enqueue_refresh(url: str, job_id: str) -> None:
    async def enqueue() -> None:
        pool = await create_pool(arq_redis_settings(url), default_queue_name=jobs.QUEUE_NAME, **ARQ_CODEC)
        try:
            assert await pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id) is not None
        finally:
            await pool.aclose()

    asyncio.run(enqueue())


def _wait_job(run: LauncherRun, job_id: str) -> str:
    """The final state of an admin job, as `GET /admin/jobs/{job_id}` reports it."""
    state: list[str] = []

    def finished() -> bool:
        response = httpx.get(
            f"{run.base}/admin/jobs/{quote(job_id, safe='')}",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
        state[:] = [response.json().get("estado", "")] if response.status_code == 200 else []
        return bool(state) and state[0] in ("complete", "failed")

    run.wait_for(finished, f"job {job_id} to finish", timeout=90)
    return state[0]


def _current(url: str) -> str:
    client = redis.Redis.from_url(url)
    try:
        value = client.get(keys.CURRENT_VERSION)
        assert isinstance(value, bytes)
        return value.decode()
    finally:
        client.close()
