"""What `python -m etl` publishes, made family by family from the tables, is what the records say."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from etl import layout
from etl.pipeline import Build, build_release
from etl.publish import Fields, Publishable
from shared import keys
from shared.settings import SAMPLE_DATA

Published = dict[str, dict[str, bytes] | bytes]


def _fields(value: Fields | bytes) -> dict[str, bytes] | bytes:
    if isinstance(value, bytes):
        return value
    return dict(value.items() if isinstance(value, Mapping) else value)


def _published(build: Publishable) -> Published:
    """Every key of the version, named without the version, with all its fields."""
    payload: Iterator[tuple[str, Fields | bytes]] = build.redis_payload()
    prefix = keys.version_prefix(build.version)
    return {name.removeprefix(prefix): _fields(value) for name, value in payload}


def _matrix(raw: bytes) -> sparse.csr_matrix:
    matrix: sparse.csr_matrix = sparse.load_npz(io.BytesIO(raw))
    return matrix


@pytest.fixture(scope="module")
def pair(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Published, Published]:
    release = build_release(SAMPLE_DATA, tmp_path_factory.mktemp("release"))
    return _published(sample_build), _published(release)


def test_every_answer_is_the_same_bytes(pair: tuple[Published, Published]) -> None:
    records, families = pair
    assert set(records) == set(families)
    model = keys.model("").removeprefix(keys.version_prefix(""))
    for name in records:
        if name != model:
            assert families[name] == records[name], name


def test_the_model_is_the_same_to_the_bit(pair: tuple[Published, Published]) -> None:
    records, families = pair
    name = keys.model("").removeprefix(keys.version_prefix(""))
    ours, theirs = families[name], records[name]
    assert isinstance(ours, dict)
    assert isinstance(theirs, dict)
    assert set(ours) == set(theirs)
    for field in ours:
        if field == keys.MODEL_MATRIX_FIELD:
            # The .npz archive stamps its members with the time it was written.
            a, b = _matrix(ours[field]), _matrix(theirs[field])
            assert a.shape == b.shape
            for part in ("indptr", "indices", "data"):
                x, y = getattr(a, part), getattr(b, part)
                assert x.dtype == y.dtype
                assert np.array_equal(x.view(np.uint8), y.view(np.uint8)), part
        else:
            assert ours[field] == theirs[field], field


def test_the_clean_tables_are_written(tmp_path: Path) -> None:
    release = build_release(SAMPLE_DATA, tmp_path)
    folder = layout.build_dir(tmp_path, release.version)
    assert {p.name for p in folder.iterdir()} >= {layout.MOVIES, layout.CAST, layout.DIRECTORS}
    assert release.meta()["movies"] == str(len(release.movies))


def test_publishing_uses_the_search_index_made_in_advance(tmp_path: Path) -> None:
    release = build_release(SAMPLE_DATA, tmp_path)
    made = dataclasses.replace(release, prefixes=[("zz", b"c|1")])
    name = keys.search_prefixes(release.version).removeprefix(keys.version_prefix(release.version))
    assert _published(made)[name] == {"zz": b"c|1"}
