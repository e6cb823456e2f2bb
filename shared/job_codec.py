"""How arq jobs and their results travel through Redis: JSON, never pickle.

arq pickles by default, and unpickling runs code: anyone able to write to Redis could then run
code in the worker (and in the API, which reads results). Jobs here carry plain values (a version
string, a movie id, a flag) and results are dicts, so JSON loses nothing. A failed job's exception
travels as its text (`"LookupError: ..."`); readers treat a failed result as failed, whatever it says.
"""

from __future__ import annotations

from typing import Any

import orjson


def _plain(value: object) -> str:
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    return str(value)


def serialize(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value, default=_plain)


def deserialize(raw: bytes) -> dict[str, Any]:
    value = orjson.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("an arq record is a JSON object")
    # A job's positional arguments come back as the tuple they were sent as (JSON has only lists).
    if isinstance(value.get("a"), list):
        value["a"] = tuple(value["a"])
    return value


# Keyword arguments of arq's Worker, create_pool and ArqRedis.
ARQ_CODEC: dict[str, Any] = {"job_serializer": serialize, "job_deserializer": deserialize}
