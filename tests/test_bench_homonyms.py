"""The bench's homonym check: it accepts exact answers and names every way an answer can be wrong."""

from __future__ import annotations

from benchmarks.homonyms import person_problems, title_groups, title_problems
from benchmarks.scale import ID_STEP

# Toy Story at three times the catalogue, and an unrelated film.
CATALOGUE = [
    [862, "Toy Story", 1995, 5415],
    [862 + ID_STEP, "Toy Story", 1996, 5415],
    [862 + 2 * ID_STEP, "TOY STORY", 1997, 5415],
    [13, "Forrest Gump", 1994, 8147],
]


def _answer(chosen: int, *others: int) -> dict[str, object]:
    return {"id": chosen, "otras_coincidencias": [{"id": other} for other in others]}


def test_titles_are_grouped_as_a_user_types_them() -> None:
    groups = title_groups(CATALOGUE)
    assert groups["toy story"] == {862: 5415, 862 + ID_STEP: 5415, 862 + 2 * ID_STEP: 5415}
    assert groups["forrest gump"] == {13: 8147}


def test_an_exact_title_answer_has_no_problem() -> None:
    films = title_groups(CATALOGUE)["toy story"]
    assert title_problems(_answer(862, 862 + ID_STEP, 862 + 2 * ID_STEP), films) == []


def test_wrong_title_answers_are_named() -> None:
    films = {1: 10, 2: 500, 3: 20}
    assert "not the most voted" in title_problems(_answer(1, 2, 3), films)[0]
    assert "exactly once" in title_problems(_answer(2, 3), films)[0]  # one left out
    assert "exactly once" in title_problems(_answer(2, 1, 3, 3), films)[0]  # one twice
    assert "exactly once" in title_problems(_answer(2, 1, 3, 4), films)[0]  # a stranger listed
    assert "not a film of that title" in title_problems(_answer(9), films)[0]


def test_namesakes() -> None:
    def person(chosen: int, films: int, *others: tuple[int, int]) -> dict[str, object]:
        listed = [{"id": i, "cantidad_filmaciones": n} for i, n in others]
        return {"id": chosen, "cantidad_filmaciones": films, "otras_coincidencias": listed}

    hanks = person(31, 19, (31 + ID_STEP, 19), (31 + 2 * ID_STEP, 19))
    assert person_problems(hanks, "cantidad_filmaciones", 3) == []
    assert person_problems(hanks, "cantidad_filmaciones", 2) == ["3 namesakes, not a multiple of 2"]
    assert person_problems(person(31, 2, (32, 5)), "cantidad_filmaciones", 1) == [
        "a namesake with more films is only listed"
    ]
    assert person_problems(person(31, 5, (32, 1), (32, 1)), "cantidad_filmaciones", 1) == [
        "a namesake listed twice"
    ]
    director = {
        "id": 7879,
        "cantidad_peliculas": 1,
        "otras_coincidencias": [{"id": 7880, "cantidad_filmaciones": 1}],
    }
    assert person_problems(director, "cantidad_peliculas", 2) == []
