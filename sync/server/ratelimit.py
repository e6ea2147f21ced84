"""A token bucket per device: a runaway laptop gets 429 and Retry-After, not the whole database."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """`rate` requests per second per key, with bursts up to `burst`; thread-safe."""

    def __init__(
        self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = float(burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str) -> float:
        """Take one token for `key`: 0.0 when allowed, else the seconds to wait before retrying."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate


def retry_after_header(wait: float) -> str:
    """Retry-After in whole seconds, at least 1 (HTTP has no fractions there)."""
    return str(max(1, math.ceil(wait)))


class SharedRateLimiter:
    """The same budget kept by the database (`rate_acquire`), so that N workers together allow
    what one would: a leaked token gets no more from a server with more workers."""

    def __init__(self, acquire: Callable[[str, float, int], float], rate: float, burst: int):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._acquire = acquire
        self.rate = rate
        self.burst = burst

    def acquire(self, key: str) -> float:
        """0.0 when allowed, else the seconds to wait before retrying."""
        return self._acquire(key, self.rate, self.burst)
