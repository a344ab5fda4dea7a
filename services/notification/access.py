"""Who may see notification's operational endpoints (deliveries, replay).

Deliveries are about the national transports (SMTP, the SMS gateway, Twitter) and about
reporters, never about an agency: a delivery row has no agency, and no one at an agency can fix
a refused SMS. So only ``national_admin`` (national operations) sees them; every other role,
``coordinator_admin`` included, gets 403. Pure: no nameko, no I/O.
"""

from __future__ import annotations

from shared.auth import Forbidden, StaffClaims

OPS_ROLES = frozenset({"national_admin"})


def check_ops(staff: StaffClaims) -> StaffClaims:
    if staff.role not in OPS_ROLES:
        raise Forbidden(
            "Hanya admin nasional yang dapat melihat pengiriman / "
            "Only a national admin may see deliveries"
        )
    return staff


def delivery_view(row) -> dict:
    """What ops read of a delivery: how it went, never where it went or anything that opens
    the reporter's inbox (no address, no key). The tracking id says which report it was about;
    only national operations ever see it."""
    kind, _, ref = row.recipient.partition(":")
    return {
        "id": row.id,
        "event_id": row.event_id,
        "recipient_kind": "reporter" if kind == "report" else kind,
        "tracking_id": ref if kind == "report" else None,
        "channel": row.channel,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
    }
