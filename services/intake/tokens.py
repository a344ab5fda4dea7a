"""Reporter login tokens: signed and verified by intake alone (HMAC-SHA256, with an expiry).

``<base64url payload>.<base64url signature>``, the payload ``{"sub": reporter id, "exp": unix
seconds, "v": 1}``. Only intake holds the secret (``INTAKE_TOKEN_SECRET``), so only intake
can issue or check them; staff tokens are another matter (shared.auth).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from shared import constant_time


class InvalidToken(Exception):
    pass


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def issue(secret: str, reporter_id: str, ttl: timedelta, now: datetime | None = None):
    """(token, expires_at) for ``reporter_id``."""
    expires = (now or datetime.now(UTC)) + ttl
    payload = _b64(
        json.dumps({"sub": reporter_id, "exp": int(expires.timestamp()), "v": 1}).encode()
    )
    return f"{payload}.{_sign(secret, payload)}", expires


def verify(secret: str, token: str, now: datetime | None = None) -> str:
    """The reporter id in a valid, unexpired token; InvalidToken otherwise."""
    payload, _, signature = (token or "").partition(".")
    if not payload or not signature or len(token) > 512:
        raise InvalidToken("malformed")
    if not constant_time.equal(_sign(secret, payload), signature):
        raise InvalidToken("bad signature")
    try:
        claims = json.loads(_unb64(payload))
        subject, expiry = str(claims["sub"]), int(claims["exp"])
    except (ValueError, KeyError, TypeError):
        raise InvalidToken("malformed") from None
    if expiry <= (now or datetime.now(UTC)).timestamp():
        raise InvalidToken("expired")
    return subject
