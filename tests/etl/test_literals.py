"""Reading the nested Python-literal cells the way Kaggle wrote them, defects included."""

import pytest

from etl import literals

CAST_CELL = (
    "[{'cast_id': 14, 'character': 'Woody (voice)', 'credit_id': '52fe4284c3a36847f8024f95', "
    "'gender': 2, 'id': 31, 'name': 'Tom Hanks', 'order': 0, 'profile_path': None}, "
    "{'cast_id': 2, 'character': \"Vincent's friend\", 'credit_id': '52fe4284c3a36847f8024f99', "
    "'gender': 1, 'id': 5, 'name': \"Vincent D'Onofrio\", 'order': 2, 'profile_path': '/x.jpg'}, "
    "{'cast_id': 3, 'character': 'Él', 'credit_id': '52fe4284c3a36847f8024f98', "
    "'gender': 0, 'id': 7, 'name': 'Dwayne \"The Rock\" Johnson', 'order': 1, 'profile_path': None}]"
)


def test_cast_in_billing_order_with_quotes_and_apostrophes() -> None:
    assert literals.cast(CAST_CELL) == [
        (31, "Tom Hanks", 0),
        (7, 'Dwayne "The Rock" Johnson', 1),
        (5, "Vincent D'Onofrio", 2),
    ]


def test_escaped_quotes_both_kinds() -> None:
    # Python writes a name holding both quote kinds with single quotes and \' escapes.
    cell = (
        "[{'cast_id': 1, 'character': '', 'credit_id': 'a', 'gender': 0, 'id': 9, "
        "'name': 'Jean \\'Bob\\' \"Le\" Roux', 'order': 0, 'profile_path': None}]"
    )
    assert literals.cast(cell) == [(9, "Jean 'Bob' \"Le\" Roux", 0)]


def test_accents_and_non_latin_scripts() -> None:
    cell = (
        "[{'cast_id': 1, 'character': 'x', 'credit_id': 'a', 'gender': 0, 'id': 1, "
        "'name': 'Penélope Cruz', 'order': 0, 'profile_path': None}, "
        "{'cast_id': 2, 'character': 'y', 'credit_id': 'b', 'gender': 0, 'id': 2, "
        "'name': '三船敏郎', 'order': 1, 'profile_path': None}]"
    )
    assert [name for _, name, _ in literals.cast(cell)] == ["Penélope Cruz", "三船敏郎"]


def test_directors_only_from_the_director_job() -> None:
    cell = (
        "[{'credit_id': 'a', 'department': 'Directing', 'gender': 2, 'id': 7879, 'job': 'Director', "
        "'name': 'John Lasseter', 'profile_path': None}, "
        "{'credit_id': 'b', 'department': 'Writing', 'gender': 2, 'id': 12, 'job': 'Screenplay', "
        "'name': 'Joss Whedon', 'profile_path': None}, "
        "{'credit_id': 'c', 'department': 'Directing', 'gender': 1, 'id': 13, 'job': 'Assistant Director', "
        "'name': 'Ann Smith', 'profile_path': None}]"
    )
    assert literals.directors(cell) == [(7879, "John Lasseter")]


def test_unusual_key_order_falls_back_to_a_full_parse() -> None:
    cell = "[{'name': 'Ridley Scott', 'job': 'Director', 'id': 578}]"
    assert literals.directors(cell) == [(578, "Ridley Scott")]


@pytest.mark.parametrize("cell", [None, float("nan"), "", "[]", "{}"])
def test_empty_cells_are_empty(cell: object) -> None:
    assert literals.names(cell) == []
    assert literals.cast(cell) == []
    assert literals.collection(cell) is None


def test_genres_companies_countries_languages() -> None:
    assert literals.names("[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]") == [
        "Animation",
        "Comedy",
    ]
    assert literals.names("[{'name': 'Pixar Animation Studios', 'id': 3}]") == ["Pixar Animation Studios"]
    assert literals.language_codes("[{'iso_639_1': 'ja', 'name': '日本語'}]") == ["ja"]


def test_collection_with_none_poster() -> None:
    cell = "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': None, 'backdrop_path': None}"
    assert literals.collection(cell) == (10194, "Toy Story Collection")


def test_garbage_is_an_error_not_a_crash() -> None:
    with pytest.raises(literals.LiteralError):
        literals.names("[{'id': 16, 'name': 'Anim")
