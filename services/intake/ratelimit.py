"""Per-sender rate limits on the SMS, Twitter and HTTP doors: a fixed window per sender, kept
in the process (each copy of intake counts its own senders).

In-process rather than in the database: a limit only has to stop a flood from one sender, so
counting per copy is enough (N copies allow at most N times the limit) and costs no write per
request. Senders are kept as SHA-256 digests, so the counter holds no phone number, and the
table is bounded (the oldest windows are dropped first): shared.fixed_windows.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from shared.fixed_windows import FixedWindows, Limit


class RateLimiter:
    def __init__(self, max_senders: int = 100_000, clock=time.monotonic):
        self._windows = FixedWindows(max_senders, clock)

    def allow(self, door: str, sender: str, limit: Limit) -> tuple[bool, int]:
        """(allowed, seconds until the window resets) for one more message from ``sender``."""
        if limit.count <= 0:
            return True, 0
        count, left = self._windows.add(f"{door}\0{sender}", limit.seconds)
        return count <= limit.count, max(1, int(left))


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
