"""The data rules of DESIGN.md as pure functions from raw text frames to clean tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from etl import literals
from etl.quality import QualityReport

T = TypeVar("T")

DROP_NOT_INTEGER_ID = "id_no_entero"
DROP_DUPLICATED_ID = "id_repetido"
DROP_NO_DATE = "sin_fecha_valida"
DROP_NO_TITLE = "sin_titulo"

_LIST_COLUMNS: dict[str, Callable[[object], list[str]]] = {
    "genres": literals.names,
    "production_companies": literals.names,
    "production_countries": literals.names,
    "spoken_languages": literals.language_codes,
}


def _parse_cells(
    values: list[object], parse: Callable[[object], T], empty: T, column: str, report: QualityReport
) -> list[T]:
    parsed: list[T] = []
    # Most cells repeat ("[{'id': 18, 'name': 'Drama'}]" thousands of times): each distinct text
    # is parsed once; an unreadable text is counted again at every occurrence.
    seen: dict[str, T] = {}
    unreadable: set[str] = set()
    for cell in values:
        text = cell if isinstance(cell, str) else None
        if text is not None and text in seen:
            value = seen[text]
            # Every row gets a list of its own, as if its cell had been parsed alone.
            parsed.append(value.copy() if isinstance(value, list) else value)  # type: ignore[arg-type]
            continue
        if text is None or text not in unreadable:
            try:
                value = parse(cell)
            except (literals.LiteralError, ValueError, KeyError, TypeError):
                pass
            else:
                if text is not None:
                    seen[text] = value
                parsed.append(value)
                continue
            if text is not None:
                unreadable.add(text)
        report.parse_errors[column] += 1
        parsed.append(empty)
    return parsed


def _numeric(series: pd.Series, column: str, report: QualityReport) -> pd.Series:
    """Numbers from text; a non-empty cell that is not a number is reported, then taken as 0."""
    numbers = pd.to_numeric(series, errors="coerce")
    bad = int((numbers.isna() & series.notna()).sum())
    if bad:
        report.parse_errors[column] += bad
    return numbers.fillna(0.0).astype("float64")


def _text(series: pd.Series) -> pd.Series:
    """Text cells with real None for missing ones (Parquet nulls, JSON null).

    Equal texts share one string object: a status, a language or a poster path repeats across
    thousands of rows, and each Python string costs its length plus ~50 bytes.
    """
    shared: dict[str, str] = {}
    values = [
        shared.setdefault(value, value) if isinstance(value, str) and value.strip() else None
        for value in series.tolist()
    ]
    return pd.Series(values, index=series.index, dtype=object)


def clean_movies(raw: pd.DataFrame, report: QualityReport) -> pd.DataFrame:
    """Rules 2-6: one row per integer id (the first), valid dates, numbers, unnested lists."""
    report.movie_rows_read = len(raw)
    report.fully_duplicated_rows = int(raw.duplicated(keep="first").sum())

    ids = pd.to_numeric(raw["id"].str.strip(), errors="coerce")
    integer = ids.notna() & (ids == ids.round())
    malformed = raw.loc[~integer, "id"]
    report.malformed_records = [str(value) for value in malformed.tolist()]
    report.dropped[DROP_NOT_INTEGER_ID] += int((~integer).sum())
    # Each rule narrows a set of row labels; the raw text is copied once, for the rows kept (a
    # copy per rule costs a whole table's memory each at ten times the catalogue).
    numbered = ids[integer].astype("int64")

    repeated = numbered.duplicated(keep="first")
    report.duplicated_ids = int(numbered[repeated].nunique())
    report.duplicated_rows = int(repeated.sum())
    report.dropped[DROP_DUPLICATED_ID] += int(repeated.sum())
    rows = numbered.index[~repeated.to_numpy()]

    dates = pd.to_datetime(raw["release_date"].loc[rows], format="%Y-%m-%d", errors="coerce")
    report.dropped[DROP_NO_DATE] += int(dates.isna().sum())
    rows = rows[dates.notna().to_numpy()]

    titles = raw["title"].loc[rows].fillna("").str.strip()
    report.dropped[DROP_NO_TITLE] += int((titles == "").sum())
    rows = rows[(titles != "").to_numpy()]

    frame = raw.loc[rows]
    dates, titles = dates.loc[rows], titles.loc[rows]
    frame = frame.assign(id=numbered.loc[rows])

    budget = _numeric(frame["budget"], "budget", report)
    revenue = _numeric(frame["revenue"], "revenue", report)
    collections = _parse_cells(
        frame["belongs_to_collection"].tolist(), literals.collection, None, "belongs_to_collection", report
    )
    clean = pd.DataFrame(
        {
            "id": frame["id"].to_numpy(),
            "title": titles.to_numpy(dtype=object),
            "release_date": dates.dt.date.to_numpy(),
            "release_year": dates.dt.year.astype("int64").to_numpy(),
            "release_month": dates.dt.month.astype("int64").to_numpy(),
            "release_weekday": dates.dt.day_of_week.astype("int64").to_numpy(),
            "budget": budget.to_numpy(),
            "revenue": revenue.to_numpy(),
            "return": np.where(budget > 0, revenue / budget.where(budget > 0, 1.0), 0.0),
            "popularity": _numeric(frame["popularity"], "popularity", report).to_numpy(),
            "vote_average": _numeric(frame["vote_average"], "vote_average", report).to_numpy(),
            "vote_count": _numeric(frame["vote_count"], "vote_count", report).astype("int64").to_numpy(),
            "runtime": pd.to_numeric(frame["runtime"], errors="coerce").to_numpy(dtype="float64"),
            "original_language": _text(frame["original_language"]).to_numpy(),
            "overview": _text(frame["overview"]).to_numpy(),
            "tagline": _text(frame["tagline"]).to_numpy(),
            "status": _text(frame["status"]).to_numpy(),
            "poster_path": _text(frame["poster_path"]).to_numpy(),
            "collection_id": pd.array([c[0] if c else None for c in collections], dtype="Int64"),
            "collection_name": [c[1] if c else None for c in collections],
        }
    )
    for column, parse in _LIST_COLUMNS.items():
        no_values: list[str] = []
        clean[column] = _parse_cells(frame[column].tolist(), parse, no_values, column, report)
    report.clean_movies = len(clean)
    return clean.reset_index(drop=True)


def _parse_cell(
    cell: object, parse: Callable[[object], list[T]], column: str, report: QualityReport
) -> list[T]:
    try:
        return parse(cell)
    except (literals.LiteralError, ValueError, KeyError, TypeError):
        report.parse_errors[column] += 1
        return []


class _PeopleColumns:
    """Credited people as columns: Python lists for the chunk being read, compact arrays after.

    A catalogue's credits are millions of rows (5.8 million cast rows for 450k films): as Python
    ints and strings they would cost ~150 bytes a row, as int64 arrays and Arrow text ~40.
    """

    def __init__(self, with_order: bool) -> None:
        self.with_order = with_order
        self.movie: list[int] = []
        self.person: list[int] = []
        self.name: list[str] = []
        self.order: list[int] = []
        self._parts: list[pd.DataFrame] = []

    def add(self, movie: int, people: list[tuple[int, str, int]] | list[tuple[int, str]]) -> None:
        columns = list(zip(*people, strict=True))
        self.movie += [movie] * len(people)
        self.person += columns[0]
        self.name += columns[1]
        if self.with_order:
            self.order += columns[2]

    def seal(self) -> None:
        """The chunk's lists into arrays, then emptied."""
        if not self.movie:
            return
        columns: dict[str, object] = {
            "movie_id": np.array(self.movie, dtype=np.int64),
            "person_id": np.array(self.person, dtype=np.int64),
            "name": pd.Series(self.name, dtype="str"),
        }
        if self.with_order:
            columns["order"] = np.array(self.order, dtype=np.int64)
        self._parts.append(pd.DataFrame(columns))
        self.movie, self.person, self.name, self.order = [], [], [], []

    def frame(self) -> pd.DataFrame:
        self.seal()
        names = ["movie_id", "person_id", "name", *(["order"] if self.with_order else [])]
        if not self._parts:
            empty: dict[str, object] = {n: np.array([], dtype=np.int64) for n in names}
            empty["name"] = pd.Series([], dtype="str")
            return pd.DataFrame(empty)[names]
        frame = pd.concat(self._parts, ignore_index=True) if len(self._parts) > 1 else self._parts[0]
        self._parts = []
        return frame[names]


def clean_credits(
    chunks: Iterable[pd.DataFrame], movie_ids: pd.Series, report: QualityReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 7: one credits row per clean movie; cast in billing order; directors from the crew.

    Takes the raw file in chunks: the cast and crew text is most of the dataset's bytes, and
    holding it all at once would double the ETL's peak memory.
    """
    wanted = set(movie_ids.tolist())
    seen: set[int] = set()
    cast = _PeopleColumns(with_order=True)
    directors = _PeopleColumns(with_order=False)
    for raw in chunks:
        report.credit_rows_read += len(raw)
        ids = pd.to_numeric(raw["id"], errors="coerce").tolist()
        casts, crews = raw["cast"].tolist(), raw["crew"].tolist()
        del raw
        for movie_id, cast_cell, crew_cell in zip(ids, casts, crews, strict=True):
            if movie_id != movie_id or movie_id is None:  # noqa: PLR0124 - NaN: an unreadable id
                report.parse_errors["credits_id"] += 1
                continue
            movie = int(movie_id)
            if movie in seen:
                report.credit_duplicated_rows += 1
                continue
            seen.add(movie)
            if movie not in wanted:
                report.credits_without_movie += 1
                continue
            people = _parse_cell(cast_cell, literals.cast, "cast", report)
            if people:
                cast.add(movie, people)
            directing = _parse_cell(crew_cell, literals.directors, "crew", report)
            if directing:
                directors.add(movie, directing)
        cast.seal()
        directors.seal()
    report.movies_without_credits = len(wanted - seen)
    cast_frame, director_frame = cast.frame(), directors.frame()
    report.cast_rows = len(cast_frame)
    report.director_rows = len(director_frame)
    return cast_frame, director_frame


@dataclass(frozen=True)
class ParsedCredits:
    """Every movie's first credits row, parsed before knowing which movies are clean (the credits
    are read in a child process while the movies are cleaned): `keep_clean` then keeps the clean
    movies' rows and counts for the report what `clean_credits` counts."""

    cast: pd.DataFrame
    directors: pd.DataFrame
    # Per movie with credits, in the file's order: its id and whether its cast or crew was unreadable.
    movies: npt.NDArray[np.int64]
    cast_errors: npt.NDArray[np.bool_]
    crew_errors: npt.NDArray[np.bool_]
    rows_read: int
    unreadable_ids: int
    duplicated_rows: int


def parse_credits(chunks: Iterable[pd.DataFrame]) -> ParsedCredits:
    """Rule 7 before the movies are known: the first credits row of every id, parsed."""
    seen: set[int] = set()
    movies: list[int] = []
    cast_errors: list[bool] = []
    crew_errors: list[bool] = []
    rows_read = unreadable = duplicated = 0
    cast = _PeopleColumns(with_order=True)
    directors = _PeopleColumns(with_order=False)
    errors = QualityReport()
    for raw in chunks:
        rows_read += len(raw)
        ids = pd.to_numeric(raw["id"], errors="coerce").tolist()
        casts, crews = raw["cast"].tolist(), raw["crew"].tolist()
        del raw
        for movie_id, cast_cell, crew_cell in zip(ids, casts, crews, strict=True):
            if movie_id != movie_id or movie_id is None:  # noqa: PLR0124 - NaN: an unreadable id
                unreadable += 1
                continue
            movie = int(movie_id)
            if movie in seen:
                duplicated += 1
                continue
            seen.add(movie)
            movies.append(movie)
            before = errors.parse_errors["cast"]
            people = _parse_cell(cast_cell, literals.cast, "cast", errors)
            cast_errors.append(errors.parse_errors["cast"] != before)
            if people:
                cast.add(movie, people)
            before = errors.parse_errors["crew"]
            directing = _parse_cell(crew_cell, literals.directors, "crew", errors)
            crew_errors.append(errors.parse_errors["crew"] != before)
            if directing:
                directors.add(movie, directing)
        cast.seal()
        directors.seal()
    return ParsedCredits(
        cast=cast.frame(),
        directors=directors.frame(),
        movies=np.array(movies, dtype=np.int64),
        cast_errors=np.array(cast_errors, dtype=bool),
        crew_errors=np.array(crew_errors, dtype=bool),
        rows_read=rows_read,
        unreadable_ids=unreadable,
        duplicated_rows=duplicated,
    )


def keep_clean(
    parsed: ParsedCredits, movie_ids: pd.Series, report: QualityReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The clean movies' rows of `parsed`, and the report `clean_credits` would have written."""
    report.credit_rows_read += parsed.rows_read
    # Counted only when there is something to count, as clean_credits does (no zero entries).
    counts = {"credits_id": parsed.unreadable_ids}
    wanted = np.isin(parsed.movies, movie_ids.to_numpy(dtype=np.int64))
    counts["cast"] = int(parsed.cast_errors[wanted].sum())
    counts["crew"] = int(parsed.crew_errors[wanted].sum())
    for column, count in counts.items():
        if count:
            report.parse_errors[column] += count
    report.credit_duplicated_rows += parsed.duplicated_rows
    report.credits_without_movie += int((~wanted).sum())
    report.movies_without_credits = len(set(movie_ids.tolist()) - set(parsed.movies.tolist()))
    cast = _rows_of(parsed.cast, parsed.movies[wanted])
    directors = _rows_of(parsed.directors, parsed.movies[wanted])
    report.cast_rows = len(cast)
    report.director_rows = len(directors)
    return cast, directors


def _rows_of(frame: pd.DataFrame, movies: npt.NDArray[np.int64]) -> pd.DataFrame:
    keep = np.isin(frame["movie_id"].to_numpy(), movies)
    if keep.all():
        return frame
    return frame[keep].reset_index(drop=True)
