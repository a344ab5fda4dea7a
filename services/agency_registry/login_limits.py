"""How often someone may try to log in: per account and per client address.

Two fixed windows, counted in the process before any password is hashed, so a flood costs no
argon2 work:
- per account (the username as it resolves: stripped and case-folded, known or not, so the
  answer does not tell which names exist): LOGIN_ACCOUNT_LIMIT attempts not followed by a
  success, default "5/900" (5 in 15 minutes); past it even the right password waits, so
  guessing stops. Attempts count when they start, so parallel guesses cannot slip past the
  limit; a successful login clears the account's count.
- per client address: LOGIN_ADDRESS_LIMIT attempts of any outcome, default "60/60".
Each copy of the registry counts its own (N copies allow at most N times the limits); keys are
SHA-256 digests and the table is bounded, oldest windows dropped first.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from services.agency_registry.staff import normal_username
from shared.web import TooManyRequests


@dataclass(frozen=True)
class Limit:
    count: int  # per window; 0 disables
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'5/900' → 5 per 15 minutes."""
        count, _, seconds = str(text).partition("/")
        return cls(int(count), float(seconds or 60))


class Windows:
    """Fixed-window counters: ``count(key)``, ``add(key)``, ``clear(key)``."""

    def __init__(self, limit: Limit, max_keys: int = 100_000, clock=time.monotonic):
        self.limit, self._max, self._clock = limit, max_keys, clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def _current(self, key: str, now: float) -> tuple[float, int]:
        started, count = self._windows.pop(key, (now, 0))
        return (now, 0) if now - started >= self.limit.seconds else (started, count)

    def add(self, key: str) -> tuple[int, int]:
        """(attempts in this window including this one, seconds until it resets)."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        now = self._clock()
        with self._lock:
            started, count = self._current(digest, now)
            self._windows[digest] = (started, count + 1)
            while len(self._windows) > self._max:
                self._windows.popitem(last=False)
        return count + 1, max(1, int(self.limit.seconds - (now - started) + 0.999))

    def allow(self, key: str) -> int:
        """Count one attempt of ``key``: 0 if allowed, else the seconds to wait."""
        count, retry = self.add(key)
        return 0 if self.limit.count <= 0 or count <= self.limit.count else retry

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(hashlib.sha256(key.encode()).hexdigest(), None)


class LoginLimits(DependencyProvider):
    """``self.login_limits.attempt(username, address)`` before checking a password (429 past a
    limit), then ``succeeded(username)`` when it matched."""

    def setup(self):
        config = self.container.config
        self.accounts = Windows(Limit.parse(config.get("LOGIN_ACCOUNT_LIMIT", "5/900")))
        self.addresses = Windows(Limit.parse(config.get("LOGIN_ADDRESS_LIMIT", "60/60")))

    def get_dependency(self, worker_ctx):
        return self

    def attempt(self, username: str, address: str) -> None:
        retry = self.addresses.allow(address) or self.accounts.allow(normal_username(username))
        if retry:
            raise TooManyRequests(_WAIT, retry_after=retry)

    def succeeded(self, username: str) -> None:
        self.accounts.clear(normal_username(username))


_WAIT = "Terlalu banyak percobaan masuk; coba lagi nanti / Too many login attempts; try again later"
