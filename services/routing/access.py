"""Who may do what on the desk (SPEC §1, §6), from the staff token and the replica (pure).

A token names the agency whose subtree the person acts in (``scope_code``, computed by the
registry from role and agency). On a disposition:

- read: the holder is in the person's subtree, or a reader is (a watcher of a supervision
  report, a coordinator or oversight body it was escalated to);
- follow up, decline: the holder is in the subtree and the person is not an oversight viewer
  (read only); watchers and escalation readers never act;
- confirm a proposal, dispatch by hand, re-dispatch: coordinator and national admins, when the
  holder and the new agency are both in their subtree.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.routing import hierarchy
from services.routing.errors import (
    InactiveAgency,
    NotCoordinator,
    NotHolder,
    OutOfSubtree,
    ReadOnly,
    UnknownAgency,
)
from services.routing.policy import Directory
from shared.auth import StaffClaims

OVERSIGHT_VIEWER = "oversight_viewer"
COORDINATORS = frozenset({"coordinator_admin", "national_admin"})


def in_scope(directory: Directory, staff: StaffClaims, code: str | None) -> bool:
    return code is not None and hierarchy.within(directory, code, staff.scope_code)


def can_read(
    directory: Directory, staff: StaffClaims, holder: str, readers: Iterable[str] = ()
) -> bool:
    return in_scope(directory, staff, holder) or any(
        in_scope(directory, staff, code) for code in readers
    )


def relation(
    directory: Directory, staff: StaffClaims, holder: str, readers: dict[str, list[str]]
) -> str | None:
    """How the person sees the report: "holder", "watcher", "escalated", or None."""
    if in_scope(directory, staff, holder):
        return "holder" if staff.role != OVERSIGHT_VIEWER else "oversight"
    for kind in ("watcher", "escalated"):
        if any(in_scope(directory, staff, code) for code in readers.get(kind, ())):
            return kind
    return None


def check_holder(directory: Directory, staff: StaffClaims, holder: str) -> None:
    """The person may act for the agency holding the report (follow-up, decline)."""
    if not in_scope(directory, staff, holder):
        raise NotHolder(f"{holder} holds this report; it is outside {staff.scope_code}")
    if staff.role == OVERSIGHT_VIEWER:
        raise ReadOnly(f"An {OVERSIGHT_VIEWER} reads reports and does not act on them")


def check_coordinator(
    directory: Directory, staff: StaffClaims, holder: str, target: str | None = None
) -> None:
    """The person may dispatch a report held by ``holder`` (to ``target``) by hand."""
    if staff.role not in COORDINATORS:
        raise NotCoordinator(f"A {staff.role} cannot dispatch reports")
    if not in_scope(directory, staff, holder):
        raise OutOfSubtree(f"{holder} holds this report; it is outside {staff.scope_code}")
    if target is None:
        return
    agency = check_agency(directory, target, "agency_code")
    if not in_scope(directory, staff, target):
        raise OutOfSubtree(
            f"{target} is outside {staff.scope_code}'s subtree",
            errors=[{"field": "agency_code", "message": "outside your subtree"}],
        )
    if agency.status != "active":
        raise InactiveAgency(
            f"{target} is {agency.status}",
            errors=[{"field": "agency_code", "message": f"status is {agency.status}"}],
        )


def check_agency(directory: Directory, code: str, field: str):
    """The agency ``code`` as the replica knows it, or an unknown-agency problem on ``field``."""
    agency = directory.get(code)
    if agency is None:
        raise UnknownAgency(
            f"Instansi {code} tidak dikenal / No agency {code}",
            errors=[{"field": field, "message": "unknown agency"}],
        )
    return agency
