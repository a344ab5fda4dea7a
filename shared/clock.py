"""Every service's sense of time: ``clock = Clock()`` on a service, ``self.clock.now()`` in it.

"Now" is a dependency so that tests and demos move it instead of sleeping for days: every
SPEC §5 clock (routing's four, intake's returned-report clock) can be run to its end by moving
the clock of the service that keeps it. ``self.clock.calendar`` is the working-day calendar
(``COLLECTIVE_LEAVE``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider

from shared.calendar import WorkingCalendar, from_config
from shared.db import utcnow


class Clock(DependencyProvider):
    """``now()`` → the current UTC time, shifted by ``CLOCK_OFFSET_SECONDS`` (config, default 0)
    and by whatever ``travel()`` added. Never set an offset in production."""

    def setup(self):
        config = self.container.config
        self.offset = timedelta(seconds=float(config.get("CLOCK_OFFSET_SECONDS") or 0))
        self.calendar: WorkingCalendar = from_config(config)

    def now(self) -> datetime:
        return utcnow() + self.offset

    def travel(self, delta: timedelta) -> None:
        """Move this process's "now" by ``delta`` (tests, demos)."""
        self.offset += delta

    def set(self, moment: datetime) -> None:
        """From now on "now" runs on from ``moment`` (tests, demos)."""
        self.offset = moment - utcnow()

    def get_dependency(self, worker_ctx):
        return self
