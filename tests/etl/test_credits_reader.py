"""Credits read by a child process give the tables and the quality report of the in-process reading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psutil
import pytest

from etl.credits_reader import CreditsReader
from etl.extract import read_credits, read_movies
from etl.quality import QualityReport
from etl.transform import clean_credits, clean_movies, keep_clean
from shared.source import locate
from tests.etl.raw_rows import director, movie, person, write_credits, write_movies


@pytest.fixture
def raw_folder(tmp_path: Path) -> Path:
    write_movies(
        tmp_path,
        [
            movie("862", "Toy Story", "1995-10-30"),
            movie("863", "Toy Story 2", "1999-10-30"),
            movie("864", "Unreadable Cast", "2001-01-01"),
            movie("865", "No Credits", "2002-01-01"),
        ],
    )
    write_credits(
        tmp_path,
        [
            (
                "862",
                [person(31, "Tom Hanks", 1), person(12898, "Tim Allen", 0)],
                [director(7879, "John Lasseter")],
            ),
            ("862", [person(31, "Tom Hanks", 0)], []),  # repeated id
            (
                "863",
                [person(31, "Tom Hanks", 0)],
                [director(7879, "John Lasseter"), director(1, "Ash", "Editor")],
            ),
            ("864", ["{'cast_id': 1, 'name': 'broken"], ["{'job': 'Director', 'name': broken"]),
            ("not a number", [person(2, "Nobody", 0)], []),
            ("999999", ["{'unreadable"], [director(3, "Elsewhere")]),  # a movie not in the table
        ],
    )
    return tmp_path


def test_child_reading_matches_the_in_process_reading(raw_folder: Path) -> None:
    raw = locate(raw_folder)
    here, there = QualityReport(), QualityReport()
    movies = clean_movies(read_movies(raw), here)
    clean_movies(read_movies(raw), there)
    cast, directors = clean_credits(read_credits(raw), movies["id"], here)
    with CreditsReader(raw) as reader:
        child_cast, child_directors = keep_clean(reader.result(), movies["id"], there)
    pd.testing.assert_frame_equal(child_cast, cast)
    pd.testing.assert_frame_equal(child_directors, directors)
    assert there.to_dict() == here.to_dict()
    assert here.parse_errors == {"credits_id": 1, "cast": 1, "crew": 1}
    assert (here.credit_duplicated_rows, here.credits_without_movie, here.movies_without_credits) == (1, 1, 1)


def test_a_missing_credits_file_is_raised_in_the_parent(raw_folder: Path) -> None:
    raw = locate(raw_folder)
    Path(raw.credits).unlink()
    with CreditsReader(raw) as reader, pytest.raises(FileNotFoundError):
        reader.result()


def test_no_process_outlives_the_reading(raw_folder: Path) -> None:
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    with CreditsReader(locate(raw_folder)) as reader:
        reader.result()
    assert {child.pid for child in psutil.Process().children(recursive=True)} == before
