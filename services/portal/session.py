"""The visitor's session, kept in a cookie that is encrypted and signed (Fernet: AES-CBC and
HMAC-SHA256), so any copy of the portal can serve any request and no copy keeps state.

It holds the language, the CSRF token, the report keys of reports filed without an account
(``{tracking_id: key}``, the last few), the reporter's sign-in token and a one-time notice.
A key or token is never put in a URL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken

from shared import constant_time

COOKIE = "satupintu_portal"
MAX_KEYS = 10
OPENED = 4096  # cookies kept opened per process: a visitor's next pages skip the decryption


class Session(dict):
    """A dict that knows whether it was changed (then the response sets the cookie again)."""

    def __init__(self, data=None):
        super().__init__(data or {})
        self.modified = False

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.modified = True

    def pop(self, key, default=None):
        if key in self:
            self.modified = True
        return super().pop(key, default)

    def csrf_token(self) -> str:
        if not self.get("csrf"):
            self["csrf"] = secrets.token_urlsafe(24)
        return self["csrf"]

    def csrf_ok(self, given: str | None) -> bool:
        return bool(self.get("csrf")) and constant_time.equal(self["csrf"], str(given or ""))

    def keep_key(self, tracking_id: str, key: str) -> None:
        keys = dict(self.get("keys") or {})
        keys.pop(tracking_id, None)
        keys[tracking_id] = key
        self["keys"] = dict(list(keys.items())[-MAX_KEYS:])

    def key_for(self, tracking_id: str) -> str | None:
        return (self.get("keys") or {}).get(tracking_id)

    def notice(self, message_key: str) -> None:
        self["notice"] = message_key

    def take_notice(self) -> str | None:
        return self.pop("notice")

    def sign_out(self) -> None:
        for name in ("token", "keys", "csrf"):
            self.pop(name)


class SessionCookie:
    def __init__(self, secret: str, ttl: int):
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        self._fernet, self._ttl = Fernet(key), ttl
        self._opened: dict[str, tuple[int, bytes]] = {}  # cookie → (issued at, plaintext)

    def load(self, value: str | None) -> Session:
        if not value:
            return Session()
        try:
            data = json.loads(self._open(value))
        except (InvalidToken, ValueError):
            return Session()  # tampered, expired or from another key: start afresh
        return Session(data if isinstance(data, dict) else {})

    def _open(self, value: str) -> bytes:
        """The cookie's plaintext; one already opened (by its exact text) is only checked
        for its age, as Fernet's own ttl check would."""
        hit = self._opened.get(value)
        if hit is not None:
            if time.time() - hit[0] > self._ttl:
                raise InvalidToken
            return hit[1]
        token = value.encode()
        plain = self._fernet.decrypt(token, ttl=self._ttl)
        if len(self._opened) >= OPENED:
            self._opened.clear()
        self._opened[value] = (self._fernet.extract_timestamp(token), plain)
        return plain

    def dump(self, session: Session) -> str:
        return self._fernet.encrypt(json.dumps(dict(session)).encode()).decode()
