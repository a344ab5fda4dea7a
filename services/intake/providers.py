"""Intake's dependency providers: its settings (calendar, limits, secrets) and the blob store."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from nameko.extensions import DependencyProvider

from services.intake.filing import Settings
from services.intake.ratelimit import Gate, Limit, RateLimiter
from shared import calendar, keyfiles
from shared.config import ROOT
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


class BlobStore(DependencyProvider):
    """Attachment bytes, content-addressed under ``BLOB_DIR`` (``<sha256[:2]>/<sha256>``)."""

    def setup(self):
        folder = Path(self.container.config.get("BLOB_DIR") or "var/blobs/intake")
        self.root = folder if folder.is_absolute() else ROOT / folder

    def get_dependency(self, worker_ctx):
        return Blobs(self.root)


class Blobs:
    def __init__(self, root: Path):
        self.root = root

    def put(self, data: bytes) -> str:
        """Store ``data``; its sha256. Written to a temporary file first, then renamed."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / digest[:2] / digest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(data)
            os.replace(handle.name, path)
        return digest

    def get(self, digest: str) -> bytes | None:
        path = self.root / digest[:2] / digest
        return path.read_bytes() if path.exists() else None
