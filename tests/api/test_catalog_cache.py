"""A new dataset version's suggestion catalogue is built in the background; the previous one suggests
meanwhile, so no 404 waits for the build."""

from __future__ import annotations

import asyncio
from typing import cast

import orjson

from api.services.dataset import DatasetReader, Found, KeyFor
from api.services.suggestions import CatalogCache

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
