"""What every section of the report is made of: the numbers, the Spanish sentence and the data to draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

Number = int | float | str


def top_label(series: pd.Series) -> Any:
    """The index label of the largest value (the first one on ties)."""
    return series.index[int(np.argmax(series.to_numpy()))]


def bottom_label(series: pd.Series) -> Any:
    """The index label of the smallest value (the first one on ties)."""
    return series.index[int(np.argmin(series.to_numpy()))]


@dataclass(frozen=True)
class Table:
    """Rows shown under a figure, already formatted for reading."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Finding:
    """One section: `numbers` are the values the `sentence` states, `data` is what the figure draws."""

    key: str
    title: str
    sentence: str
    numbers: dict[str, Number]
    data: pd.DataFrame
    tables: list[Table] = field(default_factory=list)
    # Hints the plot needs besides the data (labels to annotate, reference lines).
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tables:
    """The clean tables of one build, as the ETL wrote them."""

    folder: Path
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame
    quality: dict[str, Any]
