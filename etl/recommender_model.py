"""The fitted recommender as the worker uses it: sparse rows, top-k queries and Redis (de)serialisation.

Kept free of pandas and scikit-learn so a worker that only answers queries stays small in memory.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from shared import keys

# Candidates re-ranked by the popularity prior; beyond ~50 the prior would start to outweigh content.
DEFAULT_CANDIDATES = 50


@dataclass(frozen=True)
class RankingParams:
    """How the cosine is turned into the final order (stored with the model, so a version is
    always queried the way it was fitted and evaluated)."""

    # Weight of the popularity prior: final = cosine * (1 - prior_weight + prior_weight * prior).
    prior_weight: float = 0.0
    candidates: int = DEFAULT_CANDIDATES

    def to_json(self) -> bytes:
        return json.dumps({"prior_weight": self.prior_weight, "candidates": self.candidates}).encode()

    @classmethod
    def from_json(cls, raw: bytes | None) -> RankingParams:
        if not raw:
            return cls()
        values: dict[str, Any] = json.loads(raw)
        return cls(
            prior_weight=float(values.get("prior_weight", 0.0)),
            candidates=int(values.get("candidates", DEFAULT_CANDIDATES)),
        )


@dataclass(frozen=True)
class RecommenderModel:
    """L2-normalised float32 CSR rows (one per movie), their movie ids, duplicate groups and prior.

    `groups`: rows sharing a number are the same film published twice (same title key and year).
    `prior`: a popularity prior in [0, 1] per row (log of the vote count, scaled), used only to
    re-rank the best content matches.
    """

    matrix: sparse.csr_matrix
    ids: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    prior: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    params: RankingParams = field(default_factory=RankingParams)

    def __post_init__(self) -> None:
        if self.matrix.shape[0] != len(self.ids) or len(self.groups) != len(self.ids):
            raise ValueError("matrix rows, ids and groups must have the same length")
        if len(self.prior) != len(self.ids):
            object.__setattr__(self, "prior", np.zeros(len(self.ids), dtype=np.float32))
        object.__setattr__(self, "_row_of", {int(movie_id): row for row, movie_id in enumerate(self.ids)})
        # The transpose turns a query into a walk over the postings of the query's own terms,
        # so a query costs what its terms occur in, not a pass over the whole catalogue.
        object.__setattr__(self, "_postings", self.matrix.T.tocsr())

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (matrix, its transpose, ids, groups, prior)."""
        postings: sparse.csr_matrix = self.__dict__["_postings"]
        total = 0
        for m in (self.matrix, postings):
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total + self.ids.nbytes + self.groups.nbytes + self.prior.nbytes

    def row_of(self, movie_id: int) -> int | None:
        row: int | None = self.__dict__["_row_of"].get(movie_id)
        return row

    def __contains__(self, movie_id: object) -> bool:
        return isinstance(movie_id, int) and movie_id in self.__dict__["_row_of"]

    def similarities(self, row: int) -> npt.NDArray[np.float32]:
        """Cosine between one row and every row of the catalogue (a dense vector of length N)."""
        postings: sparse.csr_matrix = self.__dict__["_postings"]
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        # Only the postings of the query's own terms, combined with their weights in one pass.
        touched = postings[self.matrix.indices[start:end]]
        return np.asarray(touched.T @ self.matrix.data[start:end], dtype=np.float32).ravel()

    def top_k(
        self,
        movie_id: int,
        k: int = 5,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> list[tuple[int, float]]:
        """The k most similar other films, most similar first, as (movie id, score in [0, 1]).

        The movie itself and its duplicates are excluded, and a film published twice appears
        once. `allowed` restricts the candidates (the offline evaluation uses it).
        """
        row = self.row_of(movie_id)
        if row is None or k <= 0:
            return []
        scores = self.similarities(row)
        scores[self.groups == self.groups[row]] = -1.0
        if allowed is not None:
            scores[~allowed] = -1.0
        pool = min(max(self.params.candidates, k) * 2, len(scores))
        best = np.argpartition(-scores, pool - 1)[:pool] if pool < len(scores) else np.arange(len(scores))
        best = best[scores[best] > 0.0]
        # Ties broken by id so the same query always gives the same list.
        by_cosine = sorted(best.tolist(), key=lambda i: (-float(scores[i]), int(self.ids[i])))
        seen: set[int] = set()
        candidates: list[int] = []
        for i in by_cosine:
            if int(self.groups[i]) in seen:
                continue
            seen.add(int(self.groups[i]))
            candidates.append(i)
            if len(candidates) >= max(self.params.candidates, k):
                break
        weight = self.params.prior_weight
        final = {i: float(scores[i]) * (1.0 - weight + weight * float(self.prior[i])) for i in candidates}
        ordered = sorted(candidates, key=lambda i: (-final[i], int(self.ids[i])))[:k]
        return [(int(self.ids[i]), round(final[i], 6)) for i in ordered]

    def to_redis_fields(self) -> dict[str, bytes]:
        matrix_bytes = io.BytesIO()
        sparse.save_npz(matrix_bytes, self.matrix.astype(np.float32), compressed=False)
        return {
            keys.MODEL_MATRIX_FIELD: matrix_bytes.getvalue(),
            keys.MODEL_IDS_FIELD: _npy(self.ids.astype(np.int64)),
            keys.MODEL_GROUPS_FIELD: _npy(self.groups.astype(np.int64)),
            keys.MODEL_PRIOR_FIELD: _npy(self.prior.astype(np.float32)),
            keys.MODEL_PARAMS_FIELD: self.params.to_json(),
        }

    @classmethod
    def from_redis_fields(cls, fields: dict[bytes, bytes] | dict[str, bytes]) -> RecommenderModel:
        by_name = {(k.decode() if isinstance(k, bytes) else k): v for k, v in fields.items()}
        missing = [
            name
            for name in (keys.MODEL_MATRIX_FIELD, keys.MODEL_IDS_FIELD, keys.MODEL_GROUPS_FIELD)
            if name not in by_name
        ]
        if missing:
            raise ValueError(f"the model hash lacks the fields {', '.join(missing)}")
        matrix = sparse.load_npz(io.BytesIO(by_name[keys.MODEL_MATRIX_FIELD])).tocsr().astype(np.float32)
        ids = np.load(io.BytesIO(by_name[keys.MODEL_IDS_FIELD]), allow_pickle=False)
        groups = np.load(io.BytesIO(by_name[keys.MODEL_GROUPS_FIELD]), allow_pickle=False)
        prior_raw = by_name.get(keys.MODEL_PRIOR_FIELD)
        prior = (
            np.load(io.BytesIO(prior_raw), allow_pickle=False).astype(np.float32)
            if prior_raw
            else np.zeros(len(ids), dtype=np.float32)
        )
        return cls(
            matrix=matrix,
            ids=ids.astype(np.int64),
            groups=groups.astype(np.int64),
            prior=prior,
            params=RankingParams.from_json(by_name.get(keys.MODEL_PARAMS_FIELD)),
        )


def _npy(array: npt.NDArray[Any]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()
