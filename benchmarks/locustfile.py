"""Locust user for the load benchmark when wrk is not installed: its paths in turn, as fast as possible."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


def _paths() -> list[str]:
    listed = os.environ.get("BENCH_PATHS_FILE")
    if not listed:
        return ["/"]
    return Path(listed).read_text(encoding="utf-8").split("\n")


PATHS = _paths()


class PathUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.turn = itertools.cycle(PATHS[random.randrange(len(PATHS)) :] + PATHS)

    @task
    def get(self) -> None:
        self.client.get(next(self.turn), name="target")
