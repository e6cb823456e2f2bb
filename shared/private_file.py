"""Files only their owner may read (mode 0600): a secret made once, and text that carries one."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

PRIVATE_MODE = 0o600
# What a generated secret is made of; a file holding anything else (spaces, quotes, `@`) is refused,
# because the secret goes into a URL and a redis-server configuration line as it is.
_SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{16,}")


class UnsafeFileError(RuntimeError):
    """A private file others may read, or that is not what we wrote. The message names the file and
    says what to do; it never holds the file's content."""


def read_or_create_secret(path: Path) -> str:
    """The secret kept in `path`, made with `secrets` on first use.

    A new secret is written whole to a 0600 temporary file first and then linked to `path`, which
    fails if `path` exists: two processes starting at once agree on one secret, neither ever reads
    a half-written file, and there is never a moment when the secret is readable by others.
    """
    if path.exists() or path.is_symlink():
        return _read_secret(path)
    value = secrets.token_urlsafe(32)
    temporary = _private_temporary(path, value + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        return _read_secret(path)
    finally:
        temporary.unlink()
    return value


def _read_secret(path: Path) -> str:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise UnsafeFileError(f"{path} cannot be read ({exc.strerror}): it must be a plain file") from None
    with os.fdopen(descriptor) as handle:
        _refuse_unless_private(path, os.fstat(handle.fileno()))
        value = handle.read().strip()
    if not _SECRET_CHARACTERS.fullmatch(value):
        raise UnsafeFileError(
            f"{path} does not hold a usable password (16 or more letters, digits, - or _); "
            "delete it and a new one is generated"
        )
    return value


def _refuse_unless_private(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeFileError(f"{path} is not a plain file")
    if status.st_uid != os.getuid():
        raise UnsafeFileError(f"{path} belongs to another user; it must be this user's own file")
    if status.st_mode & 0o077:
        raise UnsafeFileError(
            f"{path} can be read by other users (mode {stat.S_IMODE(status.st_mode):04o}); "
            f"refusing to use it. Run `chmod 600 {path}` if nobody else has read it, "
            "or delete it to have a new one generated"
        )


def write_private(path: Path, text: str) -> None:
    """Replaces `path` with `text`, readable by its owner only from the first byte on (a temporary
    file made 0600 and renamed over it, so a reader sees the old text or the new, never half)."""
    temporary = _private_temporary(path, text)
    try:
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def _private_temporary(path: Path, text: str) -> Path:
    """A new file next to `path` holding `text`, created 0600 (O_EXCL: never someone else's file)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_MODE)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
    except BaseException:
        temporary.unlink()
        raise
    return temporary
