"""Draws each finding's figure as a PNG (matplotlib's Agg canvas; no display, no global pyplot state)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from etl.eda import spanish
from etl.eda.finding import Finding
from etl.eda.findings_quality import IMPLAUSIBLE_DOLLARS
from etl.eda.wordcloud_figure import draw_word_cloud

COLOR = "#2a6f97"
ACCENT = "#c8553d"
DPI = 110

Plotter = Callable[[Finding, Path], None]


def _figure(width: float = 10, height: float = 5) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _save(figure: Figure, path: Path) -> None:
    figure.savefig(path, dpi=DPI, facecolor="white")


def _plain_number(value: float, _position: object = None) -> str:
    if value >= 1 or value == 0:
        return spanish.number(value)
    return f"{value:g}".replace(".", ",")


def _money_tick(value: float, _position: object = None) -> str:
    if value >= 1e6:
        return f"{spanish.number(value / 1e6)} mill. $"
    return f"{spanish.number(value)} $"


def _thousands(axes: Axes, which: str = "y") -> None:
    (axes.yaxis if which == "y" else axes.xaxis).set_major_formatter(FuncFormatter(_plain_number))


def _bars(finding: Finding, path: Path, label: str, *, horizontal: bool) -> None:
    data = finding.data
    if horizontal:
        figure, axes = _figure(10, max(3.0, 0.38 * len(data) + 1))
        axes.barh(data[label].astype(str)[::-1], data["peliculas"][::-1], color=COLOR)
        axes.set_xlabel("Películas")
        _thousands(axes, "x")
    else:
        figure, axes = _figure()
        axes.bar(data[label].astype(str), data["peliculas"], color=COLOR)
        axes.set_ylabel("Películas")
        if len(data) > 7:
            axes.tick_params(axis="x", labelrotation=30)
        _thousands(axes, "y")
    axes.set_title(finding.title)
    axes.grid(axis="x" if horizontal else "y", alpha=0.3)
    _save(figure, path)


def _per_year(finding: Finding, path: Path) -> None:
    figure, axes = _figure(11, 4.5)
    axes.bar(finding.data["anio"], finding.data["peliculas"], width=1.0, color=COLOR)
    axes.set_xlabel("Año de estreno")
    axes.set_ylabel("Películas")
    axes.set_title(finding.title)
    axes.grid(axis="y", alpha=0.3)
    _thousands(axes)
    _save(figure, path)


def _log_histogram(finding: Finding, path: Path, column: str, xlabel: str, reference: float | None) -> None:
    values = finding.data[column].to_numpy(dtype=float)
    positive = values[values > 0]
    figure, axes = _figure()
    if len(positive):
        low, high = positive.min(), max(positive.max(), positive.min() * 10)
        bins = np.logspace(np.log10(low), np.log10(high), 50)
        if np.all(positive == np.round(positive)):
            # Whole numbers (votes): edges between integers, or the first bars would fall in gaps.
            bins = np.unique(np.floor(bins)) + 0.5
            bins = np.concatenate([[0.5], bins[bins > 0.5]])
        axes.hist(positive, bins=bins.tolist(), color=COLOR)
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(FuncFormatter(_plain_number))
    if reference is not None:
        axes.axvline(reference, color=ACCENT, linestyle="--", label=f"{spanish.integer(reference)} votos")
        axes.legend()
    zeros = int((values <= 0).sum())
    title = finding.title
    if zeros:
        title += f" — {spanish.integer(zeros)} películas con 0, fuera del gráfico"
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("Películas")
    axes.grid(axis="y", alpha=0.3)
    _thousands(axes)
    _save(figure, path)


def _runtime(finding: Finding, path: Path) -> None:
    minutes = finding.data["minutos"].to_numpy(dtype=float)
    figure, axes = _figure()
    axes.hist(np.clip(minutes, 0, 240), bins=list(range(0, 245, 5)), color=COLOR)
    axes.axvspan(80, 120, color=ACCENT, alpha=0.12, label="80-120 minutos")
    axes.legend()
    axes.set_xlabel("Minutos (las de más de 240 se cuentan en la última barra)")
    axes.set_ylabel("Películas")
    axes.set_title(finding.title)
    _thousands(axes)
    _save(figure, path)


def _budget_revenue(finding: Finding, path: Path) -> None:
    data = finding.data
    figure, axes = _figure(10, 7)
    if not data.empty:
        axes.scatter(data["budget"], data["revenue"], s=6, alpha=0.35, color=COLOR, linewidths=0)
        low = float(min(data["budget"].min(), data["revenue"].min()))
        high = float(max(data["budget"].max(), data["revenue"].max()))
        axes.plot([low, high], [low, high], color="grey", linestyle="--", linewidth=1, label="retorno = 1")
        if low < IMPLAUSIBLE_DOLLARS:
            axes.axvspan(
                low * 0.8, IMPLAUSIBLE_DOLLARS, color=ACCENT, alpha=0.07, label="presupuesto inverosímil"
            )
        axes.set_xscale("log")
        axes.set_yscale("log")
        # Outliers crowd the same corner: their names go in a column, each with a line to its point.
        labels = sorted(finding.hints.get("etiquetas", []), key=lambda item: -item[1])
        for position, (budget, revenue, label) in enumerate(labels):
            axes.scatter([budget], [revenue], s=30, color=ACCENT, zorder=3)
            axes.annotate(
                label,
                (budget, revenue),
                xytext=(0.36, 0.96 - 0.05 * position),
                textcoords="axes fraction",
                fontsize=8,
                va="center",
                arrowprops={"arrowstyle": "-", "color": ACCENT, "linewidth": 0.6},
            )
        axes.legend(loc="lower right")
        axes.xaxis.set_major_formatter(FuncFormatter(_money_tick))
        axes.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    axes.set_xlabel("Presupuesto (escala logarítmica)")
    axes.set_ylabel("Ingresos (escala logarítmica)")
    axes.set_title(f"{finding.title}: en rojo, los retornos más altos")
    axes.grid(alpha=0.3)
    _save(figure, path)


def _return_by_decade(finding: Finding, path: Path) -> None:
    data = finding.data
    figure, axes = _figure()
    if not data.empty:
        decades = sorted(data["decada"].unique())
        groups = [data.loc[data["decada"] == d, "retorno"].to_numpy() for d in decades]
        axes.boxplot(
            groups, tick_labels=[str(d) for d in decades], showfliers=True, flierprops={"markersize": 2}
        )
        axes.set_yscale("log")
        axes.axhline(
            1, color=ACCENT, linestyle="--", linewidth=1, label="retorno = 1 (recupera lo invertido)"
        )
        axes.legend()
    axes.set_xlabel("Década")
    axes.set_ylabel("Retorno (ingresos / presupuesto, escala logarítmica)")
    axes.set_title(f"{finding.title} (películas con presupuesto e ingresos conocidos)")
    axes.grid(axis="y", alpha=0.3)
    _save(figure, path)


def _correlations(finding: Finding, path: Path) -> None:
    matrix = finding.data
    figure, axes = _figure(8, 7)
    image = axes.imshow(matrix.to_numpy(dtype=float), cmap="RdBu_r", vmin=-1, vmax=1)
    labels = [str(c) for c in matrix.columns]
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    values = matrix.to_numpy(dtype=float)
    for i in range(len(labels)):
        for j in range(len(labels)):
            value = float(values[i, j])
            text = spanish.decimal(value, 2) if np.isfinite(value) else "-"
            axes.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if abs(value) > 0.6 else "black",
            )
    figure.colorbar(image, ax=axes, shrink=0.8, label="Correlación de Spearman")
    axes.set_title(finding.title)
    _save(figure, path)


def _missing(finding: Finding, path: Path) -> None:
    data = finding.data
    figure, axes = _figure(10, max(3.0, 0.35 * len(data) + 1))
    axes.barh(data["columna"][::-1], 100 * data["proporcion"][::-1], color=COLOR)
    for y, share in enumerate(data["proporcion"][::-1]):
        axes.text(100 * share + 0.5, y, spanish.percent(share), va="center", fontsize=8)
    axes.set_xlim(0, 110)
    axes.set_xlabel("% de películas")
    axes.set_title(finding.title)
    _save(figure, path)


def _people(finding: Finding, path: Path) -> None:
    data = finding.data
    rows = max(3, int((data.get("criterio", pd.Series(dtype=str)) == "todas").sum()))
    figure = Figure(figsize=(13, 0.38 * rows + 1.5), layout="constrained")
    panels = figure.subplots(1, 2)
    captions = {"todas": "Todas las películas (como la API)", "plausibles": "Sin presupuestos inverosímiles"}
    for axes, (criterion, caption) in zip(panels, captions.items(), strict=True):
        part = data[data["criterio"] == criterion] if not data.empty else data
        if not part.empty:
            axes.barh(part["nombre"].astype(str)[::-1], part["retorno_total"][::-1], color=COLOR)
            if part["retorno_total"].max() / max(part["retorno_total"].min(), 1e-9) > 100:
                axes.set_xscale("log")
            else:
                axes.xaxis.set_major_locator(MaxNLocator(4))
            axes.xaxis.set_major_formatter(FuncFormatter(_plain_number))
        axes.set_title(caption)
        axes.set_xlabel("Retorno total (suma de ingresos / presupuesto)")
        axes.grid(axis="x", alpha=0.3)
    figure.suptitle(finding.title)
    _save(figure, path)


def _anomalies(finding: Finding, path: Path) -> None:
    data = finding.data
    figure, axes = _figure(10, 4.5)
    axes.barh(data["anomalia"][::-1], data["peliculas"][::-1], color=ACCENT)
    for y, count in enumerate(data["peliculas"][::-1]):
        axes.text(count, y, f" {spanish.integer(count)}", va="center", fontsize=8)
    axes.set_xlabel("Películas")
    axes.set_title(finding.title)
    _thousands(axes, "x")
    _save(figure, path)


def _word_cloud(finding: Finding, path: Path) -> None:
    frequencies = dict(
        zip(finding.data.get("palabra", pd.Series(dtype=str)), finding.data.get("veces", []), strict=True)
    )
    draw_word_cloud(frequencies, path)


PLOTTERS: dict[str, Plotter] = {
    "estrenos_por_anio": _per_year,
    "estrenos_por_mes": lambda f, p: _bars(f, p, "mes", horizontal=False),
    "estrenos_por_dia": lambda f, p: _bars(f, p, "dia", horizontal=False),
    "votos": lambda f, p: _log_histogram(f, p, "votos", "Votos (escala logarítmica)", 2000),
    "popularidad": lambda f, p: _log_histogram(f, p, "popularidad", "Popularidad (escala logarítmica)", None),
    "presupuesto_ingresos": _budget_revenue,
    "retorno_por_decada": _return_by_decade,
    "correlaciones": _correlations,
    "generos": lambda f, p: _bars(f, p, "genero", horizontal=True),
    "productoras": lambda f, p: _bars(f, p, "productora", horizontal=True),
    "paises": lambda f, p: _bars(f, p, "pais", horizontal=True),
    "idiomas": lambda f, p: _bars(f, p, "idioma", horizontal=True),
    "duracion": _runtime,
    "faltantes": _missing,
    "palabras_titulos": _word_cloud,
    "directores_retorno": _people,
    "actores_retorno": _people,
    "anomalias": _anomalies,
}


def draw(finding: Finding, folder: Path) -> Path:
    """Writes the finding's figure into `folder` and returns its path."""
    path = folder / f"{finding.key}.png"
    PLOTTERS[finding.key](finding, path)
    return path
