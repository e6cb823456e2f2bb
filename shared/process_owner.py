"""Who holds a lease or a lock in Redis (host, pid), and freeing what a process now gone held."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import orjson
import redis.asyncio as aioredis

# One per process: tells this process from an earlier one that had the same pid (a container
# restarted keeps its hostname and often its pid numbers).
_INCARNATION = uuid.uuid4().hex[:12]


def owner_token() -> str:
    """This process, as written into a lease or lock value."""
    return orjson.dumps({"host": socket.gethostname(), "pid": os.getpid(), "run": _INCARNATION}).decode()


def dead_owner(value: bytes | str | None) -> dict[str, Any] | None:
    """The owner named by `value` when it is a process of this host that no longer runs, else None.

    A value that names another host, or that is not one of ours, is never judged dead: its lease
    lapses on its own.
    """
    if value is None:
        return None
    try:
        owner = orjson.loads(value)
        if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
            return None
        pid = int(owner["pid"])
        if pid == os.getpid():
            return owner if owner.get("run") != _INCARNATION else None
        os.kill(pid, 0)
    except ProcessLookupError:
        return owner  # type: ignore[no-any-return]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, PermissionError):
        return None
    return None


# Delete the key only if it still holds the value read: two processes that saw the same dead owner
# cannot both free it, and a key taken again meanwhile is left alone.
_DELETE_IF_EQUAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


async def free_if_dead(client: aioredis.Redis, key: str) -> dict[str, Any] | None:
    """Delete `key` when its value names a process of this host that no longer runs; that owner."""
    value = await client.get(key)
    owner = dead_owner(value)
    if owner is None:
        return None
    freed = await client.eval(_DELETE_IF_EQUAL, 1, key, value)  # type: ignore[misc]
    return owner if freed else None
