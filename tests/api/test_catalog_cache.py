"""A new dataset version's suggestion catalogue is built in the background; the previous one suggests
meanwhile, so no 404 waits for the build."""

from __future__ import annotations

import asyncio
from typing import cast

import orjson
import pytest

from api.services.build_stops import BuildStoppedError
from api.services.dataset import DatasetReader, Found, KeyFor
from api.services.suggestions import CatalogCache, build_title_catalog

ROWS = {
    "v1": [[1, "Toy Story", 1995, 5000]],
    "v2": [[2, "Toy Story", 1995, 6000], [3, "Jurassic Park", 1993, 7000]],
}


class _SlowReader:
    """Catalogues of two versions; the second one's read waits until the test lets it go."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.reads: list[str] = []

    async def catalogue(self, key_for: KeyFor, version: str) -> Found[bytes]:
        self.reads.append(version)
        if version == "v2":
            await self.release.wait()
        return Found(version, orjson.dumps(ROWS[version]))


async def test_the_previous_catalogue_suggests_while_the_new_one_is_built() -> None:
    reader = _SlowReader()
    catalogs = CatalogCache(cast(DatasetReader, reader))
    first = await catalogs.titles("v1", "Toy Stori")
    assert first.version == "v1" and [s["id"] for s in first.entries] == [1]

    # v2's catalogue cannot be read yet: the answer comes at once, from v1's catalogue.
    meanwhile = await asyncio.wait_for(catalogs.titles("v2", "Toy Stori"), timeout=5)
    assert meanwhile.version == "v1" and [s["id"] for s in meanwhile.entries] == [1]
    again = await asyncio.wait_for(catalogs.titles("v2", "Jurasic Park"), timeout=5)
    assert again.version == "v1" and again.entries == []
    assert reader.reads.count("v2") == 1  # one build under way, not one per request

    reader.release.set()
    await asyncio.wait_for(catalogs.get("titles", "v2"), timeout=30)
    built = await catalogs.titles("v2", "Jurasic Park")
    assert built.version == "v2" and [s["id"] for s in built.entries] == [3]
    # Suggestions remembered from v1's catalogue are not taken for v2's.
    toy = await catalogs.titles("v2", "Toy Stori")
    assert toy.version == "v2" and [s["id"] for s in toy.entries] == [2]


async def test_the_first_catalogue_is_waited_for() -> None:
    reader = _SlowReader()
    reader.release.set()
    catalogs = CatalogCache(cast(DatasetReader, reader))
    found = await catalogs.titles("v2", "Jurasic Park")
    assert found.version == "v2" and [s["id"] for s in found.entries] == [3]


def _titles(films: int) -> bytes:
    return orjson.dumps(
        [[n, f"Pelicula {n} del archivo {n % 977}", 1900 + n % 120, n % 5000] for n in range(films)]
    )


class _LargeReader:
    """One version whose title catalogue holds 300,000 films: a build of several seconds."""

    def __init__(self) -> None:
        self.read = asyncio.Event()
        self.rows = _titles(300_000)

    async def catalogue(self, key_for: KeyFor, version: str) -> Found[bytes]:
        self.read.set()
        return Found(version, self.rows)


async def test_closing_stops_a_build_under_way_instead_of_waiting_for_it() -> None:
    reader = _LargeReader()
    catalogs = CatalogCache(cast(DatasetReader, reader))
    wanted = asyncio.create_task(catalogs.get("titles", "v1"))
    await asyncio.wait_for(reader.read.wait(), timeout=10)
    await asyncio.sleep(0.2)  # the thread is parsing and indexing the 300,000 titles

    await catalogs.close()
    # The build's thread has returned, unfinished: nothing is left running that the process
    # would wait for at its exit, and no half-built catalogue is kept.
    assert wanted.done()
    with pytest.raises(BuildStoppedError):
        wanted.result()
    assert not catalogs._catalogs


def test_every_step_of_a_catalogue_build_lets_a_stop_in() -> None:
    calls = 0

    def checkpoint() -> None:
        nonlocal calls
        calls += 1

    catalog = build_title_catalog(_titles(30_000), checkpoint)
    # Before and after grouping, between the index's steps, and every 4,096 words of the deletion
    # index (30,000 numbers among them): a stop is seen within a small part of the build.
    assert len(catalog.index.vocabulary) > 30_000
    assert calls >= 6 + len(catalog.index.vocabulary) // 4096
