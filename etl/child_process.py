"""One function run in a child process while the ETL goes on: its value, or its error, on demand.

The ETL uses it for work that needs little of what the parent holds (the credits file, the titles
of the search index): on a machine with a free core that work then costs no wall time.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this child when the ETL dies (even by SIGKILL), rather than
    let it finish work nobody will read."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _run(function: Callable[..., Any], args: tuple[Any, ...], out: Connection) -> None:
    _die_with_parent()
    try:
        out.send((None, function(*args)))
    except Exception as error:
        out.send((error, None))
    finally:
        out.close()


class ChildCall(Generic[T]):
    """`function(*args)` in a spawned child process. `result()` waits for its value (or raises its
    error); leaving the `with` block stops a child whose result nobody will read."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        # spawn, not fork: the parent already runs Arrow's threads, which a fork would copy mid-use.
        context = multiprocessing.get_context("spawn")
        self._answer, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(function, args, sending), daemon=True)
        self._process.start()
        sending.close()

    def __enter__(self) -> ChildCall[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answer.close()

    def result(self) -> T:
        try:
            error, value = cast(tuple[Exception | None, T], self._answer.recv())
        except EOFError:
            raise RuntimeError("a child process of the ETL stopped without an answer") from None
        if error is not None:
            raise error
        return value
