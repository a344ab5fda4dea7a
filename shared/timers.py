"""A timer whose interval comes from the config (the services' sweeps). "Now" is shared.clock."""

from __future__ import annotations

from nameko.timer import Timer


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
