"""SMS delivery reports (pure): what Kannel's DLR types mean, and the signed URL Kannel calls.

Kannel fetches the ``dlr-url`` given with each sendsms, replacing ``%d`` with the report type
(a bit of ``dlr-mask``). The URL names the delivery, its attempt and the part of a split text,
and carries an HMAC of the three: a report cannot be forged for another delivery, and a late
report of an earlier attempt is recognised as such.

    url("http://notification:8004/channels/sms/delivery-report", key, 17, 2, 0)
    → "http://…/channels/sms/delivery-report?d=17&a=2&p=0&s=<hmac>&type=%d"
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from shared import constant_time

DELIVERED = 1  # delivered to the phone
UNDELIVERED = 2  # the SMSC gave up: not delivered to the phone
BUFFERED = 4  # the SMSC keeps trying
SMSC_ACCEPTED = 8
SMSC_REJECTED = 16  # the SMSC refused the message (after smsbox had accepted it)
MASK = DELIVERED | UNDELIVERED | SMSC_REJECTED  # dlr-mask=19: the final outcomes only


def outcome(report_type: int) -> str | None:
    """ "delivered", "failed", or None for an intermediate report (buffered, accepted)."""
    if report_type & (UNDELIVERED | SMSC_REJECTED):
        return "failed"
    if report_type & DELIVERED:
        return "delivered"
    return None


def signature(key: str, delivery_id: int, attempt: int, part: int) -> str:
    message = f"{delivery_id}:{attempt}:{part}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def is_signed(key: str, delivery_id: int, attempt: int, part: int, given: str) -> bool:
    return constant_time.equal(signature(key, delivery_id, attempt, part), given)


def url(base: str, key: str, delivery_id: int, attempt: int, part: int) -> str:
    query = urlencode(
        {"d": delivery_id, "a": attempt, "p": part, "s": signature(key, delivery_id, attempt, part)}
    )
    # %d stays literal: Kannel replaces it with the report type
    return f"{base}{'&' if '?' in base else '?'}{query}&type=%d"
