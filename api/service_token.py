"""The bot's service token check for the personal-list routes: Bearer BOT_API_TOKEN, never ADMIN_TOKEN."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import ResourcesDep
from api.errors import ForbiddenError, UnauthorizedError
from shared.wording import lists as wording_lists

_bearer = HTTPBearer(auto_error=False, description="El valor de BOT_API_TOKEN (solo el bot).")


async def require_bot(
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Missing -> 401, wrong -> 403, BOT_API_TOKEN not configured -> 403 for everyone (as admin routes)."""
    expected = resources.settings.bot_api_token
    if expected is None:
        raise ForbiddenError(wording_lists.SERVICE_DISABLED, code="service_disabled")
    if credentials is None or not credentials.credentials:
        raise UnauthorizedError(wording_lists.MISSING_SERVICE_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), expected.get_secret_value().encode()):
        raise ForbiddenError(wording_lists.WRONG_SERVICE_TOKEN, code="invalid_token")


BotDep = Annotated[None, Depends(require_bot)]
