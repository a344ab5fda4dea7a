"""Comparing a secret with what a client sent, in constant time, whatever the client sent.

``hmac.compare_digest`` raises TypeError for a ``str`` with a character outside ASCII, so a
header, query value or token with one would be a 500; compared as UTF-8 bytes it is simply
not equal."""

from __future__ import annotations

import hmac


def equal(expected: str | bytes, given: str | bytes | None) -> bool:
    return hmac.compare_digest(_bytes(expected), _bytes(given or b""))


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
