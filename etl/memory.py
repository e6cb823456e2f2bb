"""Handing the memory one ETL step freed back to the system before the next step needs its own."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

import pyarrow as pa


@functools.cache
def _malloc_trim() -> Callable[[int], object] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], object] = ctypes.CDLL(name).malloc_trim  # glibc only
        return trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> None:
    """Arrow's allocator (mimalloc) and glibc's malloc keep freed pages for later reuse: after the
    raw movies table is dropped, at ten times the catalogue, that is ~500 MB the process still
    holds while the next step allocates its own on top."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
