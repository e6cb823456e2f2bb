"""Locust user for the load benchmark when wrk is not installed: one path, as fast as possible."""

from __future__ import annotations

import os

from locust import constant
from locust.contrib.fasthttp import FastHttpUser, task


class PathUser(FastHttpUser):  # type: ignore[misc]
    wait_time = constant(0)
    path = os.environ.get("BENCH_PATH", "/")

    @task
    def get(self) -> None:
        self.client.get(self.path, name="target")
