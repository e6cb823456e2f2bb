"""The recommender's quality on the held-out seeds of the hybrid data, as `make eval` measures it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from benchmarks.recommender_quality import TARGET_RATIO, evaluate, load
from benchmarks.recommender_split import is_held_out


@pytest.mark.hybrid
@pytest.mark.slow
def test_held_out_quality_beats_the_popularity_chart(hybrid_data: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = load(hybrid_data, Path(tmp))
    assert len(data.truth.seeds) >= 140
    assert all(is_held_out(seed) for seed in data.truth.seeds)
    ours, popular, overview, random = evaluate(data)
    assert ours.mean_precision >= TARGET_RATIO * popular.mean_precision
    assert ours.mean_lift > popular.mean_lift
    assert ours.mean_precision >= 3 * overview.mean_precision
    assert popular.mean_precision > random.mean_precision
    assert ours.collection_real >= 0.95
    assert ours.collection_all is not None and ours.collection_all >= 0.95
