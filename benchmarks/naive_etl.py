"""The baseline most projects of this kind use: read_csv, then ast.literal_eval on every nested cell."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pandas as pd

from shared.source import locate

NESTED_MOVIE_COLUMNS = (
    "belongs_to_collection", "genres", "production_companies", "production_countries", "spoken_languages",
)  # fmt: skip


def _literal(cell: object) -> object:
    if not isinstance(cell, str):
        return None
    try:
        return ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return None


def main(source: Path) -> int:
    raw = locate(source)
    movies = pd.read_csv(raw.movies, low_memory=False)
    for column in NESTED_MOVIE_COLUMNS:
        movies[column] = movies[column].map(_literal)
    credits_table = pd.read_csv(raw.credits)
    credits_table["cast"] = credits_table["cast"].map(_literal)
    credits_table["crew"] = credits_table["crew"].map(_literal)
    return 0 if len(movies) and len(credits_table) else 1


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
