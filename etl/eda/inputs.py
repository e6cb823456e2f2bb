"""Finds the clean tables the report reads (a given folder, or the newest build, building it if missing)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from etl import layout
from etl.eda.finding import Tables
from shared.settings import Settings

log = logging.getLogger(__name__)


class InputError(RuntimeError):
    """The tables cannot be found or read; the message is for the person running the command."""


def _recorded_source(folder: Path) -> str | None:
    quality = _read_quality(folder)
    source = quality.get("source")
    return str(source) if source else None


def _same_source(recorded: str, wanted: Path) -> bool:
    try:
        return Path(recorded).resolve() == wanted.resolve()
    except OSError:
        return False


def resolve_input(settings: Settings, input_dir: Path | None) -> Path:
    """The folder with movies.parquet: `input_dir` when given, else the newest build of MOVIES_DATA."""
    if input_dir is not None:
        if not (input_dir / layout.MOVIES).exists():
            raise InputError(
                f"No encuentro {layout.MOVIES} en {input_dir}: ¿es la carpeta de una versión del ETL?"
            )
        return input_dir
    folder = layout.latest_build(settings.data_dir)
    if folder is not None:
        recorded = _recorded_source(folder)
        if recorded is None or _same_source(recorded, settings.movies_data):
            return folder
        log.info(
            "La última versión se construyó desde %s, no desde %s: ejecuto el ETL",
            recorded,
            settings.movies_data,
        )
    else:
        log.info(
            "No hay tablas limpias en %s: ejecuto el ETL sobre %s", settings.data_dir, settings.movies_data
        )
    return _build(settings)


def _build(settings: Settings) -> Path:
    from etl.pipeline import build_dataset  # type: ignore[import-not-found,unused-ignore]

    build_dataset(settings.movies_data, settings.data_dir)
    folder = layout.latest_build(settings.data_dir)
    if folder is None:
        raise InputError(f"El ETL terminó pero no dejó tablas en {settings.data_dir}")
    return folder


def _read_quality(folder: Path) -> dict[str, Any]:
    path = folder / layout.QUALITY
    if not path.exists():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("No pude leer %s; el informe sale sin el resumen de calidad", path)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def load_tables(folder: Path) -> Tables:
    """Reads the three tables and the quality report of one build."""
    try:
        movies = pd.read_parquet(folder / layout.MOVIES).reset_index(drop=True)
        cast = pd.read_parquet(folder / layout.CAST, columns=["movie_id", "person_id", "name"])
        directors = pd.read_parquet(folder / layout.DIRECTORS, columns=["movie_id", "person_id", "name"])
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"No pude leer las tablas de {folder}: {error}") from error
    if movies.empty:
        raise InputError(f"La tabla de películas de {folder} está vacía: no hay nada que analizar")
    return Tables(folder, movies, cast, directors, _read_quality(folder))
