"""The fitted recommender as the worker uses it: sparse rows, top-k queries and Redis (de)serialisation.

Kept free of pandas and scikit-learn so a worker that only answers queries stays small in memory.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from etl.recommender_bytes import csr_view, npy_view
from etl.recommender_columns import Columns
from shared import keys

_INT64_MIN, _INT64_MAX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)
# Content matches re-ranked by the prior; a film's collection siblings always join them.
DEFAULT_CANDIDATES = 50


@dataclass(frozen=True)
class RankingParams:
    """How the cosine is turned into the final order (stored with the model, so a version is
    always queried the way it was fitted and evaluated)."""

    # Weight of the prior: score = cosine * (1 - prior_weight + prior_weight * prior).
    prior_weight: float = 0.0
    candidates: int = DEFAULT_CANDIDATES
    # At most this many of the 5 from one collection (0: no limit, as versions before the rule).
    per_collection: int = 0

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "prior_weight": self.prior_weight,
                "candidates": self.candidates,
                "per_collection": self.per_collection,
            }
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes | None) -> RankingParams:
        if not raw:
            return cls()
        values: dict[str, Any] = json.loads(raw)
        return cls(
            prior_weight=float(values.get("prior_weight", 0.0)),
            candidates=int(values.get("candidates", DEFAULT_CANDIDATES)),
            per_collection=int(values.get("per_collection", 0)),
        )


@dataclass(frozen=True)
class Pick:
    """One recommended film: its cosine with the seed and the score that ordered it."""

    movie_id: int
    row: int
    similitud: float
    puntuacion: float


def _no_codes() -> npt.NDArray[np.int64]:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class RecommenderModel:
    """L2-normalised float32 CSR rows (one per movie), their movie ids, duplicate groups and prior.

    `groups`: rows sharing a number are the same film published twice (same title key and year).
    `prior`: a prior in [0, 1] per row, used only to re-rank the best content matches.
    `titles`, `collections`: title group and collection id (-1: none) per row, for the diversity
    rules; empty in versions published before them (the rules are then skipped).
    `columns`: which block each column belongs to and what it names (the motivos).
    """

    matrix: sparse.csr_matrix
    ids: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    prior: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    params: RankingParams = field(default_factory=RankingParams)
    titles: npt.NDArray[np.int64] = field(default_factory=_no_codes)
    collections: npt.NDArray[np.int64] = field(default_factory=_no_codes)
    columns: Columns = field(default_factory=Columns)

    def __post_init__(self) -> None:
        if self.matrix.shape[0] != len(self.ids) or len(self.groups) != len(self.ids):
            raise ValueError("matrix rows, ids and groups must have the same length")
        if len(self.prior) != len(self.ids):
            object.__setattr__(self, "prior", np.zeros(len(self.ids), dtype=np.float32))
        for name in ("titles", "collections"):
            if len(getattr(self, name)) != len(self.ids):
                object.__setattr__(self, name, _no_codes())
        # Rows by id through a sorted index rather than a dict: 16 bytes a film instead of ~140
        # (66 MB at ten times the catalogue).
        object.__setattr__(self, "_by_id", np.argsort(self.ids, kind="stable"))
        object.__setattr__(self, "_postings", None)
        object.__setattr__(self, "_postings_lock", threading.Lock())

    def __getstate__(self) -> dict[str, Any]:
        # A lock does not pickle, and the transpose is rebuilt on demand.
        state = {name: value for name, value in self.__dict__.items() if name != "_postings_lock"}
        state["_postings"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _postings_lock=threading.Lock())

    def _postings_matrix(self) -> sparse.csr_matrix:
        """The transpose, built on the first query rather than at load time.

        It turns a query into a walk over the postings of the query's own terms, so a query costs
        what its terms occur in, not a pass over the whole catalogue. Built once, by whichever
        query comes first: two at once would each hold a transpose for a moment.
        """
        postings: sparse.csr_matrix | None = self.__dict__["_postings"]
        if postings is None:
            with self.__dict__["_postings_lock"]:
                postings = self.__dict__["_postings"]
                if postings is None:
                    postings = self.matrix.T.tocsr()
                    object.__setattr__(self, "_postings", postings)
        return postings

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (matrix, its transpose once built, ids, groups, prior, codes)."""
        total = 0
        for m in (self.matrix, self.__dict__["_postings"]):
            if m is not None:
                total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        arrays = (self.ids, self.groups, self.prior, self.titles, self.collections)
        return total + sum(a.nbytes for a in arrays)

    def row_of(self, movie_id: int) -> int | None:
        by_id: npt.NDArray[np.intp] = self.__dict__["_by_id"]
        if not len(by_id) or not _INT64_MIN <= movie_id <= _INT64_MAX:
            return None
        at = int(np.searchsorted(self.ids, movie_id, sorter=by_id))
        if at == len(by_id) or int(self.ids[by_id[at]]) != movie_id:
            return None
        return int(by_id[at])

    def __contains__(self, movie_id: object) -> bool:
        return isinstance(movie_id, int) and self.row_of(movie_id) is not None

    def similarities(self, row: int) -> npt.NDArray[np.float32]:
        """Cosine between one row and every row of the catalogue (a dense vector of length N)."""
        postings = self._postings_matrix()
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        # Only the postings of the query's own terms, combined with their weights in one pass.
        touched = postings[self.matrix.indices[start:end]]
        return np.asarray(touched.T @ self.matrix.data[start:end], dtype=np.float32).ravel()

    def _siblings(self, row: int, open_rows: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
        if not len(self.collections) or self.collections[row] < 0:
            return np.zeros(0, dtype=np.intp)
        return np.flatnonzero((self.collections == self.collections[row]) & open_rows)

    def top_k(
        self,
        movie_id: int,
        k: int = 5,
        allowed: npt.NDArray[np.bool_] | None = None,
    ) -> list[Pick]:
        """The k best other films, best first.

        The movie itself and its duplicates are excluded; a film published twice appears once;
        no two picks share a title; at most `per_collection` come from one collection unless
        nothing else is left; a collection sibling is always among them when the film has one.
        `allowed` restricts the candidates (the offline evaluation uses it).
        """
        row = self.row_of(movie_id)
        if row is None or k <= 0:
            return []
        scores = self.similarities(row)
        open_rows = self.groups != self.groups[row]
        if allowed is not None:
            open_rows &= allowed
        scores[~open_rows] = -1.0
        wanted = max(self.params.candidates, k)
        pool = min(wanted * 2, len(scores))
        best = np.argpartition(-scores, pool - 1)[:pool] if pool < len(scores) else np.arange(len(scores))
        best = best[scores[best] > 0.0]
        siblings = self._siblings(row, open_rows)
        # Ties broken by id so the same query always gives the same list.
        by_cosine = sorted(set(best.tolist()), key=lambda i: (-float(scores[i]), int(self.ids[i])))
        candidates = self._distinct(by_cosine, wanted)
        if len(siblings):
            taken = {int(self.groups[i]) for i in candidates}
            by_score = sorted(siblings.tolist(), key=lambda i: (-float(scores[i]), int(self.ids[i])))
            fresh = self._distinct(by_score, len(by_score))
            candidates += [i for i in fresh if int(self.groups[i]) not in taken]
        weight = self.params.prior_weight
        final = {
            i: max(float(scores[i]), 0.0) * (1.0 - weight + weight * float(self.prior[i])) for i in candidates
        }
        ordered = sorted(candidates, key=lambda i: (-final[i], int(self.ids[i])))
        chosen = self._diverse(row, ordered, k)
        return [Pick(int(self.ids[i]), i, round(float(scores[i]), 6), round(final[i], 6)) for i in chosen]

    def _distinct(self, rows: list[int], limit: int) -> list[int]:
        """The first `limit` rows of distinct duplicate groups."""
        seen: set[int] = set()
        result: list[int] = []
        for i in rows:
            group = int(self.groups[i])
            if group in seen:
                continue
            seen.add(group)
            result.append(i)
            if len(result) >= limit:
                break
        return result

    def _diverse(self, row: int, ordered: list[int], k: int) -> list[int]:
        titles = self.titles if len(self.titles) else None
        collections = self.collections if len(self.collections) else None
        cap = self.params.per_collection
        chosen: list[int] = []
        held_back: list[int] = []
        used_titles: set[int] = set()
        per_collection: dict[int, int] = {}
        for i in ordered:
            if titles is not None and int(titles[i]) in used_titles:
                continue
            collection = int(collections[i]) if collections is not None else -1
            if cap > 0 and collection >= 0 and per_collection.get(collection, 0) >= cap:
                held_back.append(i)
                continue
            chosen.append(i)
            if titles is not None:
                used_titles.add(int(titles[i]))
            per_collection[collection] = per_collection.get(collection, 0) + 1
            if len(chosen) == k:
                break
        # The cap gives way only when the collection is all there is.
        for i in held_back:
            if len(chosen) >= k:
                break
            if titles is None or int(titles[i]) not in used_titles:
                chosen.append(i)
                if titles is not None:
                    used_titles.add(int(titles[i]))
        if collections is not None and collections[row] >= 0:
            self._keep_a_sibling(int(collections[row]), ordered, chosen, k)
        return chosen

    def _keep_a_sibling(self, collection: int, ordered: list[int], chosen: list[int], k: int) -> None:
        """When none of `chosen` shares the seed's collection, its best sibling takes the last place."""
        if any(int(self.collections[i]) == collection for i in chosen):
            return
        kept = chosen[: k - 1] if len(chosen) >= k else chosen
        taken = {int(self.titles[i]) for i in kept} if len(self.titles) else set()
        for i in ordered:
            if int(self.collections[i]) == collection and (not taken or int(self.titles[i]) not in taken):
                chosen[:] = [*kept, i]
                return

    def reasons(self, movie_id: int, other_id: int) -> dict[str, list[str]]:
        """What the two films share, per reason block (see `etl.recommender_columns`)."""
        row, other = self.row_of(movie_id), self.row_of(other_id)
        if row is None or other is None:
            return {}
        return self.columns.shared(self.matrix, row, other)

    def to_redis_fields(self) -> dict[str, bytes]:
        matrix_bytes = io.BytesIO()
        sparse.save_npz(matrix_bytes, self.matrix.astype(np.float32), compressed=False)
        fields = {
            keys.MODEL_MATRIX_FIELD: matrix_bytes.getvalue(),
            keys.MODEL_IDS_FIELD: _npy(self.ids.astype(np.int64)),
            keys.MODEL_GROUPS_FIELD: _npy(self.groups.astype(np.int64)),
            keys.MODEL_PRIOR_FIELD: _npy(self.prior.astype(np.float32)),
            keys.MODEL_PARAMS_FIELD: self.params.to_json(),
            keys.MODEL_COLUMNS_FIELD: self.columns.to_json(),
        }
        if len(self.titles):
            fields[keys.MODEL_TITLES_FIELD] = _npy(self.titles.astype(np.int64))
        if len(self.collections):
            fields[keys.MODEL_COLLECTIONS_FIELD] = _npy(self.collections.astype(np.int64))
        return fields

    @classmethod
    def from_redis_fields(cls, fields: dict[bytes, bytes] | dict[str, bytes]) -> RecommenderModel:
        """The model over the hash's own bytes: its arrays are read-only views of them, not copies."""
        by_name = {(k.decode() if isinstance(k, bytes) else k): v for k, v in fields.items()}
        missing = [
            name
            for name in (keys.MODEL_MATRIX_FIELD, keys.MODEL_IDS_FIELD, keys.MODEL_GROUPS_FIELD)
            if name not in by_name
        ]
        if missing:
            raise ValueError(f"the model hash lacks the fields {', '.join(missing)}")
        matrix = csr_view(by_name[keys.MODEL_MATRIX_FIELD])
        ids = _typed(by_name[keys.MODEL_IDS_FIELD], np.int64)
        prior_raw = by_name.get(keys.MODEL_PRIOR_FIELD)
        return cls(
            matrix=matrix,
            ids=ids,
            groups=_typed(by_name[keys.MODEL_GROUPS_FIELD], np.int64),
            prior=_typed(prior_raw, np.float32) if prior_raw else np.zeros(len(ids), dtype=np.float32),
            params=RankingParams.from_json(by_name.get(keys.MODEL_PARAMS_FIELD)),
            titles=_codes(by_name.get(keys.MODEL_TITLES_FIELD)),
            collections=_codes(by_name.get(keys.MODEL_COLLECTIONS_FIELD)),
            columns=Columns.from_json(by_name.get(keys.MODEL_COLUMNS_FIELD)),
        )


def _typed(raw: bytes, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A stored array in place, copied only when it was stored with another type."""
    return npy_view(raw).astype(dtype, copy=False)


def _codes(raw: bytes | None) -> npt.NDArray[np.int64]:
    if not raw:
        return _no_codes()
    return _typed(raw, np.int64)


def _npy(array: npt.NDArray[Any]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()
