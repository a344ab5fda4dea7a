"""Routing's sense of time: "now" as a dependency (so tests and demos can move it instead of
sleeping for days) and a timer whose interval comes from the config."""

from __future__ import annotations

from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider
from nameko.timer import Timer

from shared.calendar import WorkingCalendar, from_config
from shared.db import utcnow


class Clock(DependencyProvider):
    """``self.clock.now()`` → the current UTC time, shifted by ``CLOCK_OFFSET_SECONDS`` (config,
    default 0) and by whatever ``travel()`` added; ``self.clock.calendar`` → the working-day
    calendar (``COLLECTIVE_LEAVE``). Never set an offset in production."""

    def setup(self):
        config = self.container.config
        self.offset = timedelta(seconds=float(config.get("CLOCK_OFFSET_SECONDS") or 0))
        self.calendar: WorkingCalendar = from_config(config)

    def now(self) -> datetime:
        return utcnow() + self.offset

    def travel(self, delta: timedelta) -> None:
        """Move this process's "now" by ``delta`` (tests, demos)."""
        self.offset += delta

    def get_dependency(self, worker_ctx):
        return self


class ConfiguredTimer(Timer):
    """``@ConfiguredTimer.decorator(interval=60, config_key="CLOCK_INTERVAL")``: the config value,
    when set, replaces the default interval (seconds)."""

    def __init__(self, interval, config_key: str, eager: bool = False, **kwargs):
        self.config_key = config_key
        super().__init__(interval, eager=eager, **kwargs)

    def setup(self):
        raw = self.container.config.get(self.config_key)
        if raw not in (None, ""):
            self.interval = float(raw)
        super().setup()


configured_timer = ConfiguredTimer.decorator
