"""Dependencies of the routes, as `Annotated` aliases: the app's resources and the admin check."""

from __future__ import annotations

import hmac
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ForbiddenError, UnauthorizedError
from api.lifespan import Resources
from shared.wording import errors as messages

_bearer = HTTPBearer(auto_error=False, description="El valor de ADMIN_TOKEN.")


async def get_resources(request: Request) -> Resources:
    # async on purpose: a plain def dependency would cost a thread hop on every request.
    return cast(Resources, request.state.resources)


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def require_admin(
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Bearer ADMIN_TOKEN: missing -> 401, wrong -> 403, not configured -> 403 for everyone."""
    expected = resources.settings.admin_token
    if expected is None:
        raise ForbiddenError(messages.ADMIN_DISABLED, code="admin_disabled")
    if credentials is None or not credentials.credentials:
        raise UnauthorizedError(messages.MISSING_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), expected.get_secret_value().encode()):
        raise ForbiddenError(messages.WRONG_TOKEN, code="invalid_token")


AdminDep = Annotated[None, Depends(require_admin)]
