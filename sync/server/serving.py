"""How `outreach server run` serves the app: uvicorn with limits for slow and abusive clients.

uvicorn bounds nothing a slowloris client does: headers may trickle in forever, a body may stop
half-way, and every such connection keeps a file descriptor. `GuardedH11Protocol` adds
- a header deadline: a request's headers must be complete within `header_timeout` seconds of its
  first byte (or of the connection opening);
- a body idle timeout: while a body is being received, each chunk must follow the last within
  `body_timeout` seconds;
- a connection cap below the open-files limit: at the cap, the oldest connection still waiting
  for its headers is closed to make room (a busy one never is), so half-open connections cannot
  starve the server of descriptors and a real client still gets served.
Header size is bounded by h11 (`h11_max_incomplete_event_size`: larger headers get 400 and the
connection is closed); the number of headers by `HeaderCountLimit` in the app (431).
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_BYTES_LIMIT = 16 * 1024
FD_RESERVE = 64  # descriptors kept free for the database, logs and the listening socket


@dataclass(frozen=True)
class ServingLimits:
    """Timeouts and caps of the HTTP layer; environment variables lower them for tests."""

    header_timeout: float = 10.0
    body_timeout: float = 20.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 4096

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ServingLimits:
        """Defaults, overridden by OUTREACH_SERVER_{HEADER_TIMEOUT,BODY_TIMEOUT,MAX_CONNECTIONS}."""
        env = dict(os.environ if env is None else env)
        base = cls()
        return cls(
            header_timeout=float(env.get("OUTREACH_SERVER_HEADER_TIMEOUT", base.header_timeout)),
            body_timeout=float(env.get("OUTREACH_SERVER_BODY_TIMEOUT", base.body_timeout)),
            keep_alive_timeout=base.keep_alive_timeout,
            max_connections=int(env.get("OUTREACH_SERVER_MAX_CONNECTIONS", base.max_connections)),
        )

    def connection_cap(self) -> int:
        """`max_connections`, lowered to stay below this process's open-files limit."""
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft == resource.RLIM_INFINITY:
            return self.max_connections
        return max(8, min(self.max_connections, soft - FD_RESERVE))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline, a body idle timeout and a connection cap."""

    header_timeout = 10.0
    body_timeout = 20.0
    connection_cap = 4096

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection (closing the oldest waiting one at the cap) and start its clock."""
        self._guard: asyncio.TimerHandle | None = None
        self._guard_kind = ""
        self._opened = time.monotonic()
        super().connection_made(transport)
        if len(self.connections) > self.connection_cap:
            victim = self._oldest_waiting()
            (victim or self).transport.close()
            if victim is None:
                return
        self._arm("header", self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed h11, then set the clock for what the connection now waits for."""
        super().data_received(data)
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm("body", self.body_timeout)  # each chunk restarts the idle clock
        elif state is h11.IDLE:
            if self._guard_kind != "header":  # the first bytes of the next request's headers
                self._arm("header", self.header_timeout)
        else:
            self._disarm()  # the request is in: the app's time is not the client's

    def on_response_complete(self) -> None:
        """Between requests uvicorn's keep-alive timeout applies; ours restarts with new bytes."""
        self._disarm()
        super().on_response_complete()

    def _waiting(self) -> bool:
        return self.conn.their_state is h11.IDLE and (
            self.cycle is None or self.cycle.response_complete
        )

    def _oldest_waiting(self) -> GuardedH11Protocol | None:
        waiting = [
            c
            for c in self.connections
            if isinstance(c, GuardedH11Protocol)
            and c is not self
            and not c.transport.is_closing()
            and c._waiting()
        ]
        return min(waiting, key=lambda c: c._opened) if waiting else None

    def _arm(self, kind: str, seconds: float) -> None:
        self._disarm()
        self._guard_kind = kind
        self._guard = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        guard = getattr(self, "_guard", None)
        if guard is not None:
            guard.cancel()
        self._guard = None
        self._guard_kind = ""

    def _expire(self) -> None:
        self._guard = None
        if not self.transport.is_closing():
            self.transport.close()


def _guarded(limits: ServingLimits) -> type[GuardedH11Protocol]:
    return type(
        "ConfiguredGuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "header_timeout": limits.header_timeout,
            "body_timeout": limits.body_timeout,
            "connection_cap": limits.connection_cap(),
        },
    )


# The guarded protocol configured from the environment, by import path: worker processes are
# started afresh (spawn) and import it, with the limits their parent's environment sets.
EnvGuardedH11Protocol = _guarded(ServingLimits.from_env())
ENV_PROTOCOL = "sync.server.serving:EnvGuardedH11Protocol"


def server_config(
    app: Any,
    *,
    log_config: dict[str, Any],
    limits: ServingLimits,
    workers: int = 1,
    factory: bool = False,
    **tls: Any,
) -> uvicorn.Config:
    """The uvicorn config of `outreach server run`: h11 with the guards above, no server header;
    `tls` (ssl_certfile, ssl_keyfile) serves HTTPS. With several workers `app` is an import
    string of an app factory and the protocol is named by its import path."""
    protocol: Any = ENV_PROTOCOL if workers > 1 else _guarded(limits)
    return uvicorn.Config(
        app,
        factory=factory,
        workers=workers,
        http=protocol,
        h11_max_incomplete_event_size=HEADER_BYTES_LIMIT,
        timeout_keep_alive=int(limits.keep_alive_timeout),
        log_config=log_config,
        access_log=True,
        server_header=False,
        lifespan="off",
        proxy_headers=False,  # X-Forwarded-* decides nothing here, not even from loopback
        **tls,
    )


__all__ = ["GuardedH11Protocol", "ServingLimits", "server_config"]
