"""`python -m benchmarks.scale`: a Kaggle-format dataset N times the size of a source, for scale tests.

Every record of `movies_metadata.csv` and `credits.csv` is written N times. Copy k (0 to N-1) adds
k * ID_STEP to every id it holds (movie, collection, person) and k years to the release date, and
keeps everything else: titles and names repeat N times, so a title is shared by N films of
different years and a name by N people, each with the films of their own copy; the credits of a
copy are those of its film. Copy 0 is the source byte for byte, defects included (the malformed
records, the repeated ids, the unreadable cells are all there N times).

The copies of a record are written next to each other, in one pass over each file: nothing is
held in memory but a block of output, and gzip compresses a record's copies as back-references.
Blocks are compressed in threads as separate gzip members (a valid `.csv.gz`, read as one stream).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import json
import os
import re
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from etl.extract import open_raw
from shared.source import RawSource, fingerprint, locate

# Copy k of an id x is x + k * ID_STEP: TMDB ids are far below it, and copy 3 of Toy Story (862)
# reads as 300000862.
ID_STEP = 100_000_000
MOVIES = "movies_metadata.csv.gz"
CREDITS = "credits.csv.gz"
MANIFEST = "scale.json"
# Bumped whenever the output for a given source and factor changes, so a cached copy is redone.
GENERATOR_VERSION = 1
_BLOCK_BYTES = 8 << 20
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INTEGER = re.compile(r"\d+")
_COLLECTION_ID = re.compile(r"(?<=^\{'id': )\d+")
# A person's id inside a cast or crew cell (`'cast_id': ` and `'credit_id': ` do not match).
_PERSON_ID = re.compile(rb"(?<='id': )(\d+)")


class ScaleError(ValueError):
    """The source cannot be copied N times (ids too large for the offsets, unexpected columns)."""


def shift_date(text: str, years: int) -> str:
    """`AAAA-mm-dd` moved `years` later (29 February becomes the 28th in a common year); any other
    text (an empty or malformed date) is left as it is."""
    match = _DATE.fullmatch(text)
    if match is None or years == 0:
        return text
    year, month, day = int(match.group(1)) + years, match.group(2), match.group(3)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if month == "02" and day == "29" and not leap:
        day = "28"
    return f"{year:04d}-{month}-{day}"


def _offset_id(text: str, copy: int) -> str:
    if copy == 0 or _INTEGER.fullmatch(text) is None:
        return text  # a shifted half of a malformed record holds a date here: kept as it is
    value = int(text)
    if value >= ID_STEP:
        raise ScaleError(f"el id {value} no cabe en el desplazamiento de las copias ({ID_STEP})")
    return str(value + copy * ID_STEP)


class _Members:
    """A `.csv.gz` written as a series of gzip members, compressed in threads, in order."""

    def __init__(self, path: Path, level: int, threads: int) -> None:
        self._file = path.open("wb")
        self._level = level
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="gzip")
        self._pending: deque[Future[bytes]] = deque()
        self._limit = 2 * max(1, threads)
        self.raw_bytes = 0

    def write(self, block: bytes) -> None:
        self.raw_bytes += len(block)
        self._pending.append(self._pool.submit(gzip.compress, block, self._level, mtime=0))
        while len(self._pending) > self._limit:
            self._file.write(self._pending.popleft().result())

    def close(self) -> None:
        try:
            while self._pending:
                self._file.write(self._pending.popleft().result())
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._file.close()


class _Blocks:
    """Collects output pieces and hands them to `_Members` a block at a time."""

    def __init__(self, sink: _Members) -> None:
        self._sink = sink
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, piece: bytes) -> None:
        self._parts.append(piece)
        self._size += len(piece)
        if self._size >= _BLOCK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._sink.write(b"".join(self._parts))
            self._parts, self._size = [], 0


@contextlib.contextmanager
def _output(path: Path, level: int, threads: int) -> Iterator[_Blocks]:
    """Blocks written to `path` through a temporary name: a half-written file is never left there."""
    partial = path.with_name(path.name + ".partial")
    sink = _Members(partial, level, threads)
    try:
        blocks = _Blocks(sink)
        yield blocks
        blocks.flush()
    finally:
        sink.close()
    partial.replace(path)


def _csv_line(fields: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerow(fields)
    return buffer.getvalue()


@dataclass(frozen=True)
class _MovieColumns:
    width: int
    id: int
    release_date: int
    collection: int

    @classmethod
    def of(cls, header: list[str]) -> _MovieColumns:
        try:
            return cls(
                len(header),
                header.index("id"),
                header.index("release_date"),
                header.index("belongs_to_collection"),
            )
        except ValueError as error:
            raise ScaleError(f"movies_metadata.csv no tiene la columna esperada: {error}") from None

    def copy(self, record: list[str], k: int) -> list[str]:
        if k == 0:
            return record
        fields = list(record)
        if len(fields) > self.id:
            fields[self.id] = _offset_id(fields[self.id], k)
        if len(fields) > self.release_date:
            fields[self.release_date] = shift_date(fields[self.release_date], k)
        if len(fields) > self.collection:
            fields[self.collection] = _COLLECTION_ID.sub(
                lambda m: _offset_id(m.group(0), k), fields[self.collection], count=1
            )
        return fields


def _movie_records(text: Iterable[str]) -> Iterator[tuple[list[str], str]]:
    """Records with the line end each had in the file ("\n", "\r\n", or the bare CR that cuts a
    malformed record in two). The reader pulls no line beyond the record it returns, so a
    record's end is the end of the last line pulled."""
    last_end = ""

    def lines() -> Iterator[str]:
        nonlocal last_end
        for line in text:
            last_end = "\r\n" if line.endswith("\r\n") else line[-1:] if line[-1:] in "\r\n" else ""
            yield line

    for record in csv.reader(lines()):
        yield record, last_end


def scale_movies(raw: RawSource, path: Path, factor: int, level: int, threads: int) -> int:
    """Writes `movies_metadata.csv.gz` with `factor` copies of every record; returns the records read."""
    count = 0
    with (
        open_raw(raw, raw.movies) as handle,
        io.TextIOWrapper(handle, encoding="utf-8", newline="") as text,
        _output(path, level, threads) as out,
    ):
        records = _movie_records(text)
        header, header_end = next(records, ([], ""))
        columns = _MovieColumns.of(header)
        out.add((_csv_line(header)[:-1] + header_end).encode())
        cut: list[tuple[list[str], str]] = []
        for record, end in records:
            count += 1
            # The halves of a record cut by a bare CR stay together, in that order, in every copy.
            cut.append((record, end))
            if end != "\r":
                _write_copies(out, columns, cut, factor)
                cut = []
        _write_copies(out, columns, cut, factor)
    return count


def _write_copies(
    out: _Blocks, columns: _MovieColumns, records: list[tuple[list[str], str]], factor: int
) -> None:
    for k in range(factor):
        lines = [_csv_line(columns.copy(fields, k))[:-1] + end for fields, end in records]
        out.add("".join(lines).encode())


def _physical_records(handle: IO[bytes]) -> Iterator[bytes]:
    """The file's CSV records as bytes, line end included: lines joined while a quote is open."""
    pending: list[bytes] = []
    quotes = 0
    for line in handle:
        pending.append(line)
        quotes += line.count(b'"')
        if quotes % 2 == 0:
            yield b"".join(pending) if len(pending) > 1 else line
            pending, quotes = [], 0
    if pending:
        yield b"".join(pending)


def _line_end(record: bytes) -> int:
    if record.endswith(b"\r\n"):
        return 2
    return 1 if record.endswith(b"\n") else 0


def scale_credits(raw: RawSource, path: Path, factor: int, level: int, threads: int) -> int:
    """Writes `credits.csv.gz`: each row `factor` times, its movie id and every person id offset.

    Works on the bytes of each record: the ids are digits outside any CSV quoting rule, so the
    cells are never parsed or re-quoted, and the ~190 MB of cast and crew text is copied as it is.
    """
    count = 0
    with open_raw(raw, raw.credits) as handle, _output(path, level, threads) as out:
        records = _physical_records(handle)
        header = next(records, b"")
        if header.rstrip(b"\r\n").decode("utf-8").split(",")[-1].strip() != "id":
            raise ScaleError("credits.csv debe terminar en la columna id (cast,crew,id), como el de Kaggle")
        out.add(header)
        for record in records:
            count += 1
            cut = len(record) - _line_end(record)
            body, end = record[:cut], record[cut:]
            head, comma, last = body.rpartition(b",")
            parts = _PERSON_ID.split(head)
            people = [int(person) for person in parts[1::2]]
            movie = int(last) if last.isdigit() else None
            if factor > 1 and max([movie or 0, *people]) >= ID_STEP:
                raise ScaleError(
                    f"un id de la fila {count} de credits.csv no cabe en el desplazamiento {ID_STEP}"
                )
            for k in range(factor):
                if k:
                    parts[1::2] = [b"%d" % (person + k * ID_STEP) for person in people]
                out.add(b"".join(parts))
                out.add(comma)
                out.add(last if movie is None else b"%d" % (movie + k * ID_STEP))
                out.add(end)
    return count


@dataclass(frozen=True)
class Manifest:
    """What a generated folder holds: which source, how many copies, by which generator."""

    source: str
    source_fingerprint: str
    factor: int
    generator: int = GENERATOR_VERSION

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(self.__dict__, indent=2) + "\n")

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            return cls(**json.loads((folder / MANIFEST).read_text()))
        except (OSError, ValueError, TypeError):
            return None


def _manifest(source: Path, factor: int) -> Manifest:
    return Manifest(str(source.resolve()), fingerprint(source), factor)


def scale(source: Path, out: Path, factor: int, *, level: int = 1, threads: int | None = None) -> Path:
    """Writes the two files `factor` times the size of `source` into `out` and returns `out`."""
    if factor < 1:
        raise ScaleError("el factor debe ser un entero positivo")
    raw = locate(source)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)
    workers = threads if threads is not None else min(2, os.cpu_count() or 1)
    scale_movies(raw, out / MOVIES, factor, level, workers)
    scale_credits(raw, out / CREDITS, factor, level, workers)
    # Written last: a folder with a manifest is complete.
    _manifest(source, factor).write(out)
    return out


def ensure_scaled(source: Path, out: Path, factor: int) -> tuple[Path, bool]:
    """`out` holding `factor` copies of `source`, made only when it does not already (True if made)."""
    if Manifest.read(out) == _manifest(source, factor):
        return out, False
    return scale(source, out, factor), True


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import movies_data

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale",
        description="Escribe un conjunto de datos con el formato de Kaggle N veces mayor que el de origen.",
    )
    parser.add_argument("--factor", type=int, required=True, help="copias de cada registro (N)")
    parser.add_argument("--out", type=Path, required=True, help="carpeta donde escribir los dos ficheros")
    parser.add_argument(
        "--source", type=Path, default=None, help="datos de origen (por omisión MOVIES_DATA o movies-hybrid)"
    )
    parser.add_argument("--compresslevel", type=int, default=1, choices=range(1, 10), help="nivel de gzip")
    args = parser.parse_args(argv)
    source = args.source or movies_data()
    started = time.perf_counter()
    try:
        scale(source, args.out, args.factor, level=args.compresslevel)
    except (ScaleError, OSError, ValueError) as error:
        sys.stderr.write(f"no se pudo generar el conjunto ampliado: {error}\n")
        return 2
    sizes = ", ".join(f"{name} {(args.out / name).stat().st_size / 1e6:.0f} MB" for name in (MOVIES, CREDITS))
    sys.stdout.write(
        f"{source} x{args.factor} -> {args.out} ({sizes}) en {time.perf_counter() - started:.1f} s\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
