"""One function run in a child process while the ETL goes on: its value, or its error, on demand.

The ETL uses it for work that needs little of what the parent holds (the credits file, the titles
of the search index): on a machine with a free core that work then costs no wall time. The child
is a plain `python -m etl.child_process` (not multiprocessing's spawn, which would also start a
resource-tracker process that outlives the call and re-run a script's main module): the function
and its arguments go in pickled on stdin, the result or the error comes back pickled on stdout.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Generic, TypeVar, cast

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
# The checkout this module belongs to, so the child imports the same code as the parent.
_ROOT = Path(__file__).resolve().parent.parent


def _send(function: Callable[..., Any], args: tuple[Any, ...], into: IO[bytes]) -> None:
    # A child that died first has its end of the story read in result().
    with contextlib.suppress(BrokenPipeError):
        try:
            pickle.dump((function, args), into, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            into.close()


class ChildCall(Generic[T]):
    """`function(*args)` in a child process (a module-level function, arguments that pickle).
    `result()` waits for its value or raises its error; leaving the `with` block stops a child
    whose result nobody will read."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        paths = [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        self._process = subprocess.Popen(
            [sys.executable, "-m", "etl.child_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )
        stdin = cast(IO[bytes], self._process.stdin)
        # Written from a thread: the pipe holds 64 KB, and the child reads only once it has started.
        self._sender = threading.Thread(target=_send, args=(function, args, stdin), daemon=True)
        self._sender.start()

    def __enter__(self) -> ChildCall[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._sender.join()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def result(self) -> T:
        try:
            error, value = cast(
                tuple[Exception | None, T], pickle.load(cast(IO[bytes], self._process.stdout))
            )
        except EOFError:
            raise RuntimeError("a child process of the ETL stopped without an answer") from None
        if error is not None:
            raise error
        return value


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this child when the ETL dies (even by SIGKILL), rather than
    let it finish work nobody will read."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def main() -> int:
    _die_with_parent()
    out = sys.stdout.buffer
    # Nothing else may write to the answer's pipe: a stray print goes to stderr instead.
    sys.stdout = sys.stderr
    function, args = pickle.load(sys.stdin.buffer)
    try:
        answer: tuple[Exception | None, Any] = (None, function(*args))
    except Exception as error:  # any failure is the parent's to raise
        answer = (error, None)
    pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
