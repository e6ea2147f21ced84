"""Building blocks of the sample-data generator: weighted choices and name lists from text."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, drawn by bisecting cumulative weights (faster than choices())."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.items: list[T] = []
        self.cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self.cum.append(total)
        if not self.items:
            raise ValueError("nothing to choose from")
        self.total = total

    def pick(self, rng: random.Random) -> T:
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def names(text: str) -> tuple[str, ...]:
    """A comma-separated list of names (names may hold spaces, dots, apostrophes)."""
    return tuple(" ".join(n.split()) for n in text.split(",") if n.strip())
