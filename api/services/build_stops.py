"""Cooperative stops for catalogue builds run in threads: a thread cannot be cancelled, so it asks."""

from __future__ import annotations

import threading
from collections.abc import Callable

# Called between the steps of a long build; raises `BuildStoppedError` when the result is no longer wanted.
Checkpoint = Callable[[], None]


class BuildStoppedError(Exception):
    """The build's owner stopped (the gateway shuts down): its result would never be used."""


def carry_on() -> None:
    """The checkpoint of a build nobody stops."""


def stop_when(event: threading.Event) -> Checkpoint:
    """A checkpoint that stops the build once `event` is set."""

    def checkpoint() -> None:
        if event.is_set():
            raise BuildStoppedError

    return checkpoint
