"""`python -m benchmarks` can call every suite it lists: the ones with figures through `measure(argv)`."""

from __future__ import annotations

import importlib
import inspect

import pytest

from benchmarks.__main__ import SUITES


@pytest.mark.parametrize("name", SUITES)
def test_each_suite_is_callable_the_way_the_runner_calls_it(name: str) -> None:
    module = importlib.import_module(name)
    if hasattr(module, "measure"):
        # The runner calls `measure(argv)` and expects (exit code, figures by scale).
        inspect.signature(module.measure).bind([])
        assert not inspect.iscoroutinefunction(module.measure)
    else:
        inspect.signature(module.main).bind()
