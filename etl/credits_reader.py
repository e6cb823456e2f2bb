"""`credits.csv` read and parsed in a child process, while the parent reads and cleans the movies.

The credits are most of the raw bytes and of the parsing: in a process of their own they cost the
run's wall time only where they outlast the movies' steps. The child writes its two tables as
Arrow files and returns the small per-movie facts the quality report needs; the parent keeps the
clean movies' rows (`etl.transform.keep_clean`).
"""

from __future__ import annotations

import multiprocessing
import tempfile
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import cast

import pandas as pd
from pyarrow import feather

from etl.extract import read_credits
from etl.transform import ParsedCredits, parse_credits
from shared.source import RawSource

_CAST, _DIRECTORS = "cast.arrow", "directors.arrow"


def _parse_to_files(raw: RawSource, folder: Path, out: Connection) -> None:
    """In the child: parse, write the two tables, send everything else (or the error) back."""
    try:
        parsed = parse_credits(read_credits(raw))
        # Uncompressed: written and read once, a few seconds apart.
        feather.write_feather(parsed.cast, folder / _CAST, compression="uncompressed")
        feather.write_feather(parsed.directors, folder / _DIRECTORS, compression="uncompressed")
        empty = pd.DataFrame()
        out.send((None, replace(parsed, cast=empty, directors=empty)))
    except Exception as error:
        out.send((error, None))
    finally:
        out.close()


class CreditsReader:
    """The credits being parsed by a child process: `result()` waits for them; leaving the
    `with` block stops a child whose result nobody will read (the parent failed first)."""

    def __init__(self, raw: RawSource) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="cartelera-credits-")
        # spawn, not fork: the parent already runs Arrow's threads, which a fork would copy mid-use.
        context = multiprocessing.get_context("spawn")
        self._answer, sending = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(
            target=_parse_to_files, args=(raw, Path(self._folder.name), sending), daemon=True
        )
        self._process.start()
        sending.close()

    def __enter__(self) -> CreditsReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answer.close()
        self._folder.cleanup()

    def result(self) -> ParsedCredits:
        try:
            error, parsed = cast(tuple[Exception | None, ParsedCredits], self._answer.recv())
        except EOFError:
            raise RuntimeError("the credits reader stopped without an answer") from None
        if error is not None:
            raise error
        folder = Path(self._folder.name)
        return replace(
            parsed,
            cast=feather.read_feather(folder / _CAST),
            directors=feather.read_feather(folder / _DIRECTORS),
        )
