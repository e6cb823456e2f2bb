"""Fixtures of the scale tests: the launcher's, since they run `make run` as it is."""

from __future__ import annotations

from tests.launcher.conftest import launch

__all__ = ["launch"]
