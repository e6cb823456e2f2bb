"""The content-based recommender: weighted TF-IDF feature blocks over each movie's text and metadata.

Each block (overview and tagline words, genres, collection, directors, the first-billed cast,
title words, original language, decade, era, production companies) is its own TF-IDF matrix,
L2-normalised and multiplied by a weight; the blocks are stacked side by side and every row is
normalised again, so a dot product between two rows is their cosine. The best content matches are
then ordered by that cosine times a quality prior (how many people voted the film and how well,
see `quality_prior`). The weights were fitted on the tuning half of the seeds only
(`python -m benchmarks.recommender_quality --tune`); `make eval` reports the held-out half.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from etl.recommender_columns import REASON_BLOCKS, Block, Columns
from etl.recommender_model import RankingParams, RecommenderModel
from etl.recommender_prior import DEFAULT_PRIOR, QualityPrior, quality_prior
from etl.tfidf import ENGLISH_STOP_WORDS, l2_normalize, text_matrix, token_matrix_and_terms
from shared.text import fold, title_key

__all__ = [
    "DEFAULT_PRIOR",
    "FeatureWeights",
    "QualityPrior",
    "RankingParams",
    "RecommenderModel",
    "duplicate_groups",
    "fit",
    "quality_prior",
]

# Billing positions that count as "leading cast": the hybrid data's real rows hold the real top 3.
LEADING_CAST = 3
_WORD = re.compile(r"[^\W\d_][\w']+", re.UNICODE)
_TEXT_TOKEN = r"(?u)\b[^\W\d_][\w']+\b"


@dataclass(frozen=True)
class FeatureWeights:
    """Weight of each feature block; a block with weight 0 is left out."""

    text: float = 0.21
    genres: float = 0.42
    collection: float = 0.56
    directors: float = 0.3
    cast: float = 0.5
    title: float = 0.0
    language: float = 0.3
    decade: float = 0.3
    era: float = 0.21
    companies: float = 0.3

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


# Fitted on the tuning half (`python -m benchmarks.recommender_quality --tune`).
DEFAULT_WEIGHTS = FeatureWeights()
DEFAULT_PARAMS = RankingParams(prior_weight=1.0, candidates=200, per_collection=3)

Tokens = list[list[str]]
Labels = dict[str, str]


def _slug(value: object) -> str:
    return "".join(ch for ch in fold(str(value)) if ch.isalnum())


def _slugs(values: Iterable[object], labels: Labels | None = None) -> Tokens:
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
                if labels is not None:
                    labels.setdefault(slug, str(item))
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


def _people(frame: pd.DataFrame, ids: Sequence[int], labels: Labels) -> Tokens:
    """Per movie, tokens of the people in `frame` (by person id, so homonyms stay apart)."""
    if frame.empty:
        return [[] for _ in ids]
    # A plain dict of lists: groupby(...).agg(list) builds a Series per group, ~50k of them.
    lookup: dict[int, list[str]] = {}
    # One token string per person, however many films they are credited in.
    tokens: dict[int, str] = {}
    names = frame["name"].tolist() if "name" in frame else [""] * len(frame)
    for movie_id, person_id, name in zip(
        frame["movie_id"].tolist(), frame["person_id"].tolist(), names, strict=True
    ):
        token = tokens.get(person_id)
        if token is None:
            token = tokens[person_id] = f"p{person_id}"
            labels.setdefault(token, str(name))
        lookup.setdefault(movie_id, []).append(token)
    return [lookup.get(movie_id, []) for movie_id in ids]


def _title_words(title: object) -> list[str]:
    words = _WORD.findall(fold(str(title or "")))
    return [w for w in words if w not in ENGLISH_STOP_WORDS and len(w) > 2]


def _text(overview: object, tagline: object) -> str:
    parts = [str(v) for v in (overview, tagline) if isinstance(v, str) and v.strip()]
    return " ".join(parts)


def _years(movies: pd.DataFrame) -> list[int | None]:
    years = pd.to_numeric(movies["release_year"], errors="coerce")
    missing = years.isna().tolist()
    return [None if gap else int(y) for y, gap in zip(years.tolist(), missing, strict=True)]


def _collections(movies: pd.DataFrame, labels: Labels) -> Tokens:
    collection = (
        movies["collection_id"]
        if "collection_id" in movies
        else pd.Series([None] * len(movies), dtype=object)
    )
    # Missing values found for the whole column at once: pd.isna per cell costs ~5 µs each.
    known = collection.notna().tolist()
    collection_names = movies["collection_name"].tolist()
    collections = []
    for cid, has_id, name in zip(collection.tolist(), known, collection_names, strict=True):
        token = f"c{int(cid)}" if has_id else (f"c_{_slug(name)}" if isinstance(name, str) and name else "")
        collections.append([token] if token else [])
        if token and isinstance(name, str) and name:
            labels.setdefault(token, name)
    return collections


def _by_year(movies: pd.DataFrame, tokens_of: Callable[[int], list[str]]) -> Tokens:
    """Per movie, the tokens of its release year; films of one year share one list."""
    shared: dict[int, list[str]] = {}
    no_year: list[str] = []
    return [no_year if y is None else shared.setdefault(y, tokens_of(y)) for y in _years(movies)]


def block_tokens(
    name: str, movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame
) -> tuple[Tokens, Labels]:
    """Token lists per movie for one metadata block (the text block has its own vectorizer) and,
    for a block a reason can name, what each token stands for. One block at a time: the token
    lists of every block together are a few million Python strings at ten times the catalogue."""
    labels: Labels = {}
    if name == "genres":
        return _slugs(movies["genres"].tolist(), labels), labels
    if name == "collection":
        return _collections(movies, labels), labels
    if name == "directors":
        return _people(directors, movies["id"].astype("int64").tolist(), labels), labels
    if name == "cast":
        leading = cast[cast["order"] < LEADING_CAST] if len(cast) else cast
        return _people(leading, movies["id"].astype("int64").tolist(), labels), labels
    if name == "title":
        return [_title_words(t) for t in movies["title"].tolist()], labels
    if name == "language":
        languages = ([v] if isinstance(v, str) and v else [] for v in movies["original_language"].tolist())
        return _slugs(languages, labels), labels
    if name == "decade":
        return _by_year(movies, lambda y: [f"d{y // 10}"]), labels
    if name == "era":
        # Overlapping 5- and 3-year windows: films a few years apart share some, decades apart none.
        return _by_year(movies, lambda y: [f"f{y // 5}", f"g{(y + 2) // 5}", f"t{y // 3}"]), labels
    if name == "companies":
        if "production_companies" not in movies:
            return [[] for _ in range(len(movies))], labels
        return _slugs(movies["production_companies"].tolist()), labels
    raise ValueError(f"unknown feature block {name!r}")


def _text_block(movies: pd.DataFrame) -> sparse.csr_matrix:
    # A generator: the joined texts are made one batch at a time, never all at once.
    documents = (_text(o, t) for o, t in zip(movies["overview"], movies["tagline"], strict=True))
    # Words of 2+ letters seen in at least 2 films and in at most half of them.
    return text_matrix(documents, _TEXT_TOKEN, min_df=2, max_df=0.5)


@dataclass(frozen=True)
class FeatureBlock:
    """One block, L2-normalised and not yet weighted, with the label of each column (reason blocks)."""

    matrix: sparse.csr_matrix
    labels: tuple[str, ...] = ()


def text_feature(movies: pd.DataFrame) -> FeatureBlock:
    """The overview and tagline block, the one that needs nothing but the movies table."""
    return FeatureBlock(l2_normalize(_text_block(movies)))


def feature_blocks(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    names: Iterable[str] | None = None,
    *,
    made: Mapping[str, FeatureBlock] | None = None,
) -> dict[str, FeatureBlock]:
    """Every block (or those in `names`), in FeatureWeights' order; fitted once, weighted many
    times. `made`: blocks already fitted on these movies (the text block, fitted while the
    credits were still being read), used as they are."""
    wanted = set(names) if names is not None else set(FeatureWeights.__dataclass_fields__)
    result: dict[str, FeatureBlock] = {}
    for name in FeatureWeights.__dataclass_fields__:
        if name not in wanted:
            continue
        if made is not None and name in made:
            result[name] = made[name]
            continue
        if name == "text":
            result[name] = text_feature(movies)
            continue
        tokens, labels = block_tokens(name, movies, cast, directors)
        matrix, terms = token_matrix_and_terms(tokens)
        del tokens
        block_labels = tuple(labels.get(t, t) for t in terms) if name in REASON_BLOCKS else ()
        result[name] = FeatureBlock(l2_normalize(matrix), block_labels)
    return result


def combine(
    blocks: dict[str, FeatureBlock], weights: FeatureWeights, rows: int, *, consume: bool = False
) -> tuple[sparse.csr_matrix, Columns]:
    """The stacked, weighted, row-normalised float32 matrix and where each block's columns are.

    `consume=True` weights the blocks' own matrices in place and empties `blocks` (a fit needs
    them no more), so a second copy of every block never exists next to the stacked one.
    """
    w = weights.as_dict()
    parts: list[sparse.csr_matrix] = []
    layout: list[Block] = []
    start = 0
    for name in list(blocks):
        block = blocks.pop(name) if consume else blocks[name]
        if w.get(name, 0.0) <= 0 or block.matrix.shape[1] == 0:
            continue
        if consume:
            block.matrix.data *= w[name]
            parts.append(block.matrix)
        else:
            parts.append(block.matrix * w[name])
        end = start + block.matrix.shape[1]
        layout.append(Block(name, start, end, block.labels))
        start = end
        del block
    if not parts:
        return sparse.csr_matrix((rows, 1), dtype=np.float32), Columns()
    stacked = sparse.hstack(parts, format="csr", dtype=np.float32)
    parts.clear()
    result: sparse.csr_matrix = l2_normalize(stacked).astype(np.float32, copy=False)
    del stacked
    result.eliminate_zeros()
    return result, Columns(tuple(layout))


def feature_matrix(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    weights: FeatureWeights = DEFAULT_WEIGHTS,
) -> sparse.csr_matrix:
    """The stacked, weighted, row-normalised float32 matrix (one row per movie)."""
    names = [name for name, value in weights.as_dict().items() if value > 0]
    return combine(feature_blocks(movies, cast, directors, names), weights, len(movies))[0]


def duplicate_groups(movies: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Rows that are the same film (same title key and year) share a group number."""
    key = movies["title"].map(lambda t: title_key(str(t))) + "|" + movies["release_year"].astype(str)
    codes, _ = pd.factorize(key)
    return np.asarray(codes, dtype=np.int64)


def title_groups(movies: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Rows with the same title (any year: remakes too) share a number."""
    codes, _ = pd.factorize(movies["title"].map(lambda t: title_key(str(t))))
    return np.asarray(codes, dtype=np.int64)


def collection_codes(movies: pd.DataFrame) -> npt.NDArray[np.int64]:
    """The collection id of each row, -1 for a film in no collection."""
    if "collection_id" not in movies:
        return np.full(len(movies), -1, dtype=np.int64)
    values = pd.to_numeric(movies["collection_id"], errors="coerce").fillna(-1)
    return np.asarray(values.to_numpy(), dtype=np.int64)


def fit(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    weights: FeatureWeights = DEFAULT_WEIGHTS,
    params: RankingParams = DEFAULT_PARAMS,
    *,
    prior: QualityPrior = DEFAULT_PRIOR,
    made: Mapping[str, FeatureBlock] | None = None,
) -> RecommenderModel:
    """Fit the feature blocks over the whole catalogue; rows are L2-normalised (dot = cosine).
    `made`: blocks already fitted on these movies (see `feature_blocks`)."""
    names = [name for name, value in weights.as_dict().items() if value > 0]
    blocks = feature_blocks(movies, cast, directors, names, made=made)
    matrix, columns = combine(blocks, weights, len(movies), consume=True)
    return assemble(movies, matrix, columns, params, prior=prior)


def assemble(
    movies: pd.DataFrame,
    matrix: sparse.csr_matrix,
    columns: Columns,
    params: RankingParams = DEFAULT_PARAMS,
    *,
    prior: QualityPrior = DEFAULT_PRIOR,
) -> RecommenderModel:
    """The model of a fitted matrix: ids, duplicate and title groups, collections, prior."""
    return RecommenderModel(
        matrix=matrix,
        ids=movies["id"].to_numpy(dtype=np.int64),
        groups=duplicate_groups(movies),
        prior=quality_prior(movies, prior),
        params=params,
        titles=title_groups(movies),
        collections=collection_codes(movies),
        columns=columns,
    )
