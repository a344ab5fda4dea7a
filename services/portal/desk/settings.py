"""The desk's one setting, read from the portal's config: how long a signed-in officer may
stay idle before the desk asks for the password again (PORTAL_DESK_IDLE_SECONDS)."""

from __future__ import annotations

from dataclasses import dataclass

from nameko.extensions import DependencyProvider

DEFAULT_IDLE_SECONDS = 1800


@dataclass(frozen=True)
class Settings:
    idle_seconds: int


class DeskSettings(DependencyProvider):
    def setup(self):
        value = self.container.config.get("PORTAL_DESK_IDLE_SECONDS") or DEFAULT_IDLE_SECONDS
        self.settings = Settings(idle_seconds=max(1, int(value)))

    def get_dependency(self, worker_ctx):
        return self.settings
