"""`python -m benchmarks`: every benchmark that prints figures (the API load test for now)."""

from __future__ import annotations

from benchmarks.api_load import main

if __name__ == "__main__":
    raise SystemExit(main())
