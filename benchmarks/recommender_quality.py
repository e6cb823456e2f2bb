"""Offline quality of the recommender: precision@5 against MovieLens co-liking, with baselines.

Ground truth: for a seed movie, its 20 nearest movies by co-liking (cosine between the sets of
users who rated each movie 4 or more in `ratings_small.csv.gz`, over movies liked by at least
10 users), mapped to TMDB ids with `links_small.csv.gz`. Seeds: real rows liked by at least 30
users. Only the first 5,000 records of the hybrid `movies_metadata.csv` are real, and the
ratings only cover real films, so candidates (for every method) and ground-truth neighbours are
restricted to those real rows; the recommender itself is fitted on the whole catalogue, as in
production (the IDF weights are the product's). Run with `make eval`.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from benchmarks.common import movies_data
from etl.recommender import DEFAULT_PARAMS, DEFAULT_WEIGHTS, FeatureWeights, duplicate_groups, fit
from etl.recommender_model import RankingParams, RecommenderModel
from shared.logging_setup import configure_logging

logger = logging.getLogger(__name__)

REAL_RECORDS = 5_000
LIKED_RATING = 4.0
MIN_LIKES_UNIVERSE = 10
MIN_LIKES_SEED = 30
NEIGHBOURS = 20
K = 5

Recommender = Callable[[int], list[int]]


@dataclass(frozen=True)
class GroundTruth:
    seeds: list[int]
    neighbours: dict[int, set[int]]


@dataclass(frozen=True)
class EvalData:
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame
    real_ids: set[int]
    truth: GroundTruth


def liked_sets(ratings: pd.DataFrame, links: pd.DataFrame) -> dict[int, set[int]]:
    """TMDB id -> users who rated the film 4 or more."""
    tmdb = links.dropna(subset=["tmdbId"]).set_index("movieId")["tmdbId"].astype("int64")
    liked = ratings[ratings["rating"] >= LIKED_RATING]
    liked = liked[liked["movieId"].isin(tmdb.index)]
    liked = liked.assign(tmdb=liked["movieId"].map(tmdb))
    return {int(str(k)): set(v) for k, v in liked.groupby("tmdb")["userId"]}


def ground_truth(likes: dict[int, set[int]], candidates: set[int], groups: dict[int, int]) -> GroundTruth:
    """Each seed's 20 nearest candidates by co-liking cosine (the seed and its duplicates excluded)."""
    universe = sorted(m for m, users in likes.items() if len(users) >= MIN_LIKES_UNIVERSE and m in candidates)
    users = sorted({u for m in universe for u in likes[m]})
    column = {u: j for j, u in enumerate(users)}
    rows, cols = [], []
    for i, movie in enumerate(universe):
        for u in likes[movie]:
            rows.append(i)
            cols.append(column[u])
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(universe), len(users))
    )
    matrix = normalize(matrix, norm="l2")
    cosine = (matrix @ matrix.T).toarray()
    seeds = [m for m in universe if len(likes[m]) >= MIN_LIKES_SEED]
    neighbours: dict[int, set[int]] = {}
    for seed in seeds:
        i = universe.index(seed)
        scores = cosine[i].copy()
        for j, other in enumerate(universe):
            if groups.get(other) == groups.get(seed):
                scores[j] = -1.0
        order = np.argsort(-scores, kind="stable")[:NEIGHBOURS]
        neighbours[seed] = {universe[j] for j in order if scores[j] > 0}
    return GroundTruth(seeds=seeds, neighbours=neighbours)


def precision_per_seed(recommend: Recommender, truth: GroundTruth) -> list[float]:
    return [len(set(recommend(seed)[:K]) & truth.neighbours[seed]) / K for seed in truth.seeds]


def precision_at_k(recommend: Recommender, truth: GroundTruth) -> float:
    hits = precision_per_seed(recommend, truth)
    return float(np.mean(hits)) if hits else 0.0


@dataclass(frozen=True)
class Row:
    method: str
    precision: float
    # Half-width of a 95% interval over seeds: differences smaller than this are noise.
    margin: float
    collection_real: float
    collection_all: float | None


def collection_hit_rate(
    recommend: Recommender, movies: pd.DataFrame, among: set[int] | None = None
) -> tuple[float, int]:
    """Share of films with a collection sibling (among the candidates) that get one in their 5."""
    frame = movies[movies["collection_id"].notna()]
    if among is not None:
        frame = frame[frame["id"].isin(among)]
    groups = duplicate_groups(movies)
    group_of = dict(zip(movies["id"].astype(int), groups.tolist(), strict=True))
    members = frame.groupby("collection_id")["id"].agg(list)
    hits = total = 0
    for ids in members:
        for movie in ids:
            siblings = {int(m) for m in ids if group_of[int(m)] != group_of[int(movie)]}
            if not siblings:
                continue
            total += 1
            hits += bool(siblings & set(recommend(int(movie))))
    return (hits / total if total else 0.0), total


def ours(model: RecommenderModel, allowed: npt.NDArray[np.bool_] | None) -> Recommender:
    return lambda movie: [m for m, _ in model.top_k(movie, K, allowed=allowed)]


def overview_only(movies: pd.DataFrame, allowed: npt.NDArray[np.bool_] | None) -> Recommender:
    text = movies["overview"].fillna("").astype(str).tolist()
    matrix = TfidfVectorizer(stop_words="english", dtype=np.float32).fit_transform(text)
    model = RecommenderModel(
        matrix=normalize(matrix).astype(np.float32).tocsr(),
        ids=movies["id"].to_numpy(dtype=np.int64),
        groups=duplicate_groups(movies),
        params=RankingParams(prior_weight=0.0),
    )
    return ours(model, allowed)


def most_popular(movies: pd.DataFrame, candidates: set[int]) -> Recommender:
    ranked = movies[movies["id"].isin(candidates)].sort_values(["vote_count", "id"], ascending=[False, True])
    top = ranked["id"].astype(int).head(K + 1).tolist()
    return lambda movie: [m for m in top if m != movie][:K]


def random_pick(candidates: set[int], seed: int = 7) -> Recommender:
    pool = np.array(sorted(candidates))
    rng = np.random.default_rng(seed)

    def pick(movie: int) -> list[int]:
        chosen = rng.choice(pool, size=K + 1, replace=False).tolist()
        return [int(m) for m in chosen if m != movie][:K]

    return pick


def real_ids_of(source: Path) -> set[int]:
    """Ids of the first 5,000 records of the raw movies file: the only real ones of the hybrid build."""
    from shared.source import locate

    raw = locate(source)
    if raw.zip_path is not None:
        import zipfile

        with zipfile.ZipFile(raw.zip_path) as archive, archive.open(raw.movies) as handle:
            ids = pd.read_csv(handle, usecols=["id"], nrows=REAL_RECORDS, dtype=str)["id"]
    else:
        ids = pd.read_csv(raw.movies, usecols=["id"], nrows=REAL_RECORDS, dtype=str)["id"]
    return {int(v) for v in pd.to_numeric(ids, errors="coerce").dropna()}


def load(source: Path, data_dir: Path) -> EvalData:
    from etl.pipeline import build_dataset

    build = build_dataset(source, data_dir)
    movies, cast, directors = build.movies, build.cast, build.directors
    real = real_ids_of(source) & set(movies["id"].astype(int))
    groups = dict(zip(movies["id"].astype(int), duplicate_groups(movies).tolist(), strict=True))
    ratings = pd.read_csv(source / "ratings_small.csv.gz")
    links = pd.read_csv(source / "links_small.csv.gz")
    truth = ground_truth(liked_sets(ratings, links), real, groups)
    return EvalData(movies, cast, directors, real, truth)


def evaluate(
    data: EvalData,
    weights: FeatureWeights = DEFAULT_WEIGHTS,
    params: RankingParams = DEFAULT_PARAMS,
    baselines: bool = True,
) -> list[Row]:
    """precision@5 and collection hit rates (real rows; whole catalogue) per method."""
    movies = data.movies
    allowed = movies["id"].astype(int).isin(data.real_ids).to_numpy()
    model = fit(movies, data.cast, data.directors, weights, params)
    table: list[Row] = []
    methods: list[tuple[str, Recommender, Recommender | None]] = [
        (
            "recomendador (bloques ponderados + previa de popularidad)",
            ours(model, allowed),
            ours(model, None),
        ),
    ]
    if baselines:
        no_prior = RecommenderModel(model.matrix, model.ids, model.groups, model.prior, RankingParams(0.0))
        methods += [
            ("recomendador, candidatas = catálogo completo", ours(model, None), None),
            ("recomendador sin previa de popularidad", ours(no_prior, allowed), None),
            ("TF-IDF solo sobre overview", overview_only(movies, allowed), None),
            ("más populares (vote_count)", most_popular(movies, data.real_ids), None),
            ("aleatorio", random_pick(data.real_ids), None),
        ]
    for name, on_real, on_all in methods:
        hits = precision_per_seed(on_real, data.truth)
        margin = 1.96 * float(np.std(hits, ddof=1)) / np.sqrt(len(hits)) if len(hits) > 1 else 0.0
        real_hits, _ = collection_hit_rate(on_real, movies, data.real_ids)
        all_hits = collection_hit_rate(on_all, movies)[0] if on_all is not None else None
        table.append(Row(name, float(np.mean(hits)) if hits else 0.0, margin, real_hits, all_hits))
    return table


def format_table(rows: Sequence[Row], data: EvalData) -> str:
    with_collection = int(data.movies["collection_id"].notna().sum())
    lines = [
        f"semillas: {len(data.truth.seeds)} películas reales con >= {MIN_LIKES_SEED} 'me gusta' "
        f"(verdad: sus {NEIGHBOURS} vecinas por co-gusto entre películas con >= {MIN_LIKES_UNIVERSE}); "
        f"candidatas: {len(data.real_ids)} filas reales; modelo ajustado sobre {len(data.movies)} películas; "
        f"{with_collection} películas con colección",
        f"{'método':<52} {'precision@5':>16} {'colección (reales)':>19} {'colección (todo)':>17}",
    ]
    for row in rows:
        all_text = "-" if row.collection_all is None else f"{row.collection_all:.1%}"
        precision = f"{row.precision:.3f} ± {row.margin:.3f}"
        lines.append(f"{row.method:<52} {precision:>16} {row.collection_real:>19.1%} {all_text:>17}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="carpeta de los datos (MOVIES_DATA)")
    # Called as main() by `python -m benchmarks`: the suite's own argv is not ours.
    args = parser.parse_args(list(argv) if argv is not None else [])
    configure_logging("benchmarks", "WARNING")
    source: Path = args.data or movies_data()
    if not (source / "ratings_small.csv.gz").exists():
        logger.error("%s no contiene ratings_small.csv.gz ni links_small.csv.gz", source)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = load(source, Path(tmp))
    rows = evaluate(data)
    sys.stdout.write(format_table(rows, data) + "\n")
    weights = ", ".join(f"{name} {value:g}" for name, value in DEFAULT_WEIGHTS.as_dict().items())
    sys.stdout.write(f"pesos: {weights}; previa de popularidad {DEFAULT_PARAMS.prior_weight:g}\n")
    sys.stdout.write(f"({time.perf_counter() - started:.0f} s)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
