"""Intake's settings provider: calendar, limits, secrets (the blob store is shared.blobs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nameko.extensions import DependencyProvider

from services.intake.filing import Settings
from services.intake.ratelimit import Gate, RateLimiter
from shared import calendar, keyfiles
from shared.fixed_windows import Limit
from shared.forwarded import Network, trusted_proxies


@dataclass(frozen=True)
class IntakeSettings:
    filing: Settings
    token_secret: str
    token_ttl: timedelta
    sms_limit: Limit
    twitter_limit: Limit
    http_limit: Limit
    login_limit: Limit
    login_client_limit: Limit
    hashing: Gate
    sms_gateway_key: str
    twitter_secret: str
    twitter_account_id: str
    max_json_bytes: int
    max_attachment_bytes: int
    limiter: RateLimiter
    trusted_proxies: tuple[Network, ...] = ()  # whose X-Forwarded-For names the client


def token_secret(config: dict) -> str:
    """INTAKE_TOKEN_SECRET, or the one generated into var/keys/ (shared.keyfiles)."""
    return keyfiles.secret(config, "INTAKE_TOKEN_SECRET", "intake-token-secret")


def sms_gateway_key(config: dict) -> str:
    """SMS_GATEWAY_KEY, the key the gateway sends as ``&key=``; generated when unset (print the
    gateway's line with ``satupintu sms-gateway-line``)."""
    return keyfiles.secret(config, "SMS_GATEWAY_KEY", "sms-gateway-key")


class Configured(DependencyProvider):
    """``self.settings``: one IntakeSettings per process, read from the config once."""

    def setup(self):
        config = self.container.config
        self.settings = IntakeSettings(
            filing=Settings(
                calendar=calendar.from_config(config),
                returned_days=int(config.get("RETURNED_DEADLINE_DAYS", 10)),
            ),
            token_secret=token_secret(config),
            token_ttl=timedelta(seconds=int(config.get("INTAKE_TOKEN_TTL", 86400))),
            sms_limit=Limit.parse(config.get("SMS_RATE_LIMIT", "20/3600")),
            twitter_limit=Limit.parse(config.get("TWITTER_RATE_LIMIT", "20/3600")),
            http_limit=Limit.parse(config.get("HTTP_RATE_LIMIT", "300/60")),
            login_limit=Limit.parse(config.get("LOGIN_RATE_LIMIT", "10/300")),
            login_client_limit=Limit.parse(config.get("LOGIN_CLIENT_RATE_LIMIT", "60/300")),
            hashing=Gate(int(config.get("PASSWORD_HASHING_SLOTS", 3))),
            sms_gateway_key=sms_gateway_key(config),
            twitter_secret=str(config.get("TWITTER_CONSUMER_SECRET") or ""),
            twitter_account_id=str(config.get("TWITTER_ACCOUNT_ID") or ""),
            max_json_bytes=int(config.get("MAX_JSON_BYTES", 64 * 1024)),
            max_attachment_bytes=int(config.get("ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)),
            limiter=RateLimiter(),
            trusted_proxies=trusted_proxies(config.get("TRUSTED_PROXIES", "")),
        )

    def get_dependency(self, worker_ctx):
        return self.settings
