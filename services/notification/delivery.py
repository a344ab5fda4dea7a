"""When to try a delivery again (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 2.0
    max_seconds: float = 600.0

    @classmethod
    def from_config(cls, config: dict) -> RetryPolicy:
        """DELIVERY_MAX_ATTEMPTS and DELIVERY_BACKOFF_SECONDS of the service's config."""
        return cls(
            max_attempts=int(config.get("DELIVERY_MAX_ATTEMPTS", 6)),
            base_seconds=float(config.get("DELIVERY_BACKOFF_SECONDS", 2)),
        )

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based): exponential
        backoff with full jitter, so deliveries that failed together do not retry together."""
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1))
        return (rng or random).uniform(ceiling / 2, ceiling)

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


# what each reporter channel is reached by, outside the in-app inbox
CHANNEL_TRANSPORT = {
    "sms": "sms",
    "twitter": "twitter_dm",
    "web": "email",
    "mobile": "email",
    "email": "email",
    "open311": "email",
    "walk_in": "email",
}
