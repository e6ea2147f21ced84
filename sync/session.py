"""The laptop's HTTP session to the central API: retries, certificate checks, no redirects.

Kept apart from the sync client (which decides what to send) so the transport rules live in
one short module: verify certificates (system store or the branch CA), never follow a
redirect, ignore proxy and CA settings from the environment, and never retry a TLS failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.protocol import ACCEPT_KINDS_HEADER, CURRENT_VERSION_HEADER, NEWER_KINDS, PROTOCOL_VERSION

if TYPE_CHECKING:
    from sync.client import SyncConfig


class _Retry(Retry):
    """Retry as configured, except a TLS failure: a certificate does not get better in 8 s."""

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        """Give up at once on an SSL error; count anything else as usual."""
        if isinstance(error, urllib3.exceptions.SSLError):
            raise urllib3.exceptions.MaxRetryError(_pool, url, error)
        return super().increment(method, url, response, error, _pool, _stacktrace)


def make_session(config: SyncConfig) -> requests.Session:
    """A session that retries network errors, timeouts, 429 and 5xx with jittered backoff.

    It verifies the server's certificate (the system trust store, or the branch's CA file)
    and never follows a redirect: a 3xx is an error, so a push body never reaches a host
    other than the one configured.
    """
    retry = _Retry(
        total=config.retries,
        connect=config.retries,
        read=config.retries,
        status=config.retries,
        other=config.retries,
        backoff_factor=config.backoff,
        backoff_max=config.backoff_max,
        backoff_jitter=config.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=None,  # push is idempotent: a replay is answered `duplicate`
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=0,
        raise_on_redirect=False,
    )
    session = requests.Session()
    session.verify = config.ca_file or True
    session.max_redirects = 0
    session.trust_env = False  # no proxy or CA bundle from the environment decides for us
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "Authorization": f"Bearer {config.token}",
            "Accept-Encoding": "gzip",
            "User-Agent": f"outreach-sync/{PROTOCOL_VERSION}",
            # Conflict answers then name the server's version (resolve_conflict needs it).
            CURRENT_VERSION_HEADER: "1",
            # Records sent back by the branch console come with the pull (store.review_notes).
            ACCEPT_KINDS_HEADER: ",".join(NEWER_KINDS),
        }
    )
    return session


def tls_reason(exc: Exception) -> str:
    """A short, fixed reason for a TLS failure (never the whole chain of exception texts)."""
    text = str(exc)
    for marker, reason in (
        ("self-signed certificate", "self-signed certificate"),
        ("unable to get local issuer certificate", "unknown certificate authority"),
        ("certificate has expired", "certificate expired"),
        ("Hostname mismatch", "certificate is for another host"),
        ("IP address mismatch", "certificate is for another host"),
        ("doesn't match", "certificate is for another host"),
        ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed"),
        ("WRONG_VERSION_NUMBER", "the server does not speak TLS"),
    ):
        if marker in text:
            return reason
    return "TLS handshake failed"
