"""What a routing decision looks like to regional instances (pure)."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared import privacy

NO_REGION = "00"  # a report without a location (a national information request)


def routing_key(region_code: str, agency_code: str) -> str:
    """``73.11.01.2002.PROV-73-DISDIK``: region segments, then the agency (codes have no dots);
    ``00.KEMENKES`` for a report without a location."""
    return f"{region_code or NO_REGION}.{agency_code}"


def public_decision(kind: str, report: dict, agency, rule: str, at: datetime) -> tuple[str, dict]:
    """(aggregate id, body) of a regional_decision: the public column of SPEC §3.

    A confidential report shows where it went and nothing of what it says; even its tracking id
    stays home (the aggregate id is a fresh random one).
    """
    body = {
        "kind": kind,
        "region_code": report["region_code"],
        "agency_code": agency.code,
        "agency_name": agency.name or agency.code,
        "rule": rule,
        "privacy": report["privacy"],
        "decided_at": at,
    }
    if report["privacy"] == privacy.CONFIDENTIAL:
        return uuid.uuid4().hex, body
    body.update(
        tracking_id=report["tracking_id"],
        category_id=report["category_id"],
        title=report.get("title"),
    )
    return report["tracking_id"], body
