"""arq's options for the worker: `worker_options(settings, url)` for `python -m worker`, and
`WorkerSettings` for the `arq` command, built from the environment when arq first asks for it."""

from __future__ import annotations

import logging
from typing import Any

from arq.cron import cron
from arq.worker import func

from shared import jobs
from shared.logging_setup import configure_logging
from shared.redis_client import arq_redis_settings
from shared.settings import SettingsError, WorkerServiceSettings, load
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


def worker_options(settings: WorkerServiceSettings, redis_url: str | None = None) -> dict[str, Any]:
    """Keyword arguments of `arq.Worker` for these settings (also the WorkerSettings attributes).

    `redis_url` (or REDIS_URL) is where the worker connects; without either, the caller passes its
    own `redis_pool` (tests) or arq's default applies.
    """
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
    url = redis_url or (str(settings.redis_url) if settings.redis_url else None)
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
        "ctx": {"settings": settings},
    }
    if url:
        options["redis_settings"] = arq_redis_settings(url)
    return options


def _arq_command_settings() -> type:
    """The class `arq worker.settings.WorkerSettings` (and `arq --check`) runs with.

    The arq command is not an entry point of ours: it never starts a Redis and reads no file, so
    REDIS_URL is required (`python -m worker` starts an embedded Redis when it is unset).
    """
    try:
        settings = load(WorkerServiceSettings)
    except SettingsError as exc:
        configure_logging("worker")
        logging.getLogger("worker").error("invalid settings, the worker is not started: %s", exc)
        raise SystemExit(2) from None
    configure_logging("worker", settings.log_level, settings.log_format)
    if settings.redis_url is None:
        logging.getLogger("worker").error(
            "the arq command needs REDIS_URL (python -m worker starts an embedded Redis without it)"
        )
        raise SystemExit(2)
    options = worker_options(settings)
    return type("WorkerSettings", (), {"__doc__": _arq_command_settings.__doc__, **options})


def __getattr__(name: str) -> type:
    # PEP 562: importing this module reads nothing; arq's `import_string` resolves the attribute
    # when the command starts, and that is when the environment is read.
    if name == "WorkerSettings":
        built = _arq_command_settings()
        globals()[name] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
