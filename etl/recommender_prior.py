"""The recommender's quality prior: how known and how well rated a film is, in [0, 1] per row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class QualityPrior:
    """prior = (log(1 + votes) / log(1 + most votes)) ** votes_exponent * (shrunk average / 10) **
    average_exponent, where the average is pulled towards the catalogue's by `shrink_votes`
    pseudo-votes (a 9.0 from 3 votes is not a 9.0 from 3,000)."""

    votes_exponent: float = 1.0
    average_exponent: float = 2.0
    shrink_votes: float = 50.0


# Fitted on the tuning half (`python -m benchmarks.recommender_quality --tune`).
DEFAULT_PRIOR = QualityPrior()


def quality_prior(movies: pd.DataFrame, prior: QualityPrior = DEFAULT_PRIOR) -> npt.NDArray[np.float32]:
    """Per row, in [0, 1]: how known (log of the vote count) and how well rated (shrunk average)."""
    votes = pd.to_numeric(movies["vote_count"], errors="coerce").fillna(0).clip(lower=0).to_numpy(float)
    average = (
        pd.to_numeric(movies["vote_average"], errors="coerce").fillna(0).clip(0, 10).to_numpy(float)
        if "vote_average" in movies
        else np.full(len(votes), 5.0)
    )
    logged = np.log1p(votes)
    top = float(logged.max()) if len(logged) else 0.0
    known = logged / top if top > 0 else np.zeros_like(logged)
    total = float(votes.sum())
    mean = float((votes * average).sum() / total) if total > 0 else 5.0
    shrunk = (votes * average + prior.shrink_votes * mean) / (votes + prior.shrink_votes)
    values = known**prior.votes_exponent * (shrunk / 10.0) ** prior.average_exponent
    return np.asarray(values, dtype=np.float32)
