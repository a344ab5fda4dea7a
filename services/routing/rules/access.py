"""Who may do what on the desk (SPEC §1, §6), from the staff token and the replica (pure).

A token names the agency whose subtree the person acts in (``scope_code``, computed by the
registry from role and agency). On a disposition:

- read: the holder is in the person's subtree, or a reader is (a watcher of a supervision
  report, a coordinator or oversight body it was escalated to);
- follow up, decline: the holder is in the subtree and the person is not an oversight viewer
  (read only); watchers and escalation readers never act;
- confirm a proposal, dispatch by hand, re-dispatch, archive, postpone, correct: coordinator
  and national admins, when the holder is in their subtree or the report's location lies in
  their government's jurisdiction (wherever it is held: a ministry holding a report about a
  provincial road in Barru is within reach of Barru's and Sulawesi Selatan's coordinators);
  the new agency must be in their subtree (SPEC §6: nobody acts on an agency outside it).
"""

from __future__ import annotations

from collections.abc import Iterable

from services.routing.errors import (
    InactiveAgency,
    NotCoordinator,
    NotHolder,
    OutOfSubtree,
    ReadOnly,
    UnknownAgency,
)
from services.routing.rules import hierarchy
from services.routing.rules.policy import Directory
from shared.auth import StaffClaims
from shared.regions import covers

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


def covers_location(directory: Directory, staff: StaffClaims, region_code: str | None) -> bool:
    """A coordinator's government covers the report's location (the national root: all)."""
    if staff.role not in COORDINATORS or not region_code:
        return False
    scope = directory.get(staff.scope_code)
    if scope is None:
        return False
    if not scope.jurisdictions:
        return hierarchy.is_root(directory, scope.code)
    return any(covers(j, region_code) for j in scope.jurisdictions)


def places_of(directory: Directory, staff: StaffClaims) -> list[str] | None:
    """The region codes whose reports a coordinator lists wherever they are held ([] for
    others; None for the national root, which lists everything anyway)."""
    if staff.role not in COORDINATORS:
        return []
    scope = directory.get(staff.scope_code)
    if scope is None:
        return []
    if not scope.jurisdictions:
        return None if hierarchy.is_root(directory, scope.code) else []
    return list(scope.jurisdictions)


def relation(
    directory: Directory,
    staff: StaffClaims,
    holder: str,
    readers: dict[str, list[str]],
    region_code: str | None = None,
) -> str | None:
    """How the person sees the report: "holder", "watcher", "escalated", "location" (a
    coordinator of the place it is about), or None."""
    if in_scope(directory, staff, holder):
        return "holder" if staff.role != OVERSIGHT_VIEWER else "oversight"
    for kind in ("watcher", "escalated"):
        if any(in_scope(directory, staff, code) for code in readers.get(kind, ())):
            return kind
    if covers_location(directory, staff, region_code):
        return "location"
    return None


def check_holder(directory: Directory, staff: StaffClaims, holder: str) -> None:
    """The person may act for the agency holding the report (follow-up, decline)."""
    if not in_scope(directory, staff, holder):
        raise NotHolder(
            f"Laporan ini dipegang {holder}, di luar {staff.scope_code} / "
            f"{holder} holds this report; it is outside {staff.scope_code}"
        )
    if staff.role == OVERSIGHT_VIEWER:
        raise ReadOnly(
            f"{OVERSIGHT_VIEWER} hanya membaca laporan, tidak menindaklanjuti / "
            f"An {OVERSIGHT_VIEWER} reads reports and does not act on them"
        )


def check_coordinator(
    directory: Directory,
    staff: StaffClaims,
    holder: str,
    target: str | None = None,
    report: object | None = None,
) -> None:
    """The person may act as coordinator on a report held by ``holder`` (and send it to
    ``target``): in their subtree, or about a place in their government (``report``)."""
    if staff.role not in COORDINATORS:
        raise NotCoordinator(
            f"{staff.role} tidak dapat mendisposisikan laporan / A {staff.role} cannot dispatch reports"
        )
    region = getattr(report, "region_code", None)
    if not in_scope(directory, staff, holder) and not covers_location(directory, staff, region):
        raise OutOfSubtree(
            f"Laporan ini dipegang {holder}, di luar {staff.scope_code} / "
            f"{holder} holds this report; it is outside {staff.scope_code}"
        )
    if target is None:
        return
    agency = check_agency(directory, target, "agency_code")
    if not in_scope(directory, staff, target):
        raise OutOfSubtree(
            f"{target} di luar wilayah {staff.scope_code} / {target} is outside {staff.scope_code}'s subtree",
            errors=[
                {"field": "agency_code", "message": "Di luar wilayah Anda / Outside your subtree"}
            ],
        )
    if agency.status != "active":
        raise InactiveAgency(
            f"{target} berstatus {agency.status} / {target} is {agency.status}",
            errors=[
                {
                    "field": "agency_code",
                    "message": f"Status {agency.status} / Status is {agency.status}",
                }
            ],
        )


def check_agency(directory: Directory, code: str, field: str):
    """The agency ``code`` as the replica knows it, or an unknown-agency problem on ``field``."""
    agency = directory.get(code)
    if agency is None:
        raise UnknownAgency(
            f"Instansi {code} tidak dikenal / No agency {code}",
            errors=[{"field": field, "message": "Instansi tidak dikenal / Unknown agency"}],
        )
    return agency


def unreachable(tracking_id: str, staff: StaffClaims) -> OutOfSubtree:
    """The refusal of a report the person neither holds, watches nor coordinates."""
    return OutOfSubtree(
        f"{tracking_id} tidak dipegang atau diawasi dalam {staff.scope_code} / "
        f"{tracking_id} is neither held nor watched in {staff.scope_code}"
    )
