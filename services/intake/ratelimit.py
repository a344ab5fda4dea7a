"""Per-sender rate limits on the SMS, Twitter and HTTP doors: a fixed window per sender, kept
in the process (each copy of intake counts its own senders).

In-process rather than in the database: a limit only has to stop a flood from one sender, so
counting per copy is enough (N copies allow at most N times the limit) and costs no write per
request. Senders are kept as SHA-256 digests, so the counter holds no phone number, and the
table is bounded (the oldest windows are dropped first).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int  # allowed per window; 0 disables the limit
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'20/3600' → 20 per hour."""
        count, _, seconds = str(text).partition("/")
        return cls(int(count), float(seconds or 60))


class RateLimiter:
    def __init__(self, max_senders: int = 100_000, clock=time.monotonic):
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._max = max_senders
        self._clock = clock
        self._lock = threading.Lock()

    def allow(self, door: str, sender: str, limit: Limit) -> tuple[bool, int]:
        """(allowed, seconds until the window resets) for one more message from ``sender``."""
        if limit.count <= 0:
            return True, 0
        key = hashlib.sha256(f"{door}\0{sender}".encode()).hexdigest()
        now = self._clock()
        with self._lock:
            started, count = self._windows.pop(key, (now, 0))
            if now - started >= limit.seconds:
                started, count = now, 0
            count += 1
            self._windows[key] = (started, count)
            while len(self._windows) > self._max:
                self._windows.popitem(last=False)
        retry = max(1, int(limit.seconds - (now - started)))
        return count <= limit.count, retry


class Busy(Exception):
    """Every slot of a Gate is taken."""


class Gate:
    """At most ``size`` of something at once in this process; the next one is turned away at
    once rather than queued. Password hashing holds a nameko worker for its whole time (in the
    OS thread pool, off the event loop): without a gate, a burst of logins takes every worker
    and `/health` or a report waits behind them."""

    def __init__(self, size: int):
        self.size = size
        self._free = threading.BoundedSemaphore(size) if size > 0 else None

    @contextmanager
    def slot(self):
        if self._free is None:  # 0: no gate
            yield
            return
        if not self._free.acquire(blocking=False):
            raise Busy()
        try:
            yield
        finally:
            self._free.release()
