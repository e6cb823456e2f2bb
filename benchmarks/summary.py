"""The closing table of `make bench SCALE=N`: each figure at 1x and Nx side by side, target and verdict."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from benchmarks.common import table

# Figures of one suite at one scale, by name (`benchmarks.*.measure` returns them per scale).
Figures = dict[str, float]
ByScale = dict[int, Figures]

# Per-route figures carry the route after this prefix: `ratio:score_titulo`, `cpu_ratio:...`.
RATIO = "ratio:"
CPU_RATIO = "cpu_ratio:"
P99 = "p99:"

OK, MISSED, NOT_MEASURED = "ok", "MISSED", "not measured"


@dataclass(frozen=True)
class Below:
    """The figure at N times stays under a ceiling."""

    limit: float
    unit: str = ""

    def describe(self) -> str:
        return f"< {self.limit:,g}{self.unit}"

    def verdict(self, base: float | None, scaled: float | None) -> str:
        if scaled is None:
            return NOT_MEASURED
        return OK if scaled < self.limit else MISSED


@dataclass(frozen=True)
class AtMostTimes:
    """The figure at N times is at most `times` the 1x figure (a cost that may grow, but boundedly)."""

    times: float

    def describe(self) -> str:
        return f"Nx/1x <= {self.times:g}"

    def verdict(self, base: float | None, scaled: float | None) -> str:
        if base is None or scaled is None or base <= 0:
            return NOT_MEASURED
        return OK if scaled / base <= self.times else MISSED


@dataclass(frozen=True)
class Keeps:
    """The figure at N times keeps at least `share` of its 1x value (a throughput must not fall)."""

    share: float

    def describe(self) -> str:
        return f"Nx/1x >= {self.share:g}"

    def verdict(self, base: float | None, scaled: float | None) -> str:
        if base is None or scaled is None or base <= 0:
            return NOT_MEASURED
        return OK if scaled / base >= self.share else MISSED


@dataclass(frozen=True)
class Holds:
    """A check that passes (1) or fails (0) at every scale."""

    def describe(self) -> str:
        return "yes at both"

    def verdict(self, base: float | None, scaled: float | None) -> str:
        if base is None or scaled is None:
            return NOT_MEASURED
        return OK if base == 1 and scaled == 1 else MISSED


Target = Below | AtMostTimes | Keeps | Holds


@dataclass(frozen=True)
class Row:
    label: str
    figure: str
    shown: Callable[[float], str] = field(default=lambda value: f"{value:,.1f}")
    target: Target | None = None
    # Whether an Nx/1x quotient means anything (not for a yes/no or a count of processes).
    compared: bool = True


def _mb(value: float) -> str:
    return f"{value:,.0f} MB"


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def _processes(value: float) -> str:
    return "1 / 1 / 1" if value == 3 else f"{value:g}"


def _yes(value: float) -> str:
    return "yes" if value == 1 else "no"


def rows(factor: int) -> list[Row]:
    """The table's rows, with the issue's targets at N times the catalogue."""
    return [
        Row("ETL wall time (python -m etl)", "etl_s", lambda v: f"{v:,.1f} s", AtMostTimes(1.1 * factor)),
        Row("ETL CPU time", "etl_cpu_s", lambda v: f"{v:,.1f} s"),
        Row("ETL peak RSS", "etl_rss_mb", _mb, Below(3072, " MB")),
        Row("Redis memory of the published version", "redis_mb", _mb),
        Row("query throughput / trivial app, worst route", "query_ratio_min", lambda v: f"{v:.2f}x"),
        Row(
            "  each route's Nx ratio / its 1x ratio, worst",
            "query_share_min",
            lambda v: f"{v:.2f}",
            Keeps(0.9),
        ),
        Row("  the same by CPU per request, worst", "query_cpu_share_min", lambda v: f"{v:.2f}"),
        Row("query p99, worst route", "query_p99_max", _ms),
        Row("API RSS after the load", "api_rss_mb", _mb),
        Row(
            "homonyms answer exactly (most voted, rest listed)",
            "homonyms_exact",
            _yes,
            Holds(),
            compared=False,
        ),
        Row("recommendation uncached p50 (through the API)", "uncached_p50_ms", _ms, Below(200, " ms")),
        Row("recommendation uncached p99", "uncached_p99_ms", _ms),
        Row("recommendation cached p50", "cached_p50_ms", _ms),
        Row("worker peak RSS serving", "worker_rss_mb", _mb, Below(1536, " MB")),
        Row("processes (API / worker / Redis)", "processes", _processes, compared=False),
    ]


def route_shares(base: Figures, scaled: Figures, prefix: str = RATIO) -> dict[str, float]:
    """Per route measured at both scales: its ratio at N times over its ratio at 1x."""
    shares: dict[str, float] = {}
    for name, value in base.items():
        if name.startswith(prefix) and value > 0 and name in scaled:
            shares[name.removeprefix(prefix)] = scaled[name] / value
    return shares


def derived(base: Figures, scaled: Figures) -> tuple[Figures, Figures]:
    """The two scales' figures with the per-route comparisons added (they need both scales)."""
    base, scaled = dict(base), dict(scaled)
    for figures in (base, scaled):
        ratios = [v for k, v in figures.items() if k.startswith(RATIO)]
        p99s = [v for k, v in figures.items() if k.startswith(P99)]
        if ratios:
            figures["query_ratio_min"] = min(ratios)
        if p99s:
            figures["query_p99_max"] = max(p99s)
    for name, prefix in (("query_share_min", RATIO), ("query_cpu_share_min", CPU_RATIO)):
        shares = route_shares(base, scaled, prefix)
        if shares:
            # A share is a comparison of two scales: it is 1 at 1x by definition.
            base[name], scaled[name] = 1.0, min(shares.values())
    return base, scaled


def merged(results: Mapping[int, list[Figures]]) -> ByScale:
    """Every suite's figures at each scale, in one mapping per scale."""
    return {scale: {k: v for figures in runs for k, v in figures.items()} for scale, runs in results.items()}


def route_table(base: Figures, scaled: Figures, factor: int) -> str:
    """Each query route's ratio to the trivial app at both scales, by throughput and by CPU."""
    header = [
        "route",
        "1x ratio",
        f"{factor}x ratio",
        "share",
        "1x cpu ratio",
        f"{factor}x cpu ratio",
        "share",
    ]
    lines = []
    for route in sorted(route_shares(base, scaled)):
        ratio, cpu = RATIO + route, CPU_RATIO + route
        cells = [route]
        for name in (ratio, cpu):
            one, many = base.get(name), scaled.get(name)
            cells += [_ratio(one), _ratio(many), f"{many / one:.2f}" if one and many is not None else "-"]
        lines.append(cells)
    return table(header, lines)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def verdicts(base: Figures, scaled: Figures, factor: int) -> list[tuple[Row, str]]:
    """Each row with a target and its verdict (`ok`, `MISSED` or `not measured`)."""
    base, scaled = derived(base, scaled)
    return [
        (row, row.target.verdict(base.get(row.figure), scaled.get(row.figure)))
        for row in rows(factor)
        if row.target
    ]


def render(base: Figures, scaled: Figures, factor: int) -> str:
    """The closing table: what | 1x | Nx | Nx/1x | target | verdict."""
    base, scaled = derived(base, scaled)
    lines = []
    for row in rows(factor):
        one, many = base.get(row.figure), scaled.get(row.figure)
        times = f"{many / one:.2f}" if row.compared and one and many is not None else ""
        target = row.target.describe() if row.target else ""
        verdict = row.target.verdict(one, many) if row.target else ""
        lines.append([row.label, _cell(row, one), _cell(row, many), times, target, verdict])
    header = ["what", "1x", f"{factor}x", f"{factor}x/1x", "target", "verdict"]
    return table(header, lines)


def _cell(row: Row, value: float | None) -> str:
    return "-" if value is None else row.shown(value)
