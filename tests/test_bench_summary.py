"""The closing table of `make bench SCALE=N`: verdicts against the issue's targets, per-route shares."""

from __future__ import annotations

from benchmarks.api_load import Result, route_figures
from benchmarks.summary import (
    MISSED,
    NOT_MEASURED,
    OK,
    AtMostTimes,
    Below,
    Figures,
    Holds,
    Keeps,
    merged,
    render,
    route_table,
    verdicts,
)


def _figures(ratios: dict[str, float], **extra: float) -> Figures:
    figures: Figures = {f"ratio:{route}": value for route, value in ratios.items()}
    figures.update({f"cpu_ratio:{route}": value for route, value in ratios.items()})
    figures.update({f"p99:{route}": 5.0 for route in ratios})
    figures.update(extra)
    return figures


def test_each_kind_of_target() -> None:
    assert Below(200).verdict(11.8, 199.9) == OK
    assert Below(200).verdict(11.8, 200.0) == MISSED
    assert Below(200).verdict(11.8, None) == NOT_MEASURED
    assert AtMostTimes(11).verdict(30.0, 330.0) == OK
    assert AtMostTimes(11).verdict(30.0, 331.0) == MISSED
    assert AtMostTimes(11).verdict(None, 100.0) == NOT_MEASURED
    assert Keeps(0.9).verdict(2.0, 1.8) == OK
    assert Keeps(0.9).verdict(2.0, 1.79) == MISSED
    assert Keeps(0.9).verdict(0.0, 1.0) == NOT_MEASURED
    assert Holds().verdict(1, 1) == OK
    assert Holds().verdict(1, 0) == MISSED
    assert Holds().verdict(None, 1) == NOT_MEASURED


def _verdict_of(label_start: str, base: Figures, scaled: Figures) -> str:
    found = [
        verdict for row, verdict in verdicts(base, scaled, 10) if row.label.strip().startswith(label_start)
    ]
    assert len(found) == 1
    return found[0]


def test_every_route_must_keep_ninety_percent_of_its_own_ratio() -> None:
    base = _figures({"score_titulo": 2.5, "get_actor": 1.5})
    # get_actor keeps 1.36 / 1.5 = 0.91 of its ratio: fine, though lower than score_titulo's.
    kept = _figures({"score_titulo": 2.4, "get_actor": 1.36})
    assert _verdict_of("each route's", base, kept) == OK
    # score_titulo still has the best ratio of all at 10x, but lost 16% of its own.
    lost = _figures({"score_titulo": 2.1, "get_actor": 1.5})
    assert _verdict_of("each route's", base, lost) == MISSED
    # A route measured at one scale only is not compared.
    assert _verdict_of("each route's", base, _figures({"buscar": 3.0})) == NOT_MEASURED


def test_recommendation_worker_and_homonym_targets_at_ten_times() -> None:
    base = {"uncached_p50_ms": 11.8, "worker_rss_mb": 136.0, "homonyms_exact": 1.0}
    good = {"uncached_p50_ms": 19.2, "worker_rss_mb": 719.0, "homonyms_exact": 1.0}
    assert _verdict_of("recommendation uncached p50", base, good) == OK
    assert _verdict_of("worker peak RSS", base, good) == OK
    assert _verdict_of("homonyms", base, good) == OK
    bad = {"uncached_p50_ms": 250.0, "worker_rss_mb": 1600.0, "homonyms_exact": 0.0}
    assert _verdict_of("recommendation uncached p50", base, bad) == MISSED
    assert _verdict_of("worker peak RSS", base, bad) == MISSED
    assert _verdict_of("homonyms", base, bad) == MISSED
    assert _verdict_of("ETL peak RSS", base, good) == NOT_MEASURED


def test_the_table_puts_both_scales_side_by_side() -> None:
    by_scale = merged(
        {
            1: [{"etl_s": 30.0, "etl_rss_mb": 655.0}, _figures({"score_titulo": 2.5}, uncached_p50_ms=11.8)],
            10: [
                {"etl_s": 190.0, "etl_rss_mb": 3201.0},
                _figures({"score_titulo": 2.4}, uncached_p50_ms=19.2),
            ],
        }
    )
    text = render(by_scale[1], by_scale[10], 10)
    lines = {
        line.split(" | ")[0].strip(): [cell.strip() for cell in line.split(" | ")]
        for line in text.splitlines()
    }
    assert lines["ETL wall time (python -m etl)"][1:] == ["30.0 s", "190.0 s", "6.33", "Nx/1x <= 11", OK]
    assert lines["ETL peak RSS"][1:] == ["655 MB", "3,201 MB", "4.89", "< 3,072 MB", MISSED]
    assert lines["recommendation uncached p50 (through the API)"][-1] == OK
    assert lines["query throughput / trivial app, worst route"][1:3] == ["2.50x", "2.40x"]
    assert lines["worker peak RSS serving"][1:] == ["-", "-", "", "< 1,536 MB", NOT_MEASURED]
    routes = route_table(by_scale[1], by_scale[10], 10)
    assert "score_titulo" in routes and "0.96" in routes


def test_route_figures_name_routes_alike_at_every_scale() -> None:
    trivial = Result("trivial {ok: true}", "/ok", 10_000.0, 1.0, 10.0, 0, 50_000, 70.0)
    results = [
        Result("score_titulo", "/score_titulo/x", 25_000.0, 1.0, 5.0, 0, 125_000, 28.0),
        Result("score_titulo (no memo)", "/score_titulo/x", 5_000.0, 1.0, 9.0, 0, 25_000, 140.0),
        Result("mixed (3011 questions)", "3011 paths", 18_000.0, 1.0, 19.0, 0, 90_000, 35.0),
    ]
    figures = route_figures(trivial, trivial, results)
    assert figures == {
        "ratio:score_titulo": 2.5,
        "p99:score_titulo": 5.0,
        "cpu_ratio:score_titulo": 2.5,
        "ratio:mixed": 1.8,
        "p99:mixed": 19.0,
        "cpu_ratio:mixed": 2.0,
    }
