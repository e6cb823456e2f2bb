"""Waiting on state in tests: poll a condition until it holds or a deadline passes, never a bare sleep."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# How often a condition is checked; short, so a test waits about as long as the state takes.
POLL_SECONDS = 0.02


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]], what: str, within: float = 30.0
) -> None:
    """Return as soon as `condition()` is true; fail with `what` if it is still false after `within` s."""
    deadline = time.monotonic() + within
    while True:
        outcome = condition()
        if not isinstance(outcome, bool):
            outcome = await outcome
        if outcome:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"still waiting after {within:.0f} s: {what}")
        await asyncio.sleep(POLL_SECONDS)


def eventually_sync(condition: Callable[[], bool], what: str, within: float = 30.0) -> None:
    """`eventually` for code without an event loop (subprocesses, sync clients)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"still waiting after {within:.0f} s: {what}")
        time.sleep(POLL_SECONDS)
