"""Fit the recommender's weights on the tuning half of the seeds (`make eval` reads none of this).

`python -m benchmarks.recommender_quality --tune`: coordinate search over the block weights, the
quality prior and the number of candidates, on the tuning half only (even TMDB ids, as seeds and
as candidates; ratings read through `tuning_likes`, so no held-out film's rating is ever read).
The objective is precision@5 by co-liking plus the lift over popularity, each divided by the
most-popular list's on the same half, so neither judgement can be bought with the other. It
prints the values to store in `etl/recommender.py`.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.recommender_split import GroundTruth, ground_truth, is_held_out, tuning_likes
from etl.recommender import (
    DEFAULT_PARAMS,
    DEFAULT_PRIOR,
    DEFAULT_WEIGHTS,
    FeatureBlock,
    FeatureWeights,
    QualityPrior,
    combine,
    duplicate_groups,
    feature_blocks,
    quality_prior,
)
from etl.recommender_model import RankingParams, RecommenderModel

logger = logging.getLogger(__name__)

K = 5
# A step must gain this much of the objective to be taken: smaller gains are noise on ~150 seeds.
MIN_GAIN = 0.01
ROUNDS = 3
FACTORS = (0.0, 0.5, 0.7, 1.4, 2.0)


@dataclass(frozen=True)
class Candidate:
    weights: FeatureWeights
    prior: QualityPrior
    params: RankingParams


@dataclass(frozen=True)
class TuningHalf:
    """Everything a tuning run may see: the catalogue, the tuning films and their ground truth."""

    movies: pd.DataFrame
    blocks: dict[str, FeatureBlock]
    allowed: np.ndarray
    truth: GroundTruth


def tuning_half(
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    real: set[int],
    *,
    ratings: pd.DataFrame,
    links: pd.DataFrame,
) -> TuningHalf:
    """The tuning half of `real`: held-out films are neither seeds, candidates nor ratings here."""
    tuning = {m for m in real if not is_held_out(m)}
    groups = dict(zip(movies["id"].astype(int), duplicate_groups(movies).tolist(), strict=True))
    truth = ground_truth(tuning_likes(ratings, links), tuning, groups, seeds_from=tuning)
    allowed = movies["id"].astype(int).isin(tuning).to_numpy()
    return TuningHalf(movies, feature_blocks(movies, cast, directors), allowed, truth)


def score(half: TuningHalf, candidate: Candidate) -> tuple[float, float]:
    """precision@5 and mean lift of `candidate` over the tuning seeds."""
    matrix, columns = combine(half.blocks, candidate.weights, len(half.movies))
    model = RecommenderModel(
        matrix=matrix,
        ids=half.movies["id"].to_numpy(dtype=np.int64),
        groups=duplicate_groups(half.movies),
        prior=quality_prior(half.movies, candidate.prior),
        params=candidate.params,
        columns=columns,
    )
    truth = half.truth
    precision, lift = [], []
    for seed in truth.seeds:
        picks = [p.movie_id for p in model.top_k(seed, K, allowed=half.allowed)]
        precision.append(len(set(picks) & truth.neighbours[seed]) / K)
        lift.append(truth.lift_gain(seed, picks))
    return float(np.mean(precision)), float(np.mean(lift))


def popular_score(half: TuningHalf) -> tuple[float, float]:
    tuning = half.movies[half.allowed].sort_values(["vote_count", "id"], ascending=[False, True])
    top = tuning["id"].astype(int).head(K + 1).tolist()
    truth = half.truth
    precision, lift = [], []
    for seed in truth.seeds:
        picks = [m for m in top if m != seed][:K]
        precision.append(len(set(picks) & truth.neighbours[seed]) / K)
        lift.append(truth.lift_gain(seed, picks))
    return float(np.mean(precision)), float(np.mean(lift))


def _moves(current: Candidate) -> list[Candidate]:
    moves = []
    for name, value in current.weights.as_dict().items():
        for factor in FACTORS:
            new = value * factor if value else (0.3 if factor else 0.0)
            moves.append(
                dataclasses.replace(current, weights=dataclasses.replace(current.weights, **{name: new}))
            )
    for name in ("votes_exponent", "average_exponent", "shrink_votes"):
        for factor in (0.5, 0.75, 1.5, 2.0):
            value = getattr(current.prior, name) * factor
            moves.append(
                dataclasses.replace(current, prior=dataclasses.replace(current.prior, **{name: value}))
            )
    for factor in (0.5, 2.0):
        count = max(10, min(400, int(current.params.candidates * factor)))
        moves.append(
            dataclasses.replace(current, params=dataclasses.replace(current.params, candidates=count))
        )
    return moves


def tune(half: TuningHalf, start: Candidate, say: Callable[[str], None] = lambda _: None) -> Candidate:
    """Coordinate search from `start`; the best candidate by the objective."""
    base_precision, base_lift = popular_score(half)

    def objective(candidate: Candidate) -> float:
        precision, lift = score(half, candidate)
        return precision / max(base_precision, 1e-9) + lift / max(base_lift, 1e-9)

    best, best_value = start, objective(start)
    say(f"inicio: {best_value:.3f}")
    for _ in range(ROUNDS):
        moved = False
        for move in _moves(best):
            value = objective(move)
            if value > best_value + MIN_GAIN:
                best, best_value, moved = move, value, True
                say(f"{value:.3f}: {move}")
        if not moved:
            break
    return best


def main(source: Path) -> int:
    from benchmarks.recommender_quality import load_catalogue

    with tempfile.TemporaryDirectory() as tmp:
        movies, cast, directors, real = load_catalogue(source, Path(tmp))
    ratings = pd.read_csv(source / "ratings_small.csv.gz")
    links = pd.read_csv(source / "links_small.csv.gz")
    half = tuning_half(movies, cast, directors, real, ratings=ratings, links=links)

    def say(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    say(f"semillas de ajuste (id TMDB par): {len(half.truth.seeds)}; más populares: {popular_score(half)}")
    best = tune(half, Candidate(DEFAULT_WEIGHTS, DEFAULT_PRIOR, DEFAULT_PARAMS), say)
    say(f"resultado: {best}; precision@5 y lift: {score(half, best)}")
    return 0
