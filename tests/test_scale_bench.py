"""`python -m benchmarks.scale`: N copies of a Kaggle-format source, and the ETL reading them right."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from benchmarks.scale import ID_STEP, shift_date
from etl.pipeline import Build, build_dataset
from etl.publish import publish
from shared.settings import REPO_ROOT, SAMPLE_DATA
from shared.text import name_key, title_key
from tests import independent
from tests.api.conftest import serve_in_process, settings_for
from tests.etl.raw_rows import SHIFTED_RECORD, director, movie, person, write_credits, write_movies

COLLECTION = "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'backdrop_path': None}"


def _scale(source: Path, out: Path, factor: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "benchmarks.scale", "--factor", str(factor), "--out", str(out)]
    return subprocess.run(
        [*command, "--source", str(source)], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )


def _text(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


@pytest.fixture(scope="module")
def scaled_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    """The repo's sample twice over, through the whole ETL."""
    out = tmp_path_factory.mktemp("x2")
    result = _scale(SAMPLE_DATA, out, 2)
    assert result.returncode == 0, result.stderr
    return out, build_dataset(out, tmp_path_factory.mktemp("data"))


@pytest.fixture
def defects(tmp_path: Path) -> Path:
    """Raw rows with a malformed record, a repeated id, a leap day and a collection."""
    folder = tmp_path / "source"
    folder.mkdir()
    rows = [
        movie("862", "Toy Story", "1995-10-30", budget="30000000", revenue="373554033",
              belongs_to_collection=COLLECTION, vote_count="5415", popularity="21.9"),
        movie("863", "Toy Story 2", "1999-10-30", belongs_to_collection=COLLECTION, vote_count="4000"),
        movie("105045", "Das Versprechen", "1995-02-16"),
        movie("105045", "Das Versprechen", "1995-02-16"),
        movie("7", "Leap", "1996-02-29", vote_count="12"),
    ]  # fmt: skip
    write_movies(folder, rows, shifted_tail=SHIFTED_RECORD)
    write_credits(
        folder,
        [
            ("862", [person(31, "Tom Hanks", 0), person(12898, "Tim Allen", 1)],
             [director(7879, "John Lasseter")]),
            ("863", [person(31, "Tom Hanks", 0)], [director(7879, "John Lasseter")]),
            ("862", [person(31, "Tom Hanks", 0)], []),
        ],
    )  # fmt: skip
    return folder


def test_factor_one_is_the_source_byte_for_byte(defects: Path, tmp_path: Path) -> None:
    result = _scale(defects, tmp_path / "x1", 1)
    assert result.returncode == 0, result.stderr
    for name in ("movies_metadata.csv", "credits.csv"):
        assert _text(tmp_path / "x1" / f"{name}.gz") == _text(defects / name)


def test_each_copy_is_the_catalogue_shifted_in_ids_and_years(defects: Path, tmp_path: Path) -> None:
    assert _scale(defects, tmp_path / "x3", 3).returncode == 0
    one = build_dataset(defects, tmp_path / "data1")
    three = build_dataset(tmp_path / "x3", tmp_path / "data3")

    report1, report3 = one.report, three.report
    assert report3.movie_rows_read == 3 * report1.movie_rows_read
    assert report3.clean_movies == 3 * report1.clean_movies
    assert report3.duplicated_rows == 3 * report1.duplicated_rows
    assert len(report3.malformed_records) == 3 * len(report1.malformed_records) == 3
    assert report3.credit_duplicated_rows == 3 * report1.credit_duplicated_rows

    originals = one.artefacts.movies
    copies = three.artefacts.movies
    assert len(copies) == 3 * len(originals)
    for movie_id, film in originals.items():
        for k in range(3):
            copy = copies[movie_id + k * ID_STEP]
            assert copy["titulo"] == film["titulo"]
            assert copy["anio"] == film["anio"] + k
            assert (copy["votos"], copy["retorno"], copy["generos"]) == (
                film["votos"],
                film["retorno"],
                film["generos"],
            )
    # A leap day in a common year is the 28th; in a leap year it stays.
    assert [copies[7 + k * ID_STEP]["fecha_estreno"] for k in range(3)] == [
        "1996-02-29",
        "1997-02-28",
        "1998-02-28",
    ]

    # Titles and names repeat three times: the homonyms of every copy are listed.
    toy_story = three.artefacts.titles[title_key("Toy Story")]
    assert [m["id"] for m in toy_story] == [862, 862 + ID_STEP, 862 + 2 * ID_STEP]
    hanks = three.artefacts.actors[name_key("Tom Hanks")]
    assert [p["person_id"] for p in hanks] == [31, 31 + ID_STEP, 31 + 2 * ID_STEP]
    assert {p["cantidad_filmaciones"] for p in hanks} == {2}
    lasseter = three.artefacts.directors[name_key("John Lasseter")]
    assert [[f["id"] for f in p["peliculas"]] for p in lasseter] == [
        [862 + k * ID_STEP, 863 + k * ID_STEP] for k in range(3)
    ]
    # Each copy of Toy Story keeps its collection of its own copy.
    collections = three.movies.set_index("id")["collection_id"]
    assert [int(collections[862 + k * ID_STEP]) for k in range(3)] == [10194 + k * ID_STEP for k in range(3)]
    assert int(collections[863 + ID_STEP]) == 10194 + ID_STEP


def test_the_etl_on_a_scaled_sample_agrees_with_plain_pandas(scaled_sample: tuple[Path, Build]) -> None:
    out, build = scaled_sample
    expected = independent.movies(out)
    assert len(build.movies) == len(expected) == 2 * len(independent.movies())
    assert build.artefacts.months == expected["date"].dt.month.value_counts().to_dict()
    assert build.artefacts.weekdays == expected["date"].dt.day_of_week.value_counts().to_dict()
    # Every title twice at least: the most voted answers (ties: more popular, then the lower id).
    ranked = expected.assign(key=expected["title"].map(title_key)).sort_values(
        ["vote_count", "popularity", "id"], ascending=[False, False, True]
    )
    by_key = {key: rows["id"].tolist() for key, rows in ranked.groupby("key", sort=False)}
    assert set(by_key) == set(build.artefacts.titles)
    for key, group in build.artefacts.titles.items():
        assert len(group) >= 2
        assert [m["id"] for m in group] == by_key[key]


def test_shift_date() -> None:
    assert shift_date("1995-10-30", 3) == "1998-10-30"
    assert shift_date("2000-02-29", 100) == "2100-02-28"
    assert shift_date("2000-02-29", 400) == "2400-02-29"
    assert shift_date("12/31/1999", 1) == "12/31/1999"
    assert shift_date("", 1) == ""


def test_a_bad_source_is_explained_in_spanish(tmp_path: Path) -> None:
    result = _scale(tmp_path / "nope", tmp_path / "out", 2)
    assert result.returncode == 2
    assert "no se pudo generar" in result.stderr
    assert "Traceback" not in result.stderr


async def test_homonyms_of_a_scaled_catalogue_answer_exactly(
    redis_url: str, scaled_sample: tuple[Path, Build]
) -> None:
    """Every title and name twice: the first copy answers, the other is listed, a year picks."""
    client = redis.Redis.from_url(redis_url)
    try:
        publish(client, scaled_sample[1])
    finally:
        client.close()
    async with serve_in_process(settings_for(redis_url)) as api:
        toy = (await api.get("/score_titulo/toy story")).json()
        assert (toy["id"], toy["anio"]) == (862, 1995)
        assert [(m["id"], m["anio"]) for m in toy["otras_coincidencias"]] == [(862 + ID_STEP, 1996)]
        picked = (await api.get("/votos_titulo/Toy Story", params={"anio": 1996})).json()
        assert picked["id"] == 862 + ID_STEP

        hanks = (await api.get("/get_actor/Tom Hanks")).json()
        films = len(independent.actor_films(31))
        assert (hanks["id"], hanks["cantidad_filmaciones"]) == (31, films)
        assert [(p["id"], p["cantidad_filmaciones"]) for p in hanks["otras_coincidencias"]] == [
            (31 + ID_STEP, films)
        ]
        lasseter = (await api.get("/get_director/John Lasseter")).json()
        assert [f["id"] for f in lasseter["peliculas"]] == [862]
        assert [p["id"] for p in lasseter["otras_coincidencias"]] == [7879 + ID_STEP]
