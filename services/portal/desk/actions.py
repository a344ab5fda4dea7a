"""Which desk actions a report page offers the officer: those the status allows (the one table
of shared.lifecycle) to someone of their role and relation to the report (routing's detail
says how they see it: "holder", "oversight", "watcher", "escalated", "location"). Only what
they could do is shown; routing still refuses anything else."""

from __future__ import annotations

from shared import lifecycle

AGENCY = {"followup": "follow_up", "decline": "decline"}
COORDINATOR = {"postpone": "postpone", "archive": "archive", "correct": "correct"}
ORDER = ("followup", "confirm", "dispatch", "decline", "postpone", "archive", "correct")


def offered(detail: dict, role: str | None) -> list[str]:
    """["followup", "decline"] for the holder's liaison on a dispatched report, …"""
    status = (detail.get("status") or {}).get("code")
    relation = detail.get("access")
    shown = set()
    if relation == "holder" and role != "oversight_viewer":
        shown |= {
            name
            for name, action in AGENCY.items()
            if lifecycle.allowed(status, action, lifecycle.AGENCY)
        }
    if role in ("coordinator_admin", "national_admin") and relation in ("holder", "location"):
        by = lifecycle.COORDINATOR
        shown |= {
            name for name, action in COORDINATOR.items() if lifecycle.allowed(status, action, by)
        }
        if status == lifecycle.AWAITING_VERIFICATION and detail.get("proposed_agency_code"):
            shown.add("confirm")
        if lifecycle.allowed(status, "dispatch", by) or lifecycle.allowed(status, "redispatch", by):
            shown.add("dispatch")
    return [name for name in ORDER if name in shown]
