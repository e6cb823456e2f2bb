"""Reading the raw Kaggle CSVs (plain, gzip, or inside the Kaggle zip) as text columns."""

from __future__ import annotations

import contextlib
import gzip
import zipfile
from collections.abc import Iterator
from typing import IO

import pandas as pd

from shared.source import RawSource

MOVIE_COLUMNS = (
    "belongs_to_collection", "budget", "genres", "id", "original_language", "overview",
    "popularity", "poster_path", "production_companies", "production_countries", "release_date",
    "revenue", "runtime", "spoken_languages", "status", "tagline", "title", "vote_average",
    "vote_count",
)  # fmt: skip
CREDIT_COLUMNS = ("cast", "crew", "id")


@contextlib.contextmanager
def open_raw(raw: RawSource, member: str) -> Iterator[IO[bytes]]:
    """One raw file's bytes, uncompressed, whether it is plain, gzip, or inside the Kaggle zip."""
    with contextlib.ExitStack() as stack:
        if raw.zip_path is not None:
            archive = stack.enter_context(zipfile.ZipFile(raw.zip_path))
            handle: IO[bytes] = stack.enter_context(archive.open(member))
        else:
            handle = stack.enter_context(open(member, "rb"))  # noqa: PTH123
        if member.endswith(".gz"):
            handle = stack.enter_context(gzip.GzipFile(fileobj=handle, mode="rb"))  # type: ignore[arg-type]
        yield handle


def _read(raw: RawSource, member: str, columns: tuple[str, ...]) -> pd.DataFrame:
    with open_raw(raw, member) as handle:
        # Everything as text: the real files mix types in one column (budget, popularity) and
        # shifted records put dates in `id`; types are decided later, per rule, in transform.
        frame = pd.read_csv(
            handle,
            dtype=str,
            usecols=lambda name: name in columns,
            keep_default_na=True,
            on_bad_lines="skip",
            engine="c",
        )
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{member} lacks the columns {', '.join(missing)}")
    return frame


def read_movies(raw: RawSource) -> pd.DataFrame:
    """`movies_metadata.csv` as pandas splits it (malformed records included, as two rows)."""
    return _read(raw, raw.movies, MOVIE_COLUMNS)


CREDIT_CHUNK_ROWS = 4_000


def read_credits(raw: RawSource, chunk_rows: int = CREDIT_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """`credits.csv` in chunks of rows, so its ~190 MB of text is never all in memory at once."""
    with open_raw(raw, raw.credits) as handle:
        # object, not str: the cells go straight to Python's regex, and pandas' default string
        # dtype would first copy ~190 MB of text into Arrow buffers only for us to copy it back.
        reader = pd.read_csv(handle, dtype=object, chunksize=chunk_rows, on_bad_lines="skip", engine="c")
        with reader:
            for chunk in reader:
                missing = [column for column in CREDIT_COLUMNS if column not in chunk.columns]
                if missing:
                    raise ValueError(f"{raw.credits} lacks the columns {', '.join(missing)}")
                yield chunk
