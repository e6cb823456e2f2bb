"""The whole ETL: extract, transform, build the query artefacts and the model, write, publish."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pandas as pd
import redis

from etl import answers, layout, recommender, search_index
from etl.artefacts import QueryArtefacts, build_artefacts
from etl.child_process import ChildCall
from etl.credits_reader import CreditsReader
from etl.extract import read_credits, read_movies
from etl.memory import release_freed_memory
from etl.progress import Progress, ProgressCallback
from etl.publish import Fields, dumps, publish
from etl.quality import QualityReport
from etl.recommender import RecommenderModel
from etl.transform import clean_credits, clean_movies, keep_clean
from shared import keys
from shared.settings import EtlSettings
from shared.source import RawSource, content_digest, locate
from shared.wording.jobs import ETL_STEPS

logger = logging.getLogger(__name__)

Tables = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]

# Named in Spanish: the worker relays them to admins as a refresh's progress.
STEPS = list(ETL_STEPS)


@dataclass(frozen=True)
class Build:
    """One dataset version: the clean tables, the query artefacts and the fitted model."""

    version: str
    source_digest: str
    folder: Path
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame
    report: QualityReport
    artefacts: QueryArtefacts
    model: RecommenderModel

    def meta(self) -> dict[str, str]:
        return _meta(self.version, self.source_digest, (self.movies, self.cast, self.directors))

    def redis_payload(self) -> Iterator[tuple[str, Fields | bytes]]:
        return _payload(self.version, self.artefacts, self.model)


@dataclass(frozen=True)
class Release:
    """A version as `python -m etl` and the worker's refresh publish it: the model already
    serialised, the movies table cut to what the answers read, and the answers made from the
    tables one key family at a time while publishing (never all their records at once)."""

    version: str
    source_digest: str
    fields: dict[str, str]
    report: QualityReport
    model: dict[str, bytes]
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame
    # The search index's entries, made by a child process while the model was fitted.
    prefixes: list[tuple[str, bytes]]

    def meta(self) -> dict[str, str]:
        return self.fields

    def redis_payload(self) -> Iterator[tuple[str, Fields | bytes]]:
        yield keys.model(self.version), self.model
        yield from answers.payload(self.version, self.movies, self.cast, self.directors, self.prefixes)


def _payload(v: str, a: QueryArtefacts, model: RecommenderModel) -> Iterator[tuple[str, Fields | bytes]]:
    # Generators, not dicts: publishing serialises and writes one batch of fields at a time.
    yield keys.months(v), {str(k): str(n).encode() for k, n in a.months.items()}
    yield keys.weekdays(v), {str(k): str(n).encode() for k, n in a.weekdays.items()}
    yield keys.movies(v), ((str(k), dumps(m)) for k, m in a.movies.items())
    yield keys.titles(v), ((k, dumps(group)) for k, group in a.titles.items())
    yield keys.actors(v), ((k, dumps(group)) for k, group in a.actors.items())
    yield keys.directors(v), ((k, dumps(group)) for k, group in a.directors.items())
    yield keys.title_catalog(v), orjson.dumps(a.title_catalog)
    yield keys.actor_catalog(v), orjson.dumps(a.actor_catalog)
    yield keys.director_catalog(v), orjson.dumps(a.director_catalog)
    yield keys.model(v), model.to_redis_fields()
    yield from search_index.payload(v, a.movies)


def _clean_movies_table(raw: RawSource, report: QualityReport, progress: Progress) -> pd.DataFrame:
    """Steps 1-2: the clean movies table; the raw text is freed before it returns."""
    progress.start(STEPS[0])
    raw_movies = read_movies(raw)
    progress.finish()
    progress.start(STEPS[1])
    movies = clean_movies(raw_movies, report)
    del raw_movies
    release_freed_memory()
    progress.finish()
    return movies


def _clean_tables(raw: RawSource, report: QualityReport, progress: Progress) -> Tables:
    """Steps 1-3: the clean movies, cast and directors tables."""
    movies = _clean_movies_table(raw, report, progress)
    progress.start(STEPS[2])
    cast, directors = clean_credits(read_credits(raw), movies["id"], report)
    release_freed_memory()
    progress.finish()
    return movies, cast, directors


def _write_tables(data_dir: Path, version: str, tables: Tables, report: QualityReport) -> Path:
    movies, cast, directors = tables
    folder = layout.build_dir(data_dir, version)
    folder.mkdir(parents=True, exist_ok=True)
    movies.to_parquet(folder / layout.MOVIES, index=False)
    cast.to_parquet(folder / layout.CAST, index=False)
    directors.to_parquet(folder / layout.DIRECTORS, index=False)
    report.write(folder / layout.QUALITY)
    # The marker moves last, so a tool never reads a half-written folder.
    (layout.datasets_dir(data_dir) / layout.LATEST).write_text(version + "\n")
    return folder


def _meta(version: str, digest: str, tables: Tables) -> dict[str, str]:
    movies, cast, directors = tables
    return {
        "version": version,
        "source_digest": digest,
        "created_at": version.split("-", 1)[0],
        "movies": str(len(movies)),
        "cast_rows": str(len(cast)),
        "director_rows": str(len(directors)),
    }


def build_dataset(source: Path, data_dir: Path, *, progress: Progress | None = None) -> Build:
    """Raw Kaggle files -> clean tables on disk and everything a version needs, without Redis."""
    progress = progress or Progress(STEPS)
    raw = locate(source)
    digest = content_digest(raw)
    version = keys.new_version(digest)
    report = QualityReport()

    movies, cast, directors = _clean_tables(raw, report, progress)
    # The model first: fitting it needs a transient ~0.8 GB at ten times the catalogue, and
    # the answers' records (1.2 GB there) are better built after that memory is returned.
    progress.start(STEPS[3])
    model = recommender.fit(movies, cast, directors)
    release_freed_memory()
    progress.finish()
    progress.start(STEPS[4])
    artefacts = build_artefacts(movies, cast, directors)
    progress.finish()
    progress.start(STEPS[5])
    folder = _write_tables(data_dir, version, (movies, cast, directors), report)
    progress.finish()
    return Build(version, digest, folder, movies, cast, directors, report, artefacts, model)


def build_release(source: Path, data_dir: Path, *, progress: Progress | None = None) -> Release:
    """Raw Kaggle files -> clean tables on disk and a version ready to publish, in the least
    memory: the fitted model kept only as its Redis bytes, the answers left to be made while
    publishing (`Build`, by contrast, holds every record, for tests and tools)."""
    progress = progress or Progress(STEPS)
    raw = locate(source)
    digest = content_digest(raw)
    version = keys.new_version(digest)
    report = QualityReport()
    with contextlib.ExitStack() as children:
        with CreditsReader(raw) as reader:
            movies = _clean_movies_table(raw, report, progress)
            progress.start(STEPS[2])
            # While the child reads the credits: the search index (titles and votes are all it
            # needs) goes to a child of its own, and the text block, which needs only the movies.
            index = children.enter_context(
                ChildCall(search_index.prefix_list, *answers.search_inputs(movies))
            )
            text = recommender.text_feature(movies)
            cast, directors = keep_clean(reader.result(), movies["id"], report)
            release_freed_memory()
            progress.finish()
        progress.start(STEPS[3])
        model = recommender.fit(movies, cast, directors, made={"text": text}).to_redis_fields()
        del text
        release_freed_memory()
        progress.finish()
        progress.start(STEPS[5])
        _write_tables(data_dir, version, (movies, cast, directors), report)
        progress.finish()
        progress.start(STEPS[4])
        meta = _meta(version, digest, (movies, cast, directors))
        # The answers read a few columns: the overviews, taglines and lists go before they are made.
        movies = movies[list(answers.ANSWER_COLUMNS)]
        release_freed_memory()
        prefixes = index.result()
        progress.finish()
    return Release(version, digest, meta, report, model, movies, cast, directors, prefixes)


def run(settings: EtlSettings, *, on_progress: ProgressCallback | None = None) -> str:
    """`python -m etl`: always rebuild from the source and publish a new version to the Redis at
    `settings.redis_url` (which must be set: the entry point starts an embedded one when needed)."""
    url = settings.redis_address()
    progress = Progress(STEPS, on_progress)
    release = build_release(settings.movies_data, settings.data_dir, progress=progress)
    logger.info("calidad de datos:\n%s", release.report.summary())
    client = redis.Redis.from_url(url)
    try:
        progress.start(STEPS[6])
        version = publish(client, release)
        progress.finish()
    finally:
        client.close()
    if on_progress is not None:
        on_progress(100, f"versión {version} publicada")
    return version
