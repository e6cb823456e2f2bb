"""Finds the clean tables the report reads: a given folder, or the build of MOVIES_DATA (built if missing)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from etl import layout
from etl.eda.finding import Tables
from shared.settings import EtlSettings
from shared.source import SourceError, content_digest, locate

log = logging.getLogger(__name__)


class InputError(RuntimeError):
    """The tables cannot be found or read; the message is for the person running the command."""


def _source_tag(source: Path) -> str:
    """The short digest a version id ends with (`...Z-ab12cd34`) for this source's bytes."""
    try:
        return content_digest(locate(source))[:8]
    except (SourceError, OSError) as error:
        raise InputError(f"No encuentro los datos de origen en {source}: {error}") from error


def build_of(data_dir: Path, tag: str) -> Path | None:
    """The newest complete build made from the source with this digest tag, if any."""
    latest = layout.latest_build(data_dir)
    if latest is not None and latest.name.endswith(f"-{tag}"):
        return latest
    root = layout.datasets_dir(data_dir)
    found = sorted(p for p in root.glob(f"*-{tag}") if (p / layout.MOVIES).exists()) if root.exists() else []
    return found[-1] if found else None


def resolve_input(settings: EtlSettings, input_dir: Path | None) -> Path:
    """`input_dir` when given; else the build of MOVIES_DATA, running the ETL first when there is none."""
    if input_dir is not None:
        if not (input_dir / layout.MOVIES).exists():
            raise InputError(
                f"No encuentro {layout.MOVIES} en {input_dir}: indica la carpeta de una versión del ETL "
                f"(por ejemplo {layout.datasets_dir(settings.data_dir)}/<versión>)."
            )
        return input_dir
    tag = _source_tag(settings.movies_data)
    folder = build_of(settings.data_dir, tag)
    if folder is not None:
        return folder
    log.info(
        "No hay tablas limpias de %s en %s: ejecuto el ETL primero", settings.movies_data, settings.data_dir
    )
    from etl.pipeline import build_dataset

    return build_dataset(settings.movies_data, settings.data_dir).folder


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
