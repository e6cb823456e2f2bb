"""Checks made before anything starts, so a taken port or a missing source is one clear line."""

from __future__ import annotations

import errno
import socket


class PreflightError(RuntimeError):
    """The run cannot start; the message says what to change."""


def ensure_port_free(host: str, port: int) -> None:
    """Bind the API's address for a moment, the way uvicorn will (SO_REUSEADDR)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PreflightError(
                    f"port {port} on {host} is already in use (another `make run` or another program?); "
                    f"stop it or choose another port, e.g. API_PORT={port + 1} make run"
                ) from exc
            raise PreflightError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
