"""Redis URLs and their password: what one carries, and REDIS_PASSWORD added to one without it."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit


def carried_password(url: str) -> str | None:
    """The password `url` carries, decoded (`redis://:p%40ss@host` carries `p@ss`), or None.

    redis-py also reads a `?password=` query argument, so that one counts too.
    """
    parts = urlsplit(url)
    if parts.password:
        return unquote(parts.password)
    in_query = parse_qs(parts.query).get("password")
    return in_query[0] if in_query and in_query[0] else None


def with_password(url: str, password: str) -> str:
    """`url` with `password` in it (encoded, so `@`, `:` or `/` in a password cannot break it);
    a user name in `url` is kept."""
    parts = urlsplit(url)
    address = parts.netloc.rsplit("@", 1)[-1]
    user = quote(unquote(parts.username), safe="") if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{address}"))
