"""Locust user for the load benchmark when wrk is not installed: one path, as fast as possible."""

from __future__ import annotations

import os

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class PathUser(FastHttpUser):
    wait_time = constant(0)
    path = os.environ.get("BENCH_PATH", "/")

    @task
    def get(self) -> None:
        self.client.get(self.path, name="target")
