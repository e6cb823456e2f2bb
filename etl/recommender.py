"""The content-based recommender: TF-IDF over each movie's text and metadata, fitted per version."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from shared import keys
from shared.text import title_key


@dataclass(frozen=True)
class RecommenderModel:
    """Row-normalised TF-IDF rows (one per movie) and the ids and duplicate groups of the rows."""

    matrix: sparse.csr_matrix
    ids: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_row_of", {int(movie_id): row for row, movie_id in enumerate(self.ids)})

    def row_of(self, movie_id: int) -> int | None:
        row: int | None = self.__dict__["_row_of"].get(movie_id)
        return row

    def top_k(self, movie_id: int, k: int = 5) -> list[tuple[int, float]]:
        """The k most similar other movies, most similar first; the movie's duplicates excluded."""
        row = self.row_of(movie_id)
        if row is None:
            return []
        # One sparse mat-vec against the whole catalogue: O(nnz), never an N x N matrix.
        scores = np.asarray((self.matrix @ self.matrix[row].T).todense()).ravel()
        scores[self.groups == self.groups[row]] = -1.0
        k = min(k, int((scores > -1.0).sum()))
        if k <= 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        # Ties broken by id so the same query always gives the same list.
        ordered = sorted(best, key=lambda i: (-float(scores[i]), int(self.ids[i])))
        return [(int(self.ids[i]), round(float(scores[i]), 6)) for i in ordered]

    def to_redis_fields(self) -> dict[str, bytes]:
        matrix_bytes = io.BytesIO()
        sparse.save_npz(matrix_bytes, self.matrix, compressed=False)
        return {
            keys.MODEL_MATRIX_FIELD: matrix_bytes.getvalue(),
            keys.MODEL_IDS_FIELD: _npy(self.ids),
            keys.MODEL_GROUPS_FIELD: _npy(self.groups),
        }

    @classmethod
    def from_redis_fields(cls, fields: dict[bytes, bytes] | dict[str, bytes]) -> RecommenderModel:
        by_name = {(k.decode() if isinstance(k, bytes) else k): v for k, v in fields.items()}
        matrix = sparse.load_npz(io.BytesIO(by_name[keys.MODEL_MATRIX_FIELD])).tocsr()
        ids = np.load(io.BytesIO(by_name[keys.MODEL_IDS_FIELD]), allow_pickle=False)
        groups = np.load(io.BytesIO(by_name[keys.MODEL_GROUPS_FIELD]), allow_pickle=False)
        return cls(matrix=matrix, ids=ids.astype(np.int64), groups=groups.astype(np.int64))


def _npy(array: npt.NDArray[np.int64]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _tokens(values: list[str] | npt.NDArray[np.object_] | None, tag: str) -> str:
    """Whole names as single tokens (`dir_johnlasseter`), so people and genres match exactly."""
    if values is None:
        return ""
    return " ".join(f"{tag}_{''.join(ch for ch in title_key(str(v)) if ch.isalnum())}" for v in values)


def movie_documents(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> pd.Series:
    """One text per movie: overview and tagline words plus tokens for its metadata and people."""
    top_cast = (
        cast[cast["order"] < 3].groupby("movie_id")["name"].agg(list)
        if len(cast)
        else pd.Series(dtype=object)
    )
    directing = directors.groupby("movie_id")["name"].agg(list) if len(directors) else pd.Series(dtype=object)
    documents = []
    columns = ("id", "overview", "tagline", "genres", "collection_name")
    rows: list[list[Any]] = [movies[c].tolist() for c in columns]
    for movie_id, overview, tagline, genres, collection in zip(*rows, strict=True):
        parts = [
            overview if isinstance(overview, str) else "",
            tagline if isinstance(tagline, str) else "",
            _tokens(list(genres) if genres is not None else [], "gen"),
            _tokens([collection] * 3 if isinstance(collection, str) and collection else [], "col"),
            _tokens(directing.get(movie_id, []) * 2, "dir"),
            _tokens(top_cast.get(movie_id, []), "cast"),
        ]
        documents.append(" ".join(p for p in parts if p))
    return pd.Series(documents, index=movies["id"].to_numpy())


def duplicate_groups(movies: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Rows that are the same film (same title key and year) share a group number."""
    key = movies["title"].map(title_key) + "|" + movies["release_year"].astype(str)
    codes, _ = pd.factorize(key)
    return np.asarray(codes, dtype=np.int64)


def fit(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> RecommenderModel:
    """Fit TF-IDF over the whole catalogue; rows are L2-normalised so a dot product is a cosine."""
    documents = movie_documents(movies, cast, directors)
    vectorizer = TfidfVectorizer(
        stop_words="english",
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        dtype=np.float32,
        token_pattern=r"(?u)\b\w[\w']+\b",
    )
    matrix = vectorizer.fit_transform(documents.to_list())
    matrix = normalize(matrix, norm="l2", copy=False).astype(np.float32).tocsr()
    return RecommenderModel(
        matrix=matrix,
        ids=movies["id"].to_numpy(dtype=np.int64),
        groups=duplicate_groups(movies),
    )
