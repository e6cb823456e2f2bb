"""`make eda` as an operator runs it: it finds or builds the tables of MOVIES_DATA, and explains bad input."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from etl.eda.inputs import build_of, load_tables, resolve_input
from etl.eda.report import build_report
from etl.pipeline import Build
from shared.settings import REPO_ROOT, SAMPLE_DATA, EtlSettings


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl.eda", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_a_folder_without_tables_is_explained_in_spanish(tmp_path: Path) -> None:
    result = _run(
        "--input", str(tmp_path), "--output", str(tmp_path / "out"), env={"DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 2
    assert "No encuentro movies.parquet" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_source_is_explained_in_spanish(tmp_path: Path) -> None:
    result = _run(
        "--output",
        str(tmp_path / "out"),
        env={"DATA_DIR": str(tmp_path), "MOVIES_DATA": str(tmp_path / "nope")},
    )
    assert result.returncode == 2
    assert "No encuentro los datos de origen" in result.stderr
    assert "Traceback" not in result.stderr


def _small_source(folder: Path, movies: int) -> Path:
    """The sample's first `movies` rows, a different source (other bytes, other digest)."""
    folder.mkdir()
    for name in ("movies_metadata", "credits"):
        frame = pd.read_csv(SAMPLE_DATA / f"{name}.csv.gz", dtype=str, keep_default_na=False)
        with gzip.open(folder / f"{name}.csv.gz", "wt", encoding="utf-8", newline="") as handle:
            frame.head(movies).to_csv(handle, index=False)
    return folder


def test_runs_the_etl_when_tables_are_missing_and_follows_movies_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    sample = EtlSettings(movies_data=SAMPLE_DATA, data_dir=data_dir)
    first = resolve_input(sample, None)
    assert (first / "movies.parquet").exists()
    assert len(pd.read_parquet(first / "movies.parquet")) == 1997
    # The same source again: the existing build is reused, nothing is rebuilt.
    assert resolve_input(sample, None) == first
    # Another MOVIES_DATA gets its own build, even though the sample's is the newest one here.
    small = EtlSettings(movies_data=_small_source(tmp_path / "small", 60), data_dir=data_dir)
    second = resolve_input(small, None)
    assert second != first
    assert len(pd.read_parquet(second / "movies.parquet")) <= 60
    # Back to the sample: its earlier build is found again.
    assert build_of(data_dir, first.name.rsplit("-", 1)[1]) == first
    assert resolve_input(sample, None) == first


def test_a_tiny_catalogue_still_gives_a_complete_report(tmp_path: Path) -> None:
    """Few films, no budgets at all: every section still says something true instead of failing."""
    source = _small_source(tmp_path / "tiny", 12)
    folder = resolve_input(EtlSettings(movies_data=source, data_dir=tmp_path / "var"), None)
    tables = load_tables(folder)
    tables.movies["budget"] = 0.0
    tables.movies["return"] = 0.0
    report = build_report(tables, tmp_path / "out")
    assert report.index.exists()
    sentences = {f.key: f.sentence for f in report.findings}
    assert "no hay relación que medir" in sentences["presupuesto_ingresos"]
    assert "no hay retorno que comparar" in sentences["retorno_por_decada"]
    assert "no hay retorno que ordenar" in sentences["directores_retorno"]
    assert all(path.stat().st_size > 0 for path in report.figures)


def test_default_output_is_reports_eda(sample_build: Build, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "etl.eda", "--input", str(sample_build.folder)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reports" / "eda" / "index.html").exists()
