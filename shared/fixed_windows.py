"""Fixed-window counters kept in the process, and a limit as configured (``"20/3600"``).

A key is counted in its current window; the window starts again once its seconds have passed.
Keys are held as SHA-256 digests (no phone number or username is kept) and the table is
bounded, the oldest windows dropped first. Each copy of a service counts its own keys, so N
copies allow at most N times a limit, and a count costs no write.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int  # allowed per window; 0 disables the limit
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'20/3600' → 20 per hour; '5' → 5 per minute."""
        count, _, seconds = str(text).partition("/")
        return cls(int(count), float(seconds or 60))


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class FixedWindows:
    def __init__(self, max_keys: int = 100_000, clock=time.monotonic):
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._max, self._clock = max_keys, clock
        self._lock = threading.Lock()

    def add(self, key: str, seconds: float) -> tuple[int, float]:
        """Count ``key`` once in its window of ``seconds``: (its count in this window, this one
        included; the seconds left until the window starts again)."""
        digest = _digest(key)
        now = self._clock()
        with self._lock:
            started, count = self._windows.pop(digest, (now, 0))
            if now - started >= seconds:
                started, count = now, 0
            self._windows[digest] = (started, count + 1)
            while len(self._windows) > self._max:
                self._windows.popitem(last=False)
        return count + 1, seconds - (now - started)

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(_digest(key), None)
