"""arq's `WorkerSettings` (for the `arq` command) and the same options for `python -m worker`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from arq.cron import cron
from arq.worker import func

from shared import jobs
from shared.redis_client import arq_redis_settings
from shared.settings import Settings
from worker.recommend import recommend
from worker.refresh import refresh_dataset
from worker.state import shutdown, startup

# arq polls the queue; its default 0.5 s would dominate a recommendation that takes a few ms.
POLL_DELAY_SECONDS = 0.005
RECOMMEND_TIMEOUT_SECONDS = 60
# The full ETL takes about a minute here; a dead worker's refresh is retried after this.
REFRESH_TIMEOUT_SECONDS = 30 * 60
# `arq --check` fails when the worker has not written its health key for this long (+1 s).
HEALTH_CHECK_INTERVAL_SECONDS = 10
KEEP_RESULT_SECONDS = 3600


def worker_options(settings: Settings, redis_url: str | None = None) -> dict[str, Any]:
    """Keyword arguments of `arq.Worker` for these settings (also the WorkerSettings attributes)."""
    cron_jobs = []
    if settings.refresh_cron_hour is not None and settings.refresh_cron_minute is not None:
        cron_jobs.append(
            cron(
                refresh_dataset,
                name=f"cron:{jobs.REFRESH_DATASET}",
                hour=settings.refresh_cron_hour,
                minute=settings.refresh_cron_minute,
                unique=True,
                timeout=REFRESH_TIMEOUT_SECONDS,
                run_at_startup=False,
            )
        )
    url = redis_url or settings.redis_url
    options: dict[str, Any] = {
        "functions": [
            func(recommend, name=jobs.RECOMMEND, timeout=RECOMMEND_TIMEOUT_SECONDS, max_tries=3),
            # No result kept: the outcome lives in the progress hash (24 h), and the job id is
            # free again at once, so a retry after a failure is not refused as a duplicate.
            func(
                refresh_dataset,
                name=jobs.REFRESH_DATASET,
                timeout=REFRESH_TIMEOUT_SECONDS,
                max_tries=2,
                keep_result=0,
            ),
        ],
        "cron_jobs": cron_jobs,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "queue_name": jobs.QUEUE_NAME,
        "max_jobs": settings.worker_max_jobs,
        "poll_delay": POLL_DELAY_SECONDS,
        "keep_result": KEEP_RESULT_SECONDS,
        "health_check_interval": HEALTH_CHECK_INTERVAL_SECONDS,
        "ctx": {"settings": settings.model_copy(update={"redis_url": url}) if url else settings},
    }
    if url:
        options["redis_settings"] = arq_redis_settings(url)
    return options


def _cli_redis_url(settings: Settings) -> str | None:
    """For the `arq` command: REDIS_URL, else the embedded server `python -m worker/api` started."""
    if settings.redis_url:
        return settings.redis_url
    marker = Path(settings.data_dir) / "redis" / "redis.url"
    if marker.exists():
        return marker.read_text().strip() or None
    return None


_SETTINGS = Settings()


class WorkerSettings:
    """`arq worker.settings.WorkerSettings` and `arq --check worker.settings.WorkerSettings`.

    With REDIS_URL unset, the arq command joins the embedded Redis that `python -m worker` (or
    the API) started in DATA_DIR; `python -m worker` starts one itself when none runs.
    """

    _options = worker_options(_SETTINGS, _cli_redis_url(_SETTINGS))
    functions = _options["functions"]
    cron_jobs = _options["cron_jobs"]
    on_startup = staticmethod(startup)
    on_shutdown = staticmethod(shutdown)
    queue_name = _options["queue_name"]
    max_jobs = _options["max_jobs"]
    poll_delay = _options["poll_delay"]
    keep_result = _options["keep_result"]
    health_check_interval = _options["health_check_interval"]
    ctx = _options["ctx"]
    redis_settings = _options.get("redis_settings")
