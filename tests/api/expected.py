"""Expected answers computed straight from the raw sample files with pandas and ast (not the ETL)."""

from __future__ import annotations

import ast
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def fold(text: str) -> str:
    """Written again here on purpose, from the rule in DESIGN.md, so the tests check the app's folding."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Expected:
    movies: pd.DataFrame  # the clean table, indexed by id
    cast: pd.DataFrame  # movie_id, person_id, name
    directors: pd.DataFrame  # movie_id, person_id, name

    def titles(self) -> dict[str, list[dict[str, Any]]]:
        """title key -> movies, most votes first."""
        out: dict[str, list[dict[str, Any]]] = {}
        ordered = self.movies.reset_index().sort_values("vote_count", ascending=False, kind="stable")
        for row in ordered.itertuples():
            out.setdefault(fold(row.title), []).append(
                {"id": int(row.id), "titulo": row.title, "anio": int(row.year), "votos": int(row.vote_count)}
            )
        return out

    def card(self, movie_id: int) -> tuple[str | None, list[str]]:
        """(poster path as the raw file has it or None, names of the crew whose job is Director)."""
        poster = str(self.movies.loc[movie_id, "poster_path"])
        names = self.directors.loc[self.directors.movie_id == movie_id, "name"].tolist()
        return (poster or None), list(dict.fromkeys(names))

    def person(self, table: pd.DataFrame, person_id: int) -> dict[str, Any]:
        films = table.loc[table.person_id == person_id, "movie_id"].drop_duplicates()
        returns = self.movies.loc[films, "return"]
        total = float(returns.sum())
        return {"films": list(films), "count": len(films), "total": total, "average": total / len(films)}


def _literal(text: object) -> list[dict[str, Any]]:
    if not isinstance(text, str):
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return value if isinstance(value, list) else []


@cache
def expected() -> Expected:
    raw = pd.read_csv(SAMPLE / "movies_metadata.csv.gz", dtype=str, keep_default_na=False)
    raw["id"] = pd.to_numeric(raw["id"], errors="coerce")
    raw = raw[raw["id"].notna() & (raw["id"] % 1 == 0)].copy()
    raw["id"] = raw["id"].astype("int64")
    raw = raw.drop_duplicates("id", keep="first")
    raw["date"] = pd.to_datetime(raw["release_date"], format="%Y-%m-%d", errors="coerce")
    raw = raw[raw["date"].notna()].copy()
    for column in ("budget", "revenue", "popularity", "vote_average"):
        raw[column] = pd.to_numeric(raw[column], errors="coerce").fillna(0.0).astype(float)
    raw["vote_count"] = pd.to_numeric(raw["vote_count"], errors="coerce").fillna(0).astype("int64")
    raw["return"] = (raw["revenue"] / raw["budget"]).where(raw["budget"] > 0, 0.0)
    raw["year"] = raw["date"].dt.year
    raw["month"] = raw["date"].dt.month
    raw["weekday"] = raw["date"].dt.day_of_week
    movies = raw.set_index("id")

    credit_rows = pd.read_csv(SAMPLE / "credits.csv.gz", dtype=str, keep_default_na=False)
    credit_rows["id"] = pd.to_numeric(credit_rows["id"], errors="coerce")
    credit_rows = credit_rows[credit_rows["id"].notna()].drop_duplicates("id", keep="first")
    credit_rows = credit_rows[credit_rows["id"].astype("int64").isin(movies.index)]
    cast_rows, director_rows = [], []
    for movie_id, cast_text, crew_text in zip(
        credit_rows["id"], credit_rows["cast"], credit_rows["crew"], strict=True
    ):
        for member in _literal(cast_text):
            cast_rows.append((int(movie_id), int(member["id"]), member["name"]))
        for member in _literal(crew_text):
            if member.get("job") == "Director":
                director_rows.append((int(movie_id), int(member["id"]), member["name"]))
    columns = ["movie_id", "person_id", "name"]
    return Expected(
        movies, pd.DataFrame(cast_rows, columns=columns), pd.DataFrame(director_rows, columns=columns)
    )
