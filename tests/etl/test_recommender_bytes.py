"""The model read in place from its Redis bytes: same answers as the fitted model, no copies of the arrays."""

from __future__ import annotations

import io
import pickle
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from scipy import sparse

from etl.pipeline import Build
from etl.recommender_bytes import csr_view, npy_view, npz_views
from etl.recommender_model import RecommenderModel
from shared import keys


def _inside(array: npt.NDArray[Any], raw: bytes) -> bool:
    """Whether the array's memory lies within the bytes object's own buffer."""
    start = np.frombuffer(raw, dtype=np.uint8).__array_interface__["data"][0]
    address = array.__array_interface__["data"][0]
    return bool(start <= address and address + array.nbytes <= start + len(raw))


def _npz(matrix: sparse.spmatrix, *, compressed: bool = False) -> bytes:
    buffer = io.BytesIO()
    sparse.save_npz(buffer, matrix, compressed=compressed)
    return buffer.getvalue()


def _npy(array: npt.NDArray[Any], *, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


@pytest.fixture
def matrix() -> sparse.csr_matrix:
    rng = np.random.default_rng(3)
    return sparse.random(300, 80, density=0.05, format="csr", dtype=np.float32, random_state=rng)


def test_csr_view_is_the_saved_matrix_held_in_the_bytes(matrix: sparse.csr_matrix) -> None:
    raw = _npz(matrix)
    loaded = csr_view(raw)
    assert loaded.shape == matrix.shape and loaded.dtype == np.float32
    assert (loaded != matrix).nnz == 0
    for array in (loaded.data, loaded.indices, loaded.indptr):
        assert _inside(array, raw)
        assert not array.flags.writeable  # a view of immutable bytes: nobody can change the model
    # Queries work on it as on any matrix, though its arrays may be unaligned.
    assert (loaded[[3, 7]] != matrix[[3, 7]]).nnz == 0
    assert (loaded.T.tocsr() != matrix.T.tocsr()).nnz == 0


def test_compressed_or_other_formats_are_still_read(matrix: sparse.csr_matrix) -> None:
    assert (csr_view(_npz(matrix, compressed=True)) != matrix).nnz == 0
    assert (csr_view(_npz(matrix.tocsc())) != matrix).nnz == 0
    with pytest.raises(ValueError, match="compressed"):
        npz_views(_npz(matrix, compressed=True))


def test_npy_view_keeps_shape_order_and_type() -> None:
    grid = np.asfortranarray(np.arange(12, dtype=np.int64).reshape(3, 4))
    raw = _npy(grid)
    view = npy_view(raw)
    assert view.dtype == np.int64 and np.array_equal(view, grid)
    assert _inside(view, raw)
    assert np.array_equal(npy_view(_npy(np.array(7.5, dtype=np.float32))), np.float32(7.5))


def test_npy_view_refuses_objects_and_truncated_bytes() -> None:
    with pytest.raises(ValueError, match="objects"):
        npy_view(_npy(np.array([{"a": 1}], dtype=object), allow_pickle=True))
    raw = _npy(np.arange(100, dtype=np.int64))
    with pytest.raises(ValueError, match="shorter"):
        npy_view(raw[:-8])


def test_model_from_redis_fields_copies_no_array(sample_build: Build) -> None:
    model = sample_build.model
    fields = {name.encode(): value for name, value in model.to_redis_fields().items()}
    loaded = RecommenderModel.from_redis_fields(fields)
    matrix_raw = fields[keys.MODEL_MATRIX_FIELD.encode()]
    assert _inside(loaded.matrix.data, matrix_raw) and _inside(loaded.matrix.indices, matrix_raw)
    assert _inside(loaded.ids, fields[keys.MODEL_IDS_FIELD.encode()])
    assert _inside(loaded.groups, fields[keys.MODEL_GROUPS_FIELD.encode()])
    # The transpose waits for the first query, and then answers as the fitted model does.
    before = loaded.nbytes
    for movie in model.ids[::25]:
        assert loaded.top_k(int(movie)) == model.top_k(int(movie))
        assert loaded.reasons(int(movie), 862) == model.reasons(int(movie), 862)
    assert loaded.nbytes > before


def test_rows_by_id(sample_build: Build) -> None:
    model = sample_build.model
    for row, movie in enumerate(model.ids):
        assert model.row_of(int(movie)) == row
        assert int(movie) in model
    for absent in (-1, 0, 10**30, -(10**30), int(model.ids.max()) + 1):
        assert model.row_of(absent) is None
        assert absent not in model
    assert "862" not in model


def test_a_queried_model_pickles_without_its_transpose(sample_build: Build) -> None:
    fields = sample_build.model.to_redis_fields()
    model = RecommenderModel.from_redis_fields(fields)
    expected = model.top_k(862)
    again = pickle.loads(pickle.dumps(model))
    assert again.nbytes < model.nbytes
    assert again.top_k(862) == expected
