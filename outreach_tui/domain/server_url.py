"""Where a laptop may send people's data: the one rule for the central API's URL.

Personal data (names, NIKs, phones) travels in every push, so the laptop sends nothing over
plain `http://` to a host beyond this machine: only `https://` leaves the laptop. Plain HTTP
stays allowed on loopback (127.0.0.0/8, ::1, `localhost`) for the demo and the tests. The
same rule guards `outreach setup`, the TUI's settings and first-run screens, `outreach sync
--server`, the settings file, and the sync client itself (defence in depth). Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class ServerUrlError(ValueError):
    """A server URL that breaks the transport rule; `code` is a translation key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (never reaches the network)."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The URL normalised (no trailing slash), or ServerUrlError naming the broken rule.

    Empty means "no server" and is returned as it is.
    """
    value = url.strip().rstrip("/")
    if not value:
        return ""
    if len(value) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ServerUrlError("server_url.malformed")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        raise ServerUrlError("server_url.malformed") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ServerUrlError("server_url.scheme")
    if not host:
        raise ServerUrlError("server_url.malformed")
    if parts.username is not None or parts.password is not None:
        raise ServerUrlError("server_url.credentials")
    if parts.query or parts.fragment:
        raise ServerUrlError("server_url.query")
    if scheme == "http" and not is_loopback_host(host):
        raise ServerUrlError("server_url.plain_http")
    del port
    return value
