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

import time

from nameko.extensions import DependencyProvider

from services.agency_registry.staff import normal_username
from shared.fixed_windows import FixedWindows, Limit
from shared.problems import TooManyRequests


class Windows:
    """Fixed-window counters of one limit: ``add(key)``, ``allow(key)``, ``clear(key)``."""

    def __init__(self, limit: Limit, max_keys: int = 100_000, clock=time.monotonic):
        self.limit = limit
        self._windows = FixedWindows(max_keys, clock)

    def add(self, key: str) -> tuple[int, int]:
        """(attempts in this window including this one, seconds until it resets)."""
        count, left = self._windows.add(key, self.limit.seconds)
        return count, max(1, int(left + 0.999))

    def allow(self, key: str) -> int:
        """Count one attempt of ``key``: 0 if allowed, else the seconds to wait."""
        count, retry = self.add(key)
        return 0 if self.limit.count <= 0 or count <= self.limit.count else retry

    def clear(self, key: str) -> None:
        self._windows.clear(key)


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
