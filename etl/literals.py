"""Fast readers for the nested columns, written by Kaggle as Python literals.

`ast.literal_eval` on every cell is what makes naive ETLs of this dataset slow (credits alone hold
about a million dicts). The cells are machine-written with a fixed key order, so a regular
expression pulls out the few fields we need; whenever the match count disagrees with the number
of dicts in the cell, the cell is parsed with `ast.literal_eval` instead, so an unusual cell is
read correctly rather than silently half-read.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from typing import Any

_QUOTED = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_NAME = re.compile(r"'name': " + _QUOTED)
_ISO_639 = re.compile(r"'iso_639_1': " + _QUOTED)
_COLLECTION = re.compile(r"'id': (\d+), 'name': " + _QUOTED)
_CAST = re.compile(r"'gender': -?\d+, 'id': (\d+), 'name': " + _QUOTED + r", 'order': (\d+)")
_DIRECTOR = re.compile(r"'id': (\d+), 'job': 'Director', 'name': " + _QUOTED)


class LiteralError(ValueError):
    """A nested cell that is neither empty nor a readable Python literal."""


def unquote(token: str) -> str:
    """The text of a quoted Python string token; escapes are rare, so only they pay for ast."""
    if "\\" in token:
        value = ast.literal_eval(token)
        return str(value)
    return token[1:-1]


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell in ("", "[]", "{}")


def _literal(cell: str) -> Any:
    try:
        return ast.literal_eval(cell)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise LiteralError(str(error)[:80]) from error


def _dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, dict)]
    raise LiteralError(f"expected a list of dicts, got {type(value).__name__}")


def _values(cell: object, pattern: re.Pattern[str], key: str) -> list[str]:
    if is_empty(cell):
        return []
    text = str(cell)
    found = pattern.findall(text)
    if len(found) == text.count("{"):
        return [unquote(token) for token in found]
    return [str(item[key]) for item in _dicts(_literal(text)) if item.get(key) is not None]


def names(cell: object) -> list[str]:
    """`[{'id': 16, 'name': 'Animation'}, ...]` -> `['Animation', ...]` (genres, companies, countries)."""
    return _values(cell, _NAME, "name")


def language_codes(cell: object) -> list[str]:
    """`[{'iso_639_1': 'en', 'name': 'English'}]` -> `['en']`."""
    return _values(cell, _ISO_639, "iso_639_1")


def collection(cell: object) -> tuple[int, str] | None:
    """`{'id': 10194, 'name': 'Toy Story Collection', ...}` -> `(10194, 'Toy Story Collection')`."""
    if is_empty(cell):
        return None
    text = str(cell)
    match = _COLLECTION.search(text)
    if match is not None and text.count("{") == 1:
        return int(match.group(1)), unquote(match.group(2))
    items = _dicts(_literal(text))
    if not items or items[0].get("id") is None:
        return None
    return int(items[0]["id"]), str(items[0].get("name") or "")


def _people(
    cell: object,
    pattern: re.Pattern[str],
    expected: Callable[[str], int],
    build: Callable[[re.Match[str]], tuple[Any, ...]],
    fallback: Callable[[dict[str, Any]], tuple[Any, ...] | None],
) -> list[tuple[Any, ...]]:
    if is_empty(cell):
        return []
    text = str(cell)
    matches = list(pattern.finditer(text))
    if len(matches) == expected(text):
        return [build(match) for match in matches]
    rows = (fallback(item) for item in _dicts(_literal(text)))
    return [row for row in rows if row is not None]


def cast(cell: object) -> list[tuple[int, str, int]]:
    """A credits `cast` cell -> `(person_id, name, order)` in billing order."""
    rows = _people(
        cell,
        _CAST,
        lambda text: text.count("'cast_id':"),
        lambda m: (int(m.group(1)), unquote(m.group(2)), int(m.group(3))),
        lambda d: (
            (int(d["id"]), str(d["name"]), int(d.get("order", 0)))
            if d.get("id") is not None and d.get("name")
            else None
        ),
    )
    return sorted(rows, key=lambda row: row[2])


def directors(cell: object) -> list[tuple[int, str]]:
    """A credits `crew` cell -> `(person_id, name)` of the members whose job is Director."""
    return _people(
        cell,
        _DIRECTOR,
        lambda text: text.count("'job': 'Director'"),
        lambda m: (int(m.group(1)), unquote(m.group(2))),
        lambda d: (
            (int(d["id"]), str(d["name"]))
            if d.get("job") == "Director" and d.get("id") is not None and d.get("name")
            else None
        ),
    )
