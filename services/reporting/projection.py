"""Applying events to the report facts: idempotent and indifferent to arrival order."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from services.reporting.models import report_facts
from shared.lifecycle import STATUSES


def apply(session: Session, event_type: str, body: dict) -> None:
    tracking_id = body["tracking_id"]
    if event_type == "report_submitted":
        facts = {
            "category_id": body["category_id"],
            "region_code": body["region_code"],
            "privacy": body["privacy"],
            "channel": body["channel"],
            "submitted_at": body["submitted_at"],
        }
        _upsert(session, tracking_id, "awaiting_verification", facts)
    elif event_type == "report_routed":
        facts = {
            "agency_code": body["agency_code"],
            "agency_name": body["agency_name"],
            "category_id": body["category_id"],
            "region_code": body["region_code"],
            "privacy": body["privacy"],
            "routed_at": body["routed_at"],
        }
        _upsert(session, tracking_id, "dispatched", facts)


def _upsert(session: Session, tracking_id: str, status: str, facts: dict) -> None:
    rank = STATUSES[status].rank
    row = session.execute(
        select(report_facts.c.status_rank).where(report_facts.c.tracking_id == tracking_id)
    ).first()
    if row is None:
        session.execute(
            insert(report_facts).values(
                tracking_id=tracking_id, status=status, status_rank=rank, **facts
            )
        )
        return
    # facts fill in whatever is known; the status only moves forward
    session.execute(
        update(report_facts).where(report_facts.c.tracking_id == tracking_id).values(**facts)
    )
    if rank > row.status_rank:
        session.execute(
            update(report_facts)
            .where(report_facts.c.tracking_id == tracking_id)
            .values(status=status, status_rank=rank)
        )


def stats(session: Session, agency_code: str | None = None) -> dict:
    query = select(
        report_facts.c.agency_code, report_facts.c.agency_name, report_facts.c.status, func.count()
    ).group_by(report_facts.c.agency_code, report_facts.c.agency_name, report_facts.c.status)
    if agency_code:
        query = query.where(report_facts.c.agency_code == agency_code)
    by_agency: dict = {}
    by_status: dict = {}
    for code, name, status, count in session.execute(query):
        entry = by_agency.setdefault(code, {"agency_code": code, "agency_name": name, "counts": {}})
        entry["counts"][status] = count
        by_status[status] = by_status.get(status, 0) + count
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "agencies": sorted(
            by_agency.values(), key=lambda e: (e["agency_code"] is None, e["agency_code"] or "")
        ),
    }
