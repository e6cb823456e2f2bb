"""An independent reading of the raw sample with plain pandas and ast, for expected answers.

Deliberately naive and written apart from the project's ETL: tests compare the product against it.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pandas as pd

from shared.settings import SAMPLE_DATA


@cache
def movies(folder: Path = SAMPLE_DATA) -> pd.DataFrame:
    raw = pd.read_csv(folder / "movies_metadata.csv.gz", dtype=str)
    raw = raw[raw["id"].str.fullmatch(r"\d+", na=False)].copy()
    raw["id"] = raw["id"].astype(int)
    raw = raw.drop_duplicates("id", keep="first")
    raw["date"] = pd.to_datetime(raw["release_date"], format="%Y-%m-%d", errors="coerce")
    raw = raw[raw["date"].notna() & raw["title"].notna()].copy()
    for column in ("budget", "revenue", "popularity", "vote_average", "vote_count"):
        raw[column] = pd.to_numeric(raw[column], errors="coerce").fillna(0)
    raw["ret"] = [r / b if b > 0 else 0.0 for r, b in zip(raw["revenue"], raw["budget"], strict=True)]
    return raw.reset_index(drop=True)


@cache
def credit_rows(folder: Path = SAMPLE_DATA) -> pd.DataFrame:
    raw = pd.read_csv(folder / "credits.csv.gz", dtype=str)
    raw["id"] = raw["id"].astype(int)
    raw = raw.drop_duplicates("id", keep="first")
    raw["cast"] = raw["cast"].map(ast.literal_eval)
    raw["crew"] = raw["crew"].map(ast.literal_eval)
    return raw.reset_index(drop=True)


def actor_films(person_id: int) -> pd.DataFrame:
    table = movies()
    ids = {row_id for row_id, cast in zip(credit_rows()["id"], credit_rows()["cast"], strict=True)
           if any(member["id"] == person_id for member in cast)}  # fmt: skip
    return table[table["id"].isin(ids)]


def director_films(person_id: int) -> pd.DataFrame:
    table = movies()
    ids = {
        row_id
        for row_id, crew in zip(credit_rows()["id"], credit_rows()["crew"], strict=True)
        if any(member["id"] == person_id and member["job"] == "Director" for member in crew)
    }
    return table[table["id"].isin(ids)].sort_values(["date", "id"])
