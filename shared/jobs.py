"""Job names, the deterministic job ids that deduplicate them, and the states a job goes through."""

from __future__ import annotations

import uuid
from enum import StrEnum

RECOMMEND = "recommend"
REFRESH_DATASET = "refresh_dataset"
QUEUE_NAME = "arq:queue"
# The worker's heartbeat: arq rewrites this key every HEALTH_CHECK_INTERVAL_SECONDS with a TTL one
# second longer, so it exists exactly while a worker is alive (what `arq --check` reads too).
WORKER_HEARTBEAT = QUEUE_NAME + ":health-check"
# Pub/sub instead of fast polling: the API announces a job it enqueued (the worker wakes at once
# instead of polling every few ms), and the worker announces each job it finished by its id (the
# waiting request reads the result at once). Polling stays only as a slow safety net.
JOB_ENQUEUED_CHANNEL = "{cartelera}:job-enqueued"
JOB_DONE_CHANNEL = "{cartelera}:job-done"


class JobState(StrEnum):
    """What `GET /admin/jobs/{job_id}` answers in `estado` (and a pending recommendation too)."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.COMPLETE, JobState.FAILED)

    @classmethod
    def parse(cls, value: object) -> JobState | None:
        """The state a stored or received word names, or None for anything else."""
        if not isinstance(value, str):
            return None
        try:
            return cls(value)
        except ValueError:
            return None


def recommend_job_id(version: str, movie_id: int) -> str:
    """Identical requests against one dataset version share one computation."""
    return f"recommend:{version}:{movie_id}"


def recommend_excluding_job_id(version: str, movie_id: int, exclusion_digest: str) -> str:
    """The same question leaving out the same films (in any order) shares one computation."""
    return f"{recommend_job_id(version, movie_id)}:sin:{exclusion_digest}"


# The job id of a refresh when nothing is published yet.
FIRST_VERSION = "first"


def refresh_job_id(published_version: str | None, *, force: bool = False) -> str:
    """A refresh computes the version that follows the published one (whose id names its source's
    digest), so triggers while one version is published share one job: the API cannot read the
    source, the worker compares it with the published version's. A forced refresh gets an id of
    its own, because arq refuses an id whose result it still keeps."""
    base = f"refresh:{published_version or FIRST_VERSION}"
    if force:
        return f"{base}:force:{uuid.uuid4().hex[:12]}"
    return base
