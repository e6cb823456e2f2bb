"""The recommender's quality floor on the hybrid data (real rows, real ratings), as in `make eval`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from benchmarks.recommender_quality import evaluate, load


@pytest.mark.hybrid
@pytest.mark.slow
def test_quality_floor_on_the_real_rows(hybrid_data: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = load(hybrid_data, Path(tmp))
    ours, *baselines = evaluate(data)
    overview = next(row for row in baselines if "overview" in row.method)
    popular = next(row for row in baselines if "populares" in row.method)
    assert len(data.truth.seeds) >= 200
    assert ours.precision >= 3 * overview.precision
    assert ours.precision >= 0.5 * popular.precision
    assert ours.collection_real >= 0.8
    assert ours.collection_all is not None and ours.collection_all >= 0.8
