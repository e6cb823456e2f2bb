"""The data-quality report every ETL run writes: what was read, dropped, duplicated or unparsable."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class QualityReport:
    movie_rows_read: int = 0
    credit_rows_read: int = 0
    # Reason -> rows of movies_metadata.csv dropped for it (Spanish-readable codes).
    dropped: Counter[str] = field(default_factory=Counter)
    duplicated_ids: int = 0
    duplicated_rows: int = 0
    fully_duplicated_rows: int = 0
    # Records split by a stray line break: their `id` holds something that is not a number.
    malformed_records: list[str] = field(default_factory=list)
    # Column -> cells that could not be parsed (their value was taken as empty).
    parse_errors: Counter[str] = field(default_factory=Counter)
    credit_duplicated_rows: int = 0
    credits_without_movie: int = 0
    movies_without_credits: int = 0
    clean_movies: int = 0
    cast_rows: int = 0
    director_rows: int = 0

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["dropped"] = dict(self.dropped)
        data["parse_errors"] = dict(self.parse_errors)
        return data

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def summary(self) -> str:
        """A few lines for the console, in Spanish like everything a person reads."""
        dropped = ", ".join(f"{reason}: {count}" for reason, count in sorted(self.dropped.items()))
        errors = ", ".join(f"{col}: {count}" for col, count in sorted(self.parse_errors.items()))
        return "\n".join(
            [
                f"Películas leídas: {self.movie_rows_read} filas; limpias: {self.clean_movies}.",
                f"Descartadas por motivo: {dropped or 'ninguna'}.",
                f"Ids repetidos: {self.duplicated_ids} ({self.duplicated_rows} filas extra, "
                f"{self.fully_duplicated_rows} idénticas).",
                f"Registros malformados descartados: {len(self.malformed_records)} "
                f"({', '.join(self.malformed_records) or '-'}).",
                f"Celdas ilegibles: {errors or 'ninguna'}.",
                f"Créditos leídos: {self.credit_rows_read} filas ({self.credit_duplicated_rows} repetidas, "
                f"{self.credits_without_movie} sin película); películas sin créditos: "
                f"{self.movies_without_credits}.",
                f"Reparto: {self.cast_rows} filas; dirección: {self.director_rows} filas.",
            ]
        )
