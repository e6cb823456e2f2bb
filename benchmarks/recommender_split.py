"""The seeds' split and the two relevance judgements of the recommender's evaluation.

Split rule (fixed, in code): a film with an even TMDB id belongs to the tuning half, an odd one
to the held-out half. Tuning reads `tuning_likes` only, which drops every rating of a held-out
film before anything is computed from the ratings, so no co-liking figure that involves a held-out
film (as seed or as neighbour) can reach a tuning run.

Judgements, both from MovieLens `ratings_small` (a "like" is a rating of 4 or more):
- co-liking: a seed's 20 nearest films by the cosine of their sets of likers (films liked by at
  least 10 users); precision@5 counts the picks among them.
- lift over popularity: log2 of how much more often the seed's likers like the pick than users
  at large do (0 below 3 shared likers or at or under chance); the mean over the 5 picks. A
  popularity chart scores low here: everyone likes its films, the seed's likers only a bit more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

LIKED_RATING = 4.0
MIN_LIKES_UNIVERSE = 10
MIN_LIKES_SEED = 30
NEIGHBOURS = 20
MIN_SHARED_LIKERS = 3

Likes = dict[int, frozenset[int]]


def is_held_out(movie_id: int) -> bool:
    """The split rule: odd TMDB ids are held out, even ones are for tuning."""
    return movie_id % 2 == 1


def liked_sets(ratings: pd.DataFrame, links: pd.DataFrame) -> Likes:
    """TMDB id -> users who rated the film 4 or more."""
    tmdb = links.dropna(subset=["tmdbId"]).set_index("movieId")["tmdbId"].astype("int64")
    liked = ratings[ratings["rating"] >= LIKED_RATING]
    liked = liked[liked["movieId"].isin(tmdb.index)]
    liked = liked.assign(tmdb=liked["movieId"].map(tmdb))
    return {int(str(k)): frozenset(int(u) for u in v) for k, v in liked.groupby("tmdb")["userId"]}


def tuning_likes(ratings: pd.DataFrame, links: pd.DataFrame) -> Likes:
    """The likes a tuning run may read: held-out films' ratings are dropped first."""
    tmdb = pd.to_numeric(links["tmdbId"], errors="coerce")
    tuning_links = links[tmdb.notna() & ~tmdb.fillna(1).astype("int64").map(is_held_out)]
    kept = ratings[ratings["movieId"].isin(tuning_links["movieId"])]
    return liked_sets(kept, tuning_links)


@dataclass(frozen=True)
class GroundTruth:
    seeds: list[int]
    neighbours: dict[int, frozenset[int]]
    likes: Likes
    users: int

    def lift_gain(self, seed: int, picks: Iterable[int]) -> float:
        """Mean over the picks of log2(lift), as the module docstring defines it."""
        liked = self.likes.get(seed, frozenset())
        gains = []
        for pick in picks:
            other = self.likes.get(pick, frozenset())
            shared = len(liked & other)
            if shared < MIN_SHARED_LIKERS:
                gains.append(0.0)
                continue
            lift = shared * self.users / (len(liked) * len(other))
            gains.append(max(0.0, math.log2(lift)))
        return float(np.mean(gains)) if gains else 0.0


def ground_truth(
    likes: Likes, candidates: set[int], groups: dict[int, int], seeds_from: set[int]
) -> GroundTruth:
    """Each seed's 20 nearest candidates by co-liking cosine (the seed and its duplicates excluded).

    Seeds are the films of `seeds_from` liked by at least 30 users.
    """
    universe = sorted(m for m, users in likes.items() if len(users) >= MIN_LIKES_UNIVERSE and m in candidates)
    users = sorted({u for m in universe for u in likes[m]})
    column = {u: j for j, u in enumerate(users)}
    rows = [i for i, movie in enumerate(universe) for _ in likes[movie]]
    cols = [column[u] for movie in universe for u in likes[movie]]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(universe), len(users))
    )
    norms = np.sqrt(np.asarray(matrix.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    seeds = [m for m in universe if len(likes[m]) >= MIN_LIKES_SEED and m in seeds_from]
    position = {m: i for i, m in enumerate(universe)}
    universe_groups = np.array([groups.get(m, -1 - i) for i, m in enumerate(universe)])
    neighbours: dict[int, frozenset[int]] = {}
    for seed in seeds:
        i = position[seed]
        scores = np.asarray((matrix @ matrix[i].T).todense()).ravel()
        scores[universe_groups == universe_groups[i]] = -1.0
        order = np.argsort(-scores, kind="stable")[:NEIGHBOURS]
        neighbours[seed] = frozenset(universe[j] for j in order if scores[j] > 0)
    all_users = len({u for liked in likes.values() for u in liked})
    return GroundTruth(seeds, neighbours, likes, all_users)
