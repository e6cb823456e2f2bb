"""TF-IDF with numpy and scipy alone, computing exactly what scikit-learn's TfidfVectorizer does.

The ETL runs as a fresh process, and importing scikit-learn (which pulls in scipy.stats,
scipy.optimize, ...) costs about two seconds there, as much as fitting the whole model; its
CountVectorizer also counts tokens one by one in Python. These functions count with
`pandas.factorize` and sparse matrices instead, and reproduce scikit-learn's arithmetic step by
step (float32 throughout, idf smoothing, sublinear tf, the same term order and even the same order
of entries inside a row), so the fitted matrix is the same to the bit; `tests/etl/test_tfidf.py`
checks that against scikit-learn itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

# scikit-learn's `ENGLISH_STOP_WORDS` (the Glasgow Information Retrieval Group's list), copied so
# the ETL need not import scikit-learn; a test checks the two stay equal.
ENGLISH_STOP_WORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although
always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
are around as at back be became because become becomes becoming been before beforehand behind being
below beside besides between beyond bill both bottom but by call can cannot cant co con could
couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere
empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
fire first five for former formerly forty found four from front full further get give go had has
hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how
however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least
less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now
nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own
part per perhaps please put rather re same see seem seemed seeming seems serious several she should
show side since sincere six sixty so some somehow someone something sometime sometimes somewhere
still such system take ten than that the their them themselves then thence there thereafter thereby
therefore therein thereupon these they thick thin third this those though three through throughout
thru thus to together too top toward towards twelve twenty two un under until up upon us very via
was we well were what whatever when whence whenever where whereafter whereas whereby wherein
whereupon wherever whether which while whither who whoever whole whom whose why will with within
without would yet you your yours yourself yourselves
""".split()  # noqa: SIM905 - 318 words read better as text than as 318 quoted items
)


_BATCH = 4_096
# Rows normalised at a time: the float64 intermediates then cost a slice, not the whole matrix.
_NORMALIZE_ROWS = 65_536


def _batch_counts(
    batch: list[Sequence[str]], vocabulary: dict[str, int]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.int64]]:
    """One batch's rows, summed and sorted by column: data, columns and row lengths."""
    lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
    flat = np.fromiter(chain.from_iterable(batch), dtype=object, count=int(lengths.sum()))
    codes, uniques = pd.factorize(flat)
    # The batch's terms in their order of first appearance; new ones numbered after all
    # earlier ones, so the numbering is the order of first appearance over all documents.
    known = np.fromiter(
        (vocabulary.setdefault(term, len(vocabulary)) for term in uniques),
        dtype=np.int64,
        count=len(uniques),
    )
    rows = np.repeat(np.arange(len(batch), dtype=np.int64), lengths)
    part = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.float32), (rows, known[codes])),
        shape=(len(batch), max(len(vocabulary), 1)),
        dtype=np.float32,
    )
    part.sum_duplicates()
    return part.data, part.indices, np.diff(part.indptr)


def _counts(documents: Iterable[Sequence[str]]) -> tuple[sparse.csr_matrix, npt.NDArray[np.object_]]:
    """Document-term counts (float32) and the terms, a term's column being its order of first
    appearance, each row sorted by column: the matrix scikit-learn's CountVectorizer counts.

    Documents are counted a batch at a time and each batch is kept summed (one entry per term
    of a document, not one per token), so neither the tokens (Python strings, ~60 bytes each)
    nor one code per token are ever alive for the whole corpus.
    """
    vocabulary: dict[str, int] = {}
    data_parts: list[npt.NDArray[np.float32]] = []
    column_parts: list[npt.NDArray[np.signedinteger[Any]]] = []
    length_parts: list[npt.NDArray[np.int64]] = []
    items = iter(documents)
    while batch := list(islice(items, _BATCH)):
        data, columns, lengths = _batch_counts(batch, vocabulary)
        data_parts.append(data)
        column_parts.append(columns)
        length_parts.append(lengths)
    lengths = np.concatenate(length_parts) if length_parts else np.zeros(0, dtype=np.int64)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    data = np.concatenate(data_parts) if data_parts else np.zeros(0, dtype=np.float32)
    del data_parts
    columns = np.concatenate(column_parts) if column_parts else np.zeros(0, dtype=np.int32)
    del column_parts
    # scipy narrows the index arrays to int32 whenever they fit, as it does for the counts
    # built from (row, column) pairs.
    counts = sparse.csr_matrix(
        (data, columns, indptr), shape=(len(lengths), len(vocabulary)), dtype=np.float32
    )
    terms = np.empty(len(vocabulary), dtype=object)
    terms[:] = list(vocabulary)
    return counts, terms


def _keep(
    counts: sparse.csr_matrix, terms: npt.NDArray[np.object_], mask: npt.NDArray[np.bool_]
) -> tuple[sparse.csr_matrix, npt.NDArray[np.object_]]:
    """Only the terms in `mask`; the others keep their relative numbering (as scikit-learn's
    pruning and stop-word removal leave it)."""
    kept: sparse.csr_matrix = counts[:, np.flatnonzero(mask)]
    return kept, terms[mask]


def _alphabetical(counts: sparse.csr_matrix, terms: npt.NDArray[np.object_]) -> sparse.csr_matrix:
    """Columns renumbered in the terms' alphabetical order. Like scikit-learn, the entries of a
    row are not re-sorted: they stay in order of first appearance, and so do the norm's sums."""
    order = np.argsort(terms, kind="stable")
    rank = np.empty(len(order), dtype=counts.indices.dtype)
    rank[order] = np.arange(len(order), dtype=counts.indices.dtype)
    return sparse.csr_matrix((counts.data, rank[counts.indices], counts.indptr), shape=counts.shape)


def l2_normalize(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit L2 norm, as `sklearn.preprocessing.normalize` does it on float32 CSR:
    squares in float32, summed in float64 in stored order, each entry divided in float64 and rounded back
    to float32; an all-zero row is left alone. Done `_NORMALIZE_ROWS` rows at a time, so the
    float64 intermediates never cost more than a slice of the matrix."""
    data, indices, indptr = matrix.data, matrix.indices, matrix.indptr
    scaled = np.empty(len(data), dtype=np.float32)
    ones = np.ones(matrix.shape[1], dtype=np.float64)
    for first in range(0, matrix.shape[0], _NORMALIZE_ROWS):
        last = min(first + _NORMALIZE_ROWS, matrix.shape[0])
        start, end = int(indptr[first]), int(indptr[last])
        values = data[start:end].astype(np.float64)
        # The squares are float32 products, as scikit-learn computes them, then widened.
        squares = (data[start:end] * data[start:end]).astype(np.float64)
        rows = sparse.csr_matrix(
            (squares, indices[start:end], indptr[first : last + 1] - start),
            shape=(last - first, matrix.shape[1]),
        )
        # A CSR product with ones adds each row's entries one by one, in stored order.
        sums = rows @ ones
        norms = np.sqrt(sums)
        norms[sums == 0.0] = 1.0
        values /= np.repeat(norms, np.diff(indptr[first : last + 1]))
        scaled[start:end] = values
    return sparse.csr_matrix((scaled, indices.copy(), indptr.copy()), shape=matrix.shape)


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2") on float32 counts."""
    n_documents = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=n_documents + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data = counts.data.astype(np.float32, copy=True)
    np.log(data, out=data)
    data += 1.0
    data *= idf[counts.indices]
    return l2_normalize(sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape))


def token_matrix(documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """`TfidfVectorizer(analyzer=<identity>, lowercase=False, sublinear_tf=True, dtype=float32)`
    fitted on token lists; no tokens at all give a matrix without columns."""
    return token_matrix_and_terms(documents)[0]


def token_matrix_and_terms(
    documents: Sequence[Sequence[str]],
) -> tuple[sparse.csr_matrix, list[str]]:
    """`token_matrix` and the term of each of its columns (scikit-learn's `get_feature_names_out`)."""
    if not any(documents):
        return _empty(len(documents)), []
    counts, terms = _counts(documents)
    return _tfidf(_alphabetical(counts, terms)), sorted(str(t) for t in terms)


def text_matrix(
    documents: Iterable[str], token_pattern: str, min_df: int, max_df: float
) -> sparse.csr_matrix:
    """`TfidfVectorizer(stop_words="english", token_pattern=..., min_df=..., max_df=...,
    sublinear_tf=True, dtype=float32)` on text; where scikit-learn would refuse (no word left),
    a matrix without columns. `documents` is read once, so it may be a generator."""
    pattern = re.compile(token_pattern)
    counts, terms = _counts(pattern.findall(document.lower()) for document in documents)
    highest, lowest = max_df * counts.shape[0], min_df
    # A term's document frequency does not depend on the other terms: stop words and rare or
    # common terms are dropped in one pass (one copy of the counts, not two).
    wanted = np.fromiter((t not in ENGLISH_STOP_WORDS for t in terms), bool, len(terms))
    if not wanted.any() or highest < lowest:
        return _empty(counts.shape[0])
    df = np.bincount(counts.indices, minlength=len(terms))
    wanted &= (df <= highest) & (df >= lowest)
    del df
    if not wanted.any():
        return _empty(counts.shape[0])
    counts, terms = _keep(counts, terms, wanted)
    return _tfidf(_alphabetical(counts, terms))


def _empty(rows: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((rows, 0), dtype=np.float32)
