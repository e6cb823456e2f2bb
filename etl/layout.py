"""Where a build's files live on disk and what each table holds.

`{data_dir}/datasets/{version}/` holds, for one dataset version:

- `movies.parquet`: the clean table, one row per movie id. Columns: id (int64), title (str),
  release_date (date32, AAAA-mm-dd), release_year (int), release_month (1-12),
  release_weekday (0 = lunes), budget, revenue, return (float64; 0 when budget is 0),
  popularity, vote_average (float64), vote_count (int64), runtime (float64, may be null),
  original_language, overview, tagline, status, poster_path (str, may be null),
  collection_id (Int64, null when none), collection_name (str, may be null), and the unnested
  lists genres, production_companies, production_countries, spoken_languages (list<str> of names,
  ISO 639-1 codes for spoken_languages).
- `cast.parquet`: movie_id, person_id, name, order (billing order, 0 first).
- `directors.parquet`: movie_id, person_id, name.
- `quality.json`: the data-quality report (etl.quality.QualityReport).

`{data_dir}/datasets/LATEST` names the newest complete build, for tools (EDA, bench) that want
the tables without asking Redis.
"""

from __future__ import annotations

from pathlib import Path

MOVIES = "movies.parquet"
CAST = "cast.parquet"
DIRECTORS = "directors.parquet"
QUALITY = "quality.json"
LATEST = "LATEST"


def datasets_dir(data_dir: Path) -> Path:
    return data_dir / "datasets"


def build_dir(data_dir: Path, version: str) -> Path:
    return datasets_dir(data_dir) / version


def latest_build(data_dir: Path) -> Path | None:
    """The newest complete build's folder, or None when the ETL has not run here yet."""
    marker = datasets_dir(data_dir) / LATEST
    if not marker.exists():
        return None
    folder = build_dir(data_dir, marker.read_text().strip())
    return folder if (folder / MOVIES).exists() else None
