"""Which feature block each column of the recommender's matrix belongs to, and what it names.

The motivos of a recommendation are read from the columns two films share: a collection column
names the saga, a person column the director or actor, a genre column the genre. Only the blocks
that can give a reason keep their labels; the others (words, decades) keep just their range.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import sparse

# The blocks a reason can be read from, in the order their reasons are given.
REASON_BLOCKS = ("collection", "directors", "cast", "genres", "language")


@dataclass(frozen=True)
class Block:
    name: str
    start: int
    end: int
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Columns:
    """The blocks of the stacked matrix, left to right."""

    blocks: tuple[Block, ...] = ()
    _starts: npt.NDArray[np.int64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = np.array([block.start for block in self.blocks], dtype=np.int64)
        object.__setattr__(self, "_starts", starts)

    def shared(self, matrix: sparse.csr_matrix, row: int, other: int) -> dict[str, list[str]]:
        """Per reason block, the labels of the columns both rows hold, the heaviest in `other` first."""
        if not self.blocks:
            return {}
        first = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        start, end = matrix.indptr[other], matrix.indptr[other + 1]
        second, weights = matrix.indices[start:end], matrix.data[start:end]
        common = np.isin(second, first)
        columns, weights = second[common], weights[common]
        # Only reason blocks are looked at: shared words and decades are many and name nothing.
        which = np.searchsorted(self._starts, columns, side="right") - 1
        found: dict[str, list[tuple[float, str]]] = {}
        for index, block in enumerate(self.blocks):
            if not block.labels:
                continue
            mine = which == index
            for column, weight in zip(columns[mine].tolist(), weights[mine].tolist(), strict=True):
                if block.start <= column < block.end:
                    found.setdefault(block.name, []).append((-weight, block.labels[column - block.start]))
        return {name: [label for _, label in sorted(found[name])] for name in REASON_BLOCKS if name in found}

    def to_json(self) -> bytes:
        return json.dumps(
            [{"name": b.name, "start": b.start, "end": b.end, "labels": list(b.labels)} for b in self.blocks],
            ensure_ascii=False,
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes | None) -> Columns:
        if not raw:
            return cls()
        items: list[Mapping[str, object]] = json.loads(raw)
        return cls(
            tuple(
                Block(
                    str(item["name"]),
                    int(str(item["start"])),
                    int(str(item["end"])),
                    tuple(str(label) for label in _sequence(item.get("labels"))),
                )
                for item in items
            )
        )


def _sequence(value: object) -> Sequence[object]:
    return value if isinstance(value, list) else []
