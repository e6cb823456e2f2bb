"""The content-based recommender: weighted TF-IDF feature blocks over each movie's text and metadata.

Each block (overview and tagline words, genres, collection, directors, leading cast, title
words, original language, decade, production companies) is its own TF-IDF matrix, L2-normalised
and multiplied by a weight; the blocks are stacked side by side and every row is normalised
again, so a dot product between two rows is their cosine. The weights were chosen with the
offline evaluation in `benchmarks/recommender_quality.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from etl.recommender_model import RankingParams, RecommenderModel
from etl.tfidf import ENGLISH_STOP_WORDS, l2_normalize, text_matrix, token_matrix
from shared.text import fold, title_key

__all__ = ["FeatureWeights", "RankingParams", "RecommenderModel", "duplicate_groups", "fit"]

# Billing positions that count as "leading cast".
LEADING_CAST = 5
_WORD = re.compile(r"[^\W\d_][\w']+", re.UNICODE)
_TEXT_TOKEN = r"(?u)\b[^\W\d_][\w']+\b"


@dataclass(frozen=True)
class FeatureWeights:
    """Weight of each feature block; a block with weight 0 is left out."""

    text: float = 1.0
    genres: float = 0.6
    collection: float = 0.8
    directors: float = 0.6
    cast: float = 0.5
    title: float = 0.4
    language: float = 0.3
    decade: float = 0.3
    companies: float = 0.3

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


DEFAULT_WEIGHTS = FeatureWeights()
DEFAULT_PARAMS = RankingParams(prior_weight=0.5)


def _slug(value: object) -> str:
    return "".join(ch for ch in fold(str(value)) if ch.isalnum())


def _slugs(values: Iterable[object]) -> list[list[str]]:
    """Per movie, the slugs of its list cell; a few thousand distinct names are each folded once."""
    cache: dict[object, str] = {}
    result = []
    for value in values:
        slugs = []
        # A list (every cell of the clean table) is read as it is; _as_list's checks cost more.
        for item in value if type(value) is list else _as_list(value):
            if item is None:
                continue
            slug = cache.get(item)
            if slug is None:
                slug = cache[item] = _slug(item)
            slugs.append(slug)
        result.append(slugs)
    return result


def _as_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None]
    return []


def _people(frame: pd.DataFrame, ids: Sequence[int]) -> list[list[str]]:
    """Per movie, tokens of the people in `frame` (by person id, so homonyms stay apart)."""
    if frame.empty:
        return [[] for _ in ids]
    # A plain dict of lists: groupby(...).agg(list) builds a Series per group, ~50k of them.
    lookup: dict[int, list[str]] = {}
    for movie_id, person_id in zip(frame["movie_id"].tolist(), frame["person_id"].tolist(), strict=True):
        lookup.setdefault(movie_id, []).append(f"p{person_id}")
    return [lookup.get(movie_id, []) for movie_id in ids]


def _title_words(title: object) -> list[str]:
    words = _WORD.findall(fold(str(title or "")))
    return [w for w in words if w not in ENGLISH_STOP_WORDS and len(w) > 2]


def _text(overview: object, tagline: object) -> str:
    parts = [str(v) for v in (overview, tagline) if isinstance(v, str) and v.strip()]
    return " ".join(parts)


def metadata_tokens(
    movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame
) -> dict[str, list[list[str]]]:
    """Token lists per movie for each metadata block (the text block has its own vectorizer)."""
    ids = movies["id"].astype("int64").tolist()
    leading = cast[cast["order"] < LEADING_CAST] if len(cast) else cast
    collection = movies["collection_id"] if "collection_id" in movies else pd.Series([None] * len(ids))
    # Missing values found for the whole column at once: pd.isna per cell costs ~5 µs each.
    known = collection.notna().tolist()
    collection_names = movies["collection_name"].tolist()
    collections = []
    for cid, has_id, name in zip(collection.tolist(), known, collection_names, strict=True):
        if has_id:
            collections.append([f"c{int(cid)}"])
        elif isinstance(name, str) and name:
            collections.append([f"c_{_slug(name)}"])
        else:
            collections.append([])
    years = pd.to_numeric(movies["release_year"], errors="coerce")
    blocks: dict[str, list[list[str]]] = {}
    blocks["genres"] = _slugs(movies["genres"].tolist())
    blocks["collection"] = collections
    blocks["directors"] = _people(directors, ids)
    blocks["cast"] = _people(leading, ids)
    blocks["title"] = [_title_words(t) for t in movies["title"].tolist()]
    blocks["language"] = _slugs(
        [v] if isinstance(v, str) and v else [] for v in movies["original_language"].tolist()
    )
    blocks["decade"] = [
        [] if missing else [f"d{int(y) // 10}"]
        for y, missing in zip(years.tolist(), years.isna().tolist(), strict=True)
    ]
    blocks["companies"] = (
        _slugs(movies["production_companies"].tolist())
        if "production_companies" in movies
        else [[] for _ in ids]
    )
    return blocks


def _text_block(movies: pd.DataFrame) -> sparse.csr_matrix:
    documents = [
        _text(o, t) for o, t in zip(movies["overview"].tolist(), movies["tagline"].tolist(), strict=True)
    ]
    # Words of 2+ letters seen in at least 2 films and in at most half of them.
    return text_matrix(documents, _TEXT_TOKEN, min_df=2, max_df=0.5)


def feature_matrix(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    weights: FeatureWeights = DEFAULT_WEIGHTS,
) -> sparse.csr_matrix:
    """The stacked, weighted, row-normalised float32 matrix (one row per movie)."""
    w = weights.as_dict()
    raw: list[tuple[str, sparse.csr_matrix]] = []
    if w["text"] > 0:
        raw.append(("text", _text_block(movies)))
    raw += [(name, token_matrix(tokens)) for name, tokens in metadata_tokens(movies, cast, directors).items()]
    blocks = [l2_normalize(m) * w[name] for name, m in raw if w[name] > 0 and m.shape[1] > 0]
    if not blocks:
        return sparse.csr_matrix((len(movies), 1), dtype=np.float32)
    stacked = sparse.hstack(blocks, format="csr", dtype=np.float32)
    result: sparse.csr_matrix = l2_normalize(stacked).astype(np.float32)
    result.eliminate_zeros()
    return result


def duplicate_groups(movies: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Rows that are the same film (same title key and year) share a group number."""
    key = movies["title"].map(lambda t: title_key(str(t))) + "|" + movies["release_year"].astype(str)
    codes, _ = pd.factorize(key)
    return np.asarray(codes, dtype=np.int64)


def popularity_prior(movies: pd.DataFrame) -> npt.NDArray[np.float32]:
    """log(1 + votes) scaled to [0, 1]: a mild preference for films people actually know."""
    votes = pd.to_numeric(movies["vote_count"], errors="coerce").fillna(0).clip(lower=0).to_numpy(float)
    logged = np.log1p(votes)
    top = float(logged.max()) if len(logged) else 0.0
    scaled = logged / top if top > 0 else np.zeros_like(logged)
    return np.asarray(scaled, dtype=np.float32)


def fit(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    weights: FeatureWeights = DEFAULT_WEIGHTS,
    params: RankingParams = DEFAULT_PARAMS,
) -> RecommenderModel:
    """Fit the feature blocks over the whole catalogue; rows are L2-normalised (dot = cosine)."""
    return RecommenderModel(
        matrix=feature_matrix(movies, cast, directors, weights),
        ids=movies["id"].to_numpy(dtype=np.int64),
        groups=duplicate_groups(movies),
        prior=popularity_prior(movies),
        params=params,
    )
