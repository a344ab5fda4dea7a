"""Retries that must not file twice (SPEC §8), after the IETF draft "The Idempotency-Key HTTP
Header Field": a key is the client's, not the world's, and it names one request.

- A key is bound to its client: the signed-in reporter, else the Open311 integrator, else the
  client address — and for SMS and Twitter the sender, whose message id it is. Another client
  using the same key files its own report.
- A key is bound to the request it first came with, by a digest of the payload: the same key
  with the same payload gets the first report again; with another payload it is refused (422).

What is stored is a digest of (door, client, key), so the table holds no phone number, and a
key of any length fits the column.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from services.intake.models import reports


class KeyReused(Exception):
    """The client sent this key before with another payload."""


def scoped(door: str, client: str, key: str) -> str:
    """The stored form of ``key`` sent by ``client`` at ``door`` ('http', 'open311', 'sms')."""
    return hashlib.sha256(f"{door}\0{client}\0{key}".encode()).hexdigest()


def payload_digest(payload) -> str:
    """A digest of a request's payload (a JSON value, or a form as a dict): equal for the same
    content whatever the order of its keys."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def first_report(session, stored_key: str, digest: str | None) -> str | None:
    """The tracking id first filed under ``stored_key``; KeyReused if that was another payload
    (``digest`` None: the door has no payload to compare, a channel message id)."""
    row = session.execute(
        select(reports.c.tracking_id, reports.c.request_digest).where(
            reports.c.idempotency_key == stored_key
        )
    ).first()
    if row is None:
        return None
    if digest is not None and row.request_digest is not None and row.request_digest != digest:
        raise KeyReused()
    return row.tracking_id
