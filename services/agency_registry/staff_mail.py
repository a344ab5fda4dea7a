"""Which staff want email beyond the in-app inbox (SPEC §9), and about what: each person
chooses for themselves; notification sends, asking here at send time who the agency's
recipients are (so a deactivated account or a preference switched off is heard at once).

Topics:
  new_disposition   a report dispatched to the agency (or queued for its manual dispatch)
  deadlines         a deadline approaching, or breached
  reporter_replies  the reporter's comment, or "not satisfied"

Nobody gets email without choosing it (and without an address on their account).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.agency_registry.audit import AuditLog
from services.agency_registry.models import staff

TOPICS = ("new_disposition", "deadlines", "reporter_replies")


def topics_of(row) -> list[str]:
    return [topic for topic in TOPICS if topic in (row.email_topics or ())]


def choose(session: Session, log: AuditLog, staff_id: str, topics: list[str]) -> list[str]:
    """Set the person's own topics (in TOPICS' order, each once); what is now set."""
    before = session.execute(select(staff).where(staff.c.id == staff_id)).one()
    chosen = [topic for topic in TOPICS if topic in topics]
    session.execute(update(staff).where(staff.c.id == staff_id).values(email_topics=chosen))
    log.add(
        "staff.email_topics",
        "staff",
        staff_id,
        before.agency_code,
        {"email_topics": topics_of(before)},
        {"email_topics": chosen},
    )
    return chosen


def recipients(session: Session, agency_code: str, topic: str) -> list[str]:
    """The addresses of the agency's active staff who chose ``topic``, sorted."""
    rows = session.execute(
        select(staff.c.email, staff.c.email_topics).where(
            staff.c.agency_code == agency_code,
            staff.c.status == "active",
            staff.c.email.is_not(None),
        )
    )
    return sorted({row.email for row in rows if topic in (row.email_topics or ())})
