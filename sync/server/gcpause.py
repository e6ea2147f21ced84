"""Pausing the garbage collector while batches are handled, safely across threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _GcPause:
    """Pauses Python's cyclic garbage collector while any batch is handled, in any thread.

    A batch allocates some 100,000 short-lived objects (parsed JSON, validated records); freed
    by reference counting, they would still trigger collections that walk every live object.
    The pause lasts one batch (bounded by MAX_BATCH_BYTES); the last batch to end resumes it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._resume = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._resume:
                    gc.enable()


gc_paused = _GcPause()
