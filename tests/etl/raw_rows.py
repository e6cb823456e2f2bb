"""Hand-written raw Kaggle rows holding each real defect, written as the real files are."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

HEADER = [
    "adult", "belongs_to_collection", "budget", "genres", "homepage", "id", "imdb_id",
    "original_language", "original_title", "overview", "popularity", "poster_path",
    "production_companies", "production_countries", "release_date", "revenue", "runtime",
    "spoken_languages", "status", "tagline", "title", "video", "vote_average", "vote_count",
]  # fmt: skip


def movie(movie_id: str, title: str, date: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row.update(
        adult="False", id=movie_id, title=title, original_title=title, release_date=date,
        budget="0", revenue="0", popularity="1.5", vote_average="6.0", vote_count="10",
        genres="[]", production_companies="[]", production_countries="[]",
        spoken_languages="[{'iso_639_1': 'en', 'name': 'English'}]", status="Released",
        video="False", runtime="90.0", overview="A film.",
    )  # fmt: skip
    row.update(fields)
    return row


def person(pid: int, name: str, order: int) -> str:
    return (
        f"{{'cast_id': {order + 1}, 'character': 'Role', 'credit_id': 'c{pid}x{order}', "
        f"'gender': 0, 'id': {pid}, 'name': {name!r}, 'order': {order}, 'profile_path': None}}"
    )


def director(pid: int, name: str, job: str = "Director") -> str:
    return (
        f"{{'credit_id': 'd{pid}', 'department': 'Directing', 'gender': 0, 'id': {pid}, "
        f"'job': {job!r}, 'name': {name!r}, 'profile_path': None}}"
    )


def write_movies(
    folder: Path, rows: list[dict[str, str]], *, shifted_tail: str | None = None, gz: bool = False
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    if shifted_tail is not None:
        text += shifted_tail
    data = text.encode("utf-8")
    if gz:
        (folder / "movies_metadata.csv.gz").write_bytes(gzip.compress(data))
    else:
        (folder / "movies_metadata.csv").write_bytes(data)


def write_credits(folder: Path, rows: list[tuple[str, list[str], list[str]]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["cast", "crew", "id"])
    for movie_id, cast, crew in rows:
        writer.writerow([f"[{', '.join(cast)}]", f"[{', '.join(crew)}]", movie_id])
    (folder / "credits.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _csv_line(fields: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


# A record split by a bare CR inside an unquoted overview, as in the real file: pandas sees a
# first half (title and date empty) and a second record shifted 9 columns left, with the release
# date in `id`.
_FIRST_HALF = ["False", "", "0", "[{'id': 18, 'name': 'Drama'}]", "", "82663", "tt0000001", "en", "Broken",
               "First half"]  # fmt: skip
_SHIFTED = [" - tail of the overview", "1.2", "/poster.jpg", "[{'name': 'X', 'id': 1}]", "[]",
            "1997-08-20", "0", "104.0", "[]", "Released", "", "Broken", "False", "6.0", "5"]  # fmt: skip
SHIFTED_RECORD = (
    _csv_line(_FIRST_HALF) + "\r" + _csv_line(_SHIFTED + [""] * (len(HEADER) - len(_SHIFTED))) + "\n"
)
