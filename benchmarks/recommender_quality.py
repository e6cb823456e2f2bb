"""Offline quality of the recommender on the held-out seeds, next to three baselines, in one run.

Seeds are split once by the rule of `benchmarks.recommender_split` (even TMDB id: tuning, odd:
held-out); the weights in `etl.recommender` were fitted on the tuning half (`--tune` refits them
and prints them) and every figure here is for the held-out half: precision@5 against MovieLens
co-liking and the mean lift over popularity of the picks, each with a 95% bootstrap interval
over seeds. Only the first 5,000 records of the hybrid `movies_metadata.csv` are real and the
ratings only cover real films, so candidates (for every method) and neighbours are those real
rows; the recommender itself is fitted on the whole catalogue, as in production. `make eval`.
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

from benchmarks.common import movies_data
from benchmarks.recommender_split import GroundTruth, ground_truth, is_held_out, liked_sets
from etl.recommender import DEFAULT_PARAMS, DEFAULT_PRIOR, DEFAULT_WEIGHTS, duplicate_groups, fit
from etl.recommender_model import RecommenderModel
from etl.tfidf import l2_normalize, text_matrix
from shared.logging_setup import configure_logging

logger = logging.getLogger(__name__)

REAL_RECORDS = 5_000
K = 5
BOOTSTRAP_SAMPLES = 2_000
BOOTSTRAP_SEED = 20_261_204
TARGET_RATIO = 1.3

Recommender = Callable[[int], list[int]]


@dataclass(frozen=True)
class EvalData:
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame
    real_ids: set[int]
    truth: GroundTruth


@dataclass(frozen=True)
class Row:
    method: str
    precision: npt.NDArray[np.float64]  # per held-out seed
    lift: npt.NDArray[np.float64]
    collection_real: float
    collection_all: float | None

    @property
    def mean_precision(self) -> float:
        return float(self.precision.mean()) if len(self.precision) else 0.0

    @property
    def mean_lift(self) -> float:
        return float(self.lift.mean()) if len(self.lift) else 0.0


def bootstrap(statistic: Callable[[npt.NDArray[np.intp]], float], seeds: int) -> tuple[float, float]:
    """95% percentile interval of `statistic` over seeds drawn with replacement (fixed draws)."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    values = [statistic(rng.integers(0, seeds, seeds)) for _ in range(BOOTSTRAP_SAMPLES)]
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def collection_hit_rate(recommend: Recommender, movies: pd.DataFrame, among: set[int] | None = None) -> float:
    """Share of films with a collection sibling (among the candidates) that get one in their 5."""
    frame = movies[movies["collection_id"].notna()]
    if among is not None:
        frame = frame[frame["id"].isin(among)]
    group_of = dict(zip(movies["id"].astype(int), duplicate_groups(movies).tolist(), strict=True))
    hits = total = 0
    for ids in frame.groupby("collection_id")["id"].agg(list):
        for movie in ids:
            siblings = {int(m) for m in ids if group_of[int(m)] != group_of[int(movie)]}
            if siblings:
                total += 1
                hits += bool(siblings & set(recommend(int(movie))))
    return hits / total if total else 0.0


def ours(model: RecommenderModel, allowed: npt.NDArray[np.bool_] | None) -> Recommender:
    return lambda movie: [pick.movie_id for pick in model.top_k(movie, K, allowed=allowed)]


def overview_only(movies: pd.DataFrame, allowed: npt.NDArray[np.bool_] | None) -> Recommender:
    """Plain TF-IDF over the overview, cosine order, nothing else (the textbook recommender)."""
    text = movies["overview"].fillna("").astype(str).tolist()
    matrix = l2_normalize(text_matrix(text, r"(?u)\b\w\w+\b", min_df=1, max_df=1.0))
    model = RecommenderModel(
        matrix=matrix, ids=movies["id"].to_numpy(dtype=np.int64), groups=duplicate_groups(movies)
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


def load_catalogue(source: Path, data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, set[int]]:
    """The clean tables the ETL builds from `source`, and the ids of its real rows."""
    from etl.pipeline import build_dataset

    build = build_dataset(source, data_dir)
    real = real_ids_of(source) & set(build.movies["id"].astype(int))
    return build.movies, build.cast, build.directors, real


def load(source: Path, data_dir: Path) -> EvalData:
    """The catalogue and the held-out ground truth (every rating is read: this is the judging side)."""
    movies, cast, directors, real = load_catalogue(source, data_dir)
    groups = dict(zip(movies["id"].astype(int), duplicate_groups(movies).tolist(), strict=True))
    likes = liked_sets(
        pd.read_csv(source / "ratings_small.csv.gz"), pd.read_csv(source / "links_small.csv.gz")
    )
    held_out = {m for m in real if is_held_out(m)}
    truth = ground_truth(likes, real, groups, seeds_from=held_out)
    return EvalData(movies, cast, directors, real, truth)


def _judge(name: str, recommend: Recommender, on_all: Recommender | None, data: EvalData) -> Row:
    picks = [recommend(seed)[:K] for seed in data.truth.seeds]
    precision = np.array(
        [len(set(p) & data.truth.neighbours[s]) / K for s, p in zip(data.truth.seeds, picks, strict=True)]
    )
    lift = np.array([data.truth.lift_gain(s, p) for s, p in zip(data.truth.seeds, picks, strict=True)])
    real_hits = collection_hit_rate(recommend, data.movies, data.real_ids)
    all_hits = collection_hit_rate(on_all, data.movies) if on_all is not None else None
    return Row(name, precision, lift, real_hits, all_hits)


def evaluate(data: EvalData, model: RecommenderModel | None = None) -> list[Row]:
    """Every method on the held-out seeds: ours first, then the baselines."""
    movies = data.movies
    allowed = movies["id"].astype(int).isin(data.real_ids).to_numpy()
    model = model or fit(movies, data.cast, data.directors)
    return [
        _judge("recomendador", ours(model, allowed), ours(model, None), data),
        _judge("más populares (vote_count)", most_popular(movies, data.real_ids), None, data),
        _judge("TF-IDF solo sobre overview", overview_only(movies, allowed), None, data),
        _judge("aleatorio", random_pick(data.real_ids), None, data),
    ]


def _interval(values: npt.NDArray[np.float64]) -> str:
    low, high = bootstrap(lambda idx: float(values[idx].mean()), len(values))
    return f"{values.mean():.3f} [{low:.3f}, {high:.3f}]"


def judgement(rows: Sequence[Row]) -> list[str]:
    """Ours against the most-popular list, paired over the same resampled seeds."""
    mine, popular = rows[0], rows[1]
    n = len(mine.precision)
    ratio = mine.mean_precision / popular.mean_precision if popular.mean_precision else float("inf")
    low, high = bootstrap(
        lambda idx: float(mine.precision[idx].mean() / max(popular.precision[idx].mean(), 1e-9)), n
    )
    ahead = mine.mean_lift - popular.mean_lift
    lift_low, lift_high = bootstrap(lambda idx: float(mine.lift[idx].mean() - popular.lift[idx].mean()), n)
    verdict = "cumple" if ratio >= TARGET_RATIO else "NO cumple"
    lift_verdict = "por delante" if lift_low > 0 else "NO por delante"
    return [
        f"precision@5 recomendador / más populares: {ratio:.2f}x [{low:.2f}, {high:.2f}] "
        f"(objetivo >= {TARGET_RATIO}x: {verdict})",
        f"lift recomendador - más populares: {ahead:+.3f} [{lift_low:+.3f}, {lift_high:+.3f}] "
        f"({lift_verdict})",
    ]


def format_table(rows: Sequence[Row], data: EvalData) -> str:
    lines = [
        f"semillas retenidas (id TMDB impar): {len(data.truth.seeds)} películas reales con >= 30 'me gusta'; "
        f"candidatas: {len(data.real_ids)} filas reales; modelo ajustado sobre {len(data.movies)} películas; "
        f"intervalos: bootstrap 95% ({BOOTSTRAP_SAMPLES} remuestreos de semillas)",
        f"{'método':<28} {'precision@5 (co-gusto)':>24} {'lift sobre popularidad':>24} "
        f"{'colección (reales)':>19} {'colección (todo)':>17}",
    ]
    for row in rows:
        every = "-" if row.collection_all is None else f"{row.collection_all:.1%}"
        lines.append(
            f"{row.method:<28} {_interval(row.precision):>24} {_interval(row.lift):>24} "
            f"{row.collection_real:>19.1%} {every:>17}"
        )
    return "\n".join([*lines, *judgement(rows)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="carpeta de los datos (MOVIES_DATA)")
    parser.add_argument(
        "--tune", action="store_true", help="reajustar los pesos sobre la mitad de ajuste e imprimirlos"
    )
    # Called as main() by `python -m benchmarks`: the suite's own argv is not ours.
    args = parser.parse_args(list(argv) if argv is not None else [])
    configure_logging("benchmarks", "WARNING")
    source: Path = args.data or movies_data()
    if not (source / "ratings_small.csv.gz").exists():
        logger.error("%s no contiene ratings_small.csv.gz ni links_small.csv.gz", source)
        return 2
    started = time.perf_counter()
    if args.tune:
        from benchmarks.recommender_tuning import main as tune

        return tune(source)
    with tempfile.TemporaryDirectory() as tmp:
        data = load(source, Path(tmp))
    rows = evaluate(data)
    sys.stdout.write(format_table(rows, data) + "\n")
    weights = ", ".join(f"{name} {value:g}" for name, value in DEFAULT_WEIGHTS.as_dict().items())
    sys.stdout.write(
        f"pesos (ajustados sobre la mitad de ajuste, id par): {weights}; "
        f"previa: votos^{DEFAULT_PRIOR.votes_exponent:g} x (promedio suavizado con "
        f"{DEFAULT_PRIOR.shrink_votes:g} votos)^{DEFAULT_PRIOR.average_exponent:g}; "
        f"{DEFAULT_PARAMS.candidates} candidatas\n"
    )
    sys.stdout.write(f"({time.perf_counter() - started:.0f} s)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
