"""The ETL's own TF-IDF is scikit-learn's TfidfVectorizer to the bit, entry order included."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from etl import tfidf
from etl.pipeline import Build

TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w']+\b"


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _same_bits(ours: sparse.csr_matrix, theirs: sparse.csr_matrix) -> None:
    """Equal shape, dtype, entry order and float32 bits (not just close)."""
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype == np.float32
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data.view(np.uint32), theirs.data.view(np.uint32))


def _sklearn_tokens(documents: list[list[str]]) -> sparse.csr_matrix:
    vectorizer = TfidfVectorizer(
        analyzer=_identity, lowercase=False, min_df=1, sublinear_tf=True, dtype=np.float32
    )
    return sparse.csr_matrix(vectorizer.fit_transform(documents))


def _sklearn_text(documents: list[str], min_df: int = 2, max_df: float = 0.5) -> sparse.csr_matrix:
    vectorizer = TfidfVectorizer(
        stop_words="english",
        min_df=min_df,
        max_df=max_df,
        sublinear_tf=True,
        dtype=np.float32,
        token_pattern=TOKEN_PATTERN,
    )
    return sparse.csr_matrix(vectorizer.fit_transform(documents))


def test_stop_words_are_scikit_learns() -> None:
    assert tfidf.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS


def test_text_block_on_the_sample(sample_build: Build) -> None:
    movies = sample_build.movies
    documents = [
        " ".join(v for v in (o, t) if isinstance(v, str) and v.strip())
        for o, t in zip(movies["overview"], movies["tagline"], strict=True)
    ]
    _same_bits(tfidf.text_matrix(documents, TOKEN_PATTERN, 2, 0.5), _sklearn_text(documents))


def test_token_blocks_on_the_sample(sample_build: Build) -> None:
    movies, cast = sample_build.movies, sample_build.cast
    by_movie = cast.groupby("movie_id")["person_id"].agg(list).to_dict()
    blocks = [
        [list(genres) for genres in movies["genres"]],
        [list(companies) for companies in movies["production_companies"]],
        # People listed twice in one film, tokens repeated: counts above one.
        [[f"p{p}" for p in by_movie.get(m, [])] * 2 for m in movies["id"]],
    ]
    for documents in blocks:
        _same_bits(tfidf.token_matrix(documents), _sklearn_tokens(documents))


def test_unicode_and_odd_documents() -> None:
    documents = [
        "Amélie's fabuleux destin, Amélie again",
        "",
        "三船敏郎 and the samurai; the SAMURAI return",
        "Zoë and zoe and ZOË",
        "samurai destin amélie",
        "and the of",
    ]
    _same_bits(tfidf.text_matrix(documents, TOKEN_PATTERN, 2, 0.9), _sklearn_text(documents, 2, 0.9))
    tokens = [["b", "a", "b"], [], ["c"], ["a", "é", "Z", "z"]]
    _same_bits(tfidf.token_matrix(tokens), _sklearn_tokens(tokens))


@pytest.mark.parametrize(
    "documents",
    [["only stop words here", "and the"], ["one", "two", "three"], ["alpha beta", "alpha beta"]],
)
def test_where_scikit_learn_refuses_the_block_is_empty(documents: list[str]) -> None:
    try:
        expected_columns = _sklearn_text(documents).shape[1]
    except ValueError:
        expected_columns = 0
    assert tfidf.text_matrix(documents, TOKEN_PATTERN, 2, 0.5).shape == (len(documents), expected_columns)


def test_l2_normalize_matches_scikit_learn() -> None:
    rng = np.random.default_rng(7)
    dense = rng.random((60, 40), dtype=np.float32) * (rng.random((60, 40)) < 0.2)
    dense[5] = 0.0
    matrix = sparse.csr_matrix(dense)
    # Rows with their entries reversed (unsorted), as the fitted blocks have them.
    order = np.concatenate(
        [
            np.arange(start, end)[::-1]
            for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
        ]
    )
    reversed_rows = sparse.csr_matrix(
        (matrix.data[order], matrix.indices[order], matrix.indptr), shape=matrix.shape
    )
    for case in (matrix, reversed_rows):
        _same_bits(tfidf.l2_normalize(case), sparse.csr_matrix(normalize(case, norm="l2")))


def test_counting_in_small_batches_changes_nothing(
    sample_build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The catalogue is counted a batch of documents at a time; term numbering must span batches.
    monkeypatch.setattr(tfidf, "_BATCH", 7)
    movies = sample_build.movies
    documents = [str(o) if isinstance(o, str) else "" for o in movies["overview"]]
    _same_bits(tfidf.text_matrix(documents, TOKEN_PATTERN, 2, 0.5), _sklearn_text(documents))
    tokens = [list(genres) for genres in movies["genres"]]
    _same_bits(tfidf.token_matrix(tokens), _sklearn_tokens(tokens))
