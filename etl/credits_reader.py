"""`credits.csv` read and parsed in a child process, while the parent reads and cleans the movies.

The credits are most of the raw bytes and of the parsing: in a process of their own they cost the
run's wall time only where they outlast the movies' steps. The child writes its two tables as
Arrow files and returns the small per-movie facts the quality report needs; the parent keeps the
clean movies' rows (`etl.transform.keep_clean`).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from types import TracebackType

import pandas as pd
from pyarrow import feather

from etl.child_process import ChildCall
from etl.extract import read_credits
from etl.transform import ParsedCredits, parse_credits
from shared.source import RawSource

_CAST, _DIRECTORS = "cast.arrow", "directors.arrow"


def _parse_to_files(raw: RawSource, folder: Path) -> ParsedCredits:
    """In the child: parse, write the two tables, return everything else."""
    parsed = parse_credits(read_credits(raw))
    # Uncompressed: written and read once, a few seconds apart.
    feather.write_feather(parsed.cast, folder / _CAST, compression="uncompressed")
    feather.write_feather(parsed.directors, folder / _DIRECTORS, compression="uncompressed")
    empty = pd.DataFrame()
    return replace(parsed, cast=empty, directors=empty)


class CreditsReader:
    """The credits being parsed by a child process: `result()` waits for them."""

    def __init__(self, raw: RawSource) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="cartelera-credits-")
        self._child = ChildCall(_parse_to_files, raw, Path(self._folder.name))

    def __enter__(self) -> CreditsReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self._child.__exit__(kind, error, trace)
        finally:
            self._folder.cleanup()

    def result(self) -> ParsedCredits:
        parsed = self._child.result()
        folder = Path(self._folder.name)
        return replace(
            parsed,
            cast=feather.read_feather(folder / _CAST),
            directors=feather.read_feather(folder / _DIRECTORS),
        )
