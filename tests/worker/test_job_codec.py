"""arq jobs and results travel as JSON: a pickle planted in the queue is never unpickled."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import orjson
from arq import ArqRedis

from shared import jobs
from shared.settings import WorkerServiceSettings
from tests.worker.conftest import WorkerFactory


class _Planted:
    """Unpickling this runs a shell command: what a writer to Redis could do to a pickle reader."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


async def test_jobs_and_results_are_json(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    version = (await arq_pool.get("{cartelera}:current") or b"").decode()
    job_id = jobs.recommend_job_id(version, 238)
    job = await arq_pool.enqueue_job(jobs.RECOMMEND, version, 238, _job_id=job_id)
    assert job is not None
    stored = orjson.loads(await arq_pool.get(f"arq:job:{job_id}") or b"")
    assert (stored["f"], stored["a"]) == (jobs.RECOMMEND, [version, 238])
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    result = orjson.loads(await arq_pool.get(f"arq:result:{job_id}") or b"")
    assert result["s"] is True and result["r"]["id"] == 238


async def test_a_planted_pickle_is_never_run(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    payload = pickle.dumps({"t": 1, "f": jobs.RECOMMEND, "a": [_Planted(marker)], "k": {}, "et": 0})
    await arq_pool.set("arq:job:planted", payload)
    await arq_pool.zadd(jobs.QUEUE_NAME, {"planted": int(time.time() * 1000)})
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    assert not marker.exists()
    assert worker.jobs_failed == 1
