"""Job names, the deterministic job ids that deduplicate them, and the states a job goes through."""

from __future__ import annotations

import uuid
from enum import StrEnum

RECOMMEND = "recommend"
REFRESH_DATASET = "refresh_dataset"
QUEUE_NAME = "arq:queue"


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


def refresh_job_id(source_fingerprint: str, *, force: bool = False) -> str:
    """Two triggers for the same source share one refresh; a forced one gets an id of its own,
    because arq refuses an id whose result it still keeps."""
    if force:
        return f"refresh:{source_fingerprint}:force:{uuid.uuid4().hex[:12]}"
    return f"refresh:{source_fingerprint}"
