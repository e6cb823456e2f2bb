"""The JSON response class every route returns: orjson rendering, no second validation pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import JSONResponse

# Names the dataset version a query answer was read from (every lookup of it read that one): the
# answer memo keeps an answer only when this is the current version; clients may show it too.
DATASET_VERSION_HEADER = "X-Dataset-Version"
DATASET_VERSION_RAW = DATASET_VERSION_HEADER.lower().encode()


class JsonResponse(JSONResponse):
    """Serialises with orjson; routes hand it plain dicts they already built for the contract.

    A JSONResponse, so FastAPI documents each route's `response_model` as its JSON body."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def query_answer(body: Mapping[str, Any], version: str) -> JsonResponse:
    """A 200 answer of a query route, naming the dataset version it was read from."""
    return JsonResponse(body, headers={DATASET_VERSION_HEADER: version})
