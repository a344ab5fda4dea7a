"""The report key: what proves a report filed without an account is the reporter's. Derived
from intake's secret and the tracking id; only its digest is stored."""

from __future__ import annotations

import base64
import hashlib
import hmac


def key_digest(report_key: str) -> str:
    return hashlib.sha256(report_key.encode()).hexdigest()


def report_key_for(secret: str, tracking_id: str) -> str:
    """The report key of a report filed without an account: derived from intake's secret, so
    a retried filing (the same Idempotency-Key, client and body) can be given it again, while
    only its digest is stored."""
    mac = hmac.new(secret.encode(), f"report-key\0{tracking_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()
