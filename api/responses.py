"""The JSON response class every route returns: orjson rendering, no second validation pass."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JsonResponse(Response):
    """Serialises with orjson; routes hand it plain dicts they already built for the contract."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
