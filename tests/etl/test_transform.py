"""The data rules of DESIGN.md on hand-written raw rows with every real defect."""

from pathlib import Path

import pandas as pd
import pytest

from etl.extract import read_credits, read_movies
from etl.quality import QualityReport
from etl.transform import clean_credits, clean_movies
from shared.source import locate
from tests.etl.raw_rows import SHIFTED_RECORD, director, movie, person, write_credits, write_movies

COLLECTION = "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'backdrop_path': None}"


@pytest.fixture
def raw_folder(tmp_path: Path) -> Path:
    toy = movie(
        "862", "Toy Story", "1995-10-30", budget="30000000", revenue="373554033",
        belongs_to_collection=COLLECTION, genres="[{'id': 16, 'name': 'Animation'}]",
        production_countries="[{'iso_3166_1': 'US', 'name': 'United States of America'}]",
        popularity="21.946943", vote_count="5415", vote_average="7.7",
    )  # fmt: skip
    rows = [
        toy,
        movie("15602", "Grumpier Old Men", "1995-12-22", budget="/ff9qCepilowshEtG2GYWwzt2bs4.jpg",
              revenue="", popularity="0.0000", poster_path=""),
        movie("105045", "Das Versprechen", "1995-02-16"),
        movie("105045", "Das Versprechen", "1995-02-16"),  # a fully duplicated row
        movie("141971", "Blackout", "2008-12-26", vote_count="3"),
        movie("141971", "Blackout (later copy)", "2008-12-26", vote_count="9"),  # same id, differs
        movie("31357", "No Date Movie", ""),
        movie("31358", "Bad Date", "12/31/1999"),
        movie("40001", "Amélie", "2001-04-25", budget="10", revenue="25",
              genres="[{'id': 35, 'name': 'Comédie'}]", belongs_to_collection="None"),
        movie("40002", "千と千尋の神隠し", "2001-07-20",
              spoken_languages="[{'iso_639_1': 'ja', 'name': '日本語'}]"),
    ]  # fmt: skip
    write_movies(tmp_path, rows, shifted_tail=SHIFTED_RECORD)
    write_credits(
        tmp_path,
        [
            ("862", [person(31, "Tom Hanks", 0), person(12898, "Tim Allen", 1)],
             [director(7879, "John Lasseter"), director(12, "Joss Whedon", "Screenplay")]),
            ("862", [person(31, "Tom Hanks", 0)], [director(7879, "John Lasseter")]),  # repeated id
            ("15602", [], []),
            ("40001", [person(5, "Vincent D'Onofrio", 0), person(6, 'Dwayne "The Rock" Johnson', 1)],
             [director(7, "Jean-Pierre Jeunet")]),
            ("999999", [person(1, "Nobody", 0)], []),  # credits of a movie not in the table
        ],
    )  # fmt: skip
    return tmp_path


@pytest.fixture
def cleaned(raw_folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, QualityReport]:
    report = QualityReport()
    raw = locate(raw_folder)
    movies = clean_movies(read_movies(raw), report)
    cast, directors = clean_credits(read_credits(raw), movies["id"], report)
    return movies, cast, directors, report


def test_one_row_per_integer_id_with_a_valid_date(cleaned) -> None:
    movies, _, _, report = cleaned
    assert movies["id"].tolist() == [862, 15602, 105045, 141971, 40001, 40002]
    # The first occurrence of a repeated id wins.
    assert movies.set_index("id").loc[141971, "title"] == "Blackout"
    assert report.dropped == {"id_no_entero": 1, "id_repetido": 2, "sin_fecha_valida": 3, "sin_titulo": 0}
    assert report.malformed_records == ["1997-08-20"]
    assert report.duplicated_ids == 2
    assert report.fully_duplicated_rows == 1
    assert report.movie_rows_read == 12


def test_numbers_missing_or_garbled_become_zero(cleaned) -> None:
    movies, _, _, report = cleaned
    grumpier = movies.set_index("id").loc[15602]
    assert grumpier["budget"] == 0.0 and grumpier["revenue"] == 0.0 and grumpier["return"] == 0.0
    assert report.parse_errors["budget"] == 1


def test_return_dates_and_year(cleaned) -> None:
    movies = cleaned[0].set_index("id")
    toy = movies.loc[862]
    assert toy["return"] == pytest.approx(373554033 / 30000000)
    assert toy["release_date"].isoformat() == "1995-10-30"
    assert (toy["release_year"], toy["release_month"], toy["release_weekday"]) == (1995, 10, 0)
    assert movies.loc[40001, "return"] == pytest.approx(2.5)


def test_nested_columns_unnested(cleaned) -> None:
    movies = cleaned[0].set_index("id")
    assert movies.loc[862, "collection_name"] == "Toy Story Collection"
    assert movies.loc[862, "collection_id"] == 10194
    assert list(movies.loc[862, "genres"]) == ["Animation"]
    assert list(movies.loc[862, "production_countries"]) == ["United States of America"]
    assert list(movies.loc[40001, "genres"]) == ["Comédie"]
    assert pd.isna(movies.loc[40001, "collection_name"])
    assert list(movies.loc[40002, "spoken_languages"]) == ["ja"]
    assert movies.loc[40002, "title"] == "千と千尋の神隠し"
    for dropped in ("video", "imdb_id", "adult", "original_title", "homepage"):
        assert dropped not in movies.columns
    assert "poster_path" in movies.columns


def test_credits_one_row_per_movie_cast_in_order_directors_by_job(cleaned) -> None:
    _, cast, directors, report = cleaned
    toy = cast[cast["movie_id"] == 862]
    assert toy[["person_id", "name", "order"]].values.tolist() == [
        [31, "Tom Hanks", 0],
        [12898, "Tim Allen", 1],
    ]
    assert directors[directors["movie_id"] == 862]["name"].tolist() == ["John Lasseter"]
    assert set(cast[cast["movie_id"] == 40001]["name"]) == {"Vincent D'Onofrio", 'Dwayne "The Rock" Johnson'}
    assert report.credit_duplicated_rows == 1
    assert report.credits_without_movie == 1
    # 105045, 141971 and 40002 have no credits row at all; 15602 has empty lists.
    assert report.movies_without_credits == 3
    assert 999999 not in set(cast["movie_id"])


def test_gzip_and_zip_sources_read_the_same(
    raw_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import gzip
    import zipfile

    gz_folder = tmp_path_factory.mktemp("gz")
    for name in ("movies_metadata.csv", "credits.csv"):
        (gz_folder / f"{name}.gz").write_bytes(gzip.compress((raw_folder / name).read_bytes()))
    archive = tmp_path_factory.mktemp("zip") / "the-movies-dataset.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("movies_metadata.csv", "credits.csv"):
            zipped.write(raw_folder / name, arcname=name)
    frames = []
    for source in (raw_folder, gz_folder, archive):
        report = QualityReport()
        frames.append(clean_movies(read_movies(locate(source)), report))
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])
