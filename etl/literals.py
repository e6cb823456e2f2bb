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
from operator import itemgetter
from typing import Any, TypeVar

T = TypeVar("T")

# A quoted Python string token. Written as "normal* (escape normal*)*" rather than
# "(normal|escape)*": the engine then loops over runs of characters, not single characters.
_QUOTED = r"('[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\")"
_NAME = re.compile(r"'name': " + _QUOTED)
_ISO_639 = re.compile(r"'iso_639_1': " + _QUOTED)
_COLLECTION = re.compile(r"'id': (\d+), 'name': " + _QUOTED)
# The credits patterns start after the opening quote of their first key: the engine looks for a
# pattern's first character before trying a match, and "'" is everywhere in these cells.
_CAST = re.compile(r"gender': -?\d+, 'id': (\d+), 'name': " + _QUOTED + r", 'order': (\d+)")
_DIRECTOR = re.compile(r"id': (\d+), 'job': 'Director', 'name': " + _QUOTED)


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


def _full_parse(text: str, row: Callable[[dict[str, Any]], T | None]) -> list[T]:
    rows = (row(item) for item in _dicts(_literal(text)))
    return [r for r in rows if r is not None]


def _cast_row(d: dict[str, Any]) -> tuple[int, str, int] | None:
    if d.get("id") is None or not d.get("name"):
        return None
    return int(d["id"]), str(d["name"]), int(d.get("order", 0))


def _director_row(d: dict[str, Any]) -> tuple[int, str] | None:
    if d.get("job") != "Director" or d.get("id") is None or not d.get("name"):
        return None
    return int(d["id"]), str(d["name"])


def cast(cell: object) -> list[tuple[int, str, int]]:
    """A credits `cast` cell -> `(person_id, name, order)` in billing order."""
    if is_empty(cell):
        return []
    text = str(cell)
    # findall hands back plain tuples of strings: no match objects for ~600k cast members.
    found: list[tuple[str, str, str]] = _CAST.findall(text)
    if len(found) == text.count("'cast_id':"):
        # unquote inlined for the common case (no escapes): ~600k calls saved.
        rows = [
            (int(person), name[1:-1] if "\\" not in name else unquote(name), int(order))
            for person, name, order in found
        ]
    else:
        rows = _full_parse(text, _cast_row)
    rows.sort(key=itemgetter(2))
    return rows


def directors(cell: object) -> list[tuple[int, str]]:
    """A credits `crew` cell -> `(person_id, name)` of the members whose job is Director."""
    if is_empty(cell):
        return []
    text = str(cell)
    found: list[tuple[str, str]] = _DIRECTOR.findall(text)
    if len(found) == text.count("'job': 'Director'"):
        return [(int(person), unquote(name)) for person, name in found]
    return _full_parse(text, _director_row)
