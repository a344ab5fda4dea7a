"""Registering, editing, approving, rejecting, suspending and reactivating agencies.

Each function checks the actor's powers (powers.py) and the agency's contents
(registration.py), then changes the tree through ``AgencyChanges`` — version, revision, event
and audit line in the caller's transaction. Nothing is written when a check fails.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.agency_registry import directory, hierarchy, powers, registration
from services.agency_registry.changes import AgencyChanges
from services.agency_registry.errors import (
    Conflict,
    Cycle,
    DuplicateCode,
    InvalidTransition,
    JurisdictionOutsideParent,
    NotFound,
    UnknownParent,
)
from services.agency_registry.models import agencies, jurisdictions
from shared.regions import Regions

EDITABLE = ("name", "kind", "is_coordinator", "verification_mode")


def _existing(session, code: str):
    found = directory.row(session, code)
    if found is None:
        raise NotFound(f"Instansi {code} tidak ada / No agency {code}")
    return found


def _parent(session, code: str):
    found = directory.row(session, code)
    if found is None:
        raise UnknownParent(
            errors=[
                {
                    "field": "parent_code",
                    "message": f"Instansi {code!r} tidak ada / No agency {code!r}",
                }
            ]
        )
    if found.status != "active":
        raise Conflict(
            f"{code} berstatus {found.status}: hanya instansi aktif yang dapat punya sub-unit / "
            f"{code} is {found.status}: only an active agency can take sub-units"
        )
    return found


def register(changes: AgencyChanges, actor: powers.Actor, regions: Regions, data: dict) -> dict:
    """A new agency below ``data["parent_code"]``, pending until a coordinator above decides."""
    session = changes.session
    code = data["code"]
    registration.check_code(code)
    parent = _parent(session, data["parent_code"])
    powers.check_register(actor, directory.node(parent))
    if actor.role == powers.AGENCY_ADMIN and data["is_coordinator"]:
        raise powers.NotPermitted(
            "Hanya koordinator yang menjadikan instansi koordinator / "
            "Only a coordinator makes an agency a coordinator"
        )
    if directory.row(session, code) is not None:
        raise DuplicateCode(
            f"{code} sudah ada / {code} exists already",
            errors=[{"field": "code", "message": "Sudah dipakai / Taken"}],
        )
    registration.check_contents(
        regions,
        data["jurisdictions"],
        data["competencies"],
        directory.jurisdictions_of(session, parent.code),
        data["kind"],
    )
    values = {
        "code": code,
        "name": data["name"],
        "kind": data["kind"],
        "parent_code": parent.code,
        "path": hierarchy.path_of(parent.path, code),
        "status": "pending",
        "is_coordinator": data["is_coordinator"],
        "verification_mode": data["verification_mode"],
        "timezone": registration.timezone_for(regions, data["jurisdictions"]),
        "registered_by": actor.staff_id,
    }
    try:
        return changes.create(
            values, data["jurisdictions"], data["competencies"], "agency.register"
        )
    except IntegrityError:  # registered by someone else a moment ago (PostgreSQL)
        raise DuplicateCode(f"{code} sudah ada / {code} exists already") from None


def edit(
    changes: AgencyChanges, actor: powers.Actor, regions: Regions, code: str, data: dict
) -> dict:
    """Change the fields given; moving (a new ``parent_code``) re-roots the whole subtree."""
    session = changes.session
    agency = _existing(session, code)
    new_parent = None
    if data.get("parent_code", agency.parent_code) != agency.parent_code:
        new_parent = _parent(session, data["parent_code"])
        if hierarchy.would_cycle(agency.path, new_parent.path):
            raise Cycle(
                f"{new_parent.code} adalah {code} atau di bawahnya / {new_parent.code} is {code} or below it",
                errors=[
                    {
                        "field": "parent_code",
                        "message": "Akan membuat lingkaran / Would make a cycle",
                    }
                ],
            )
    fields = set(data) - {"parent_code"} | ({"parent_code"} if new_parent else set())
    powers.check_edit(
        actor, directory.node(agency), fields, directory.node(new_parent) if new_parent else None
    )
    if agency.status == "rejected":
        raise InvalidTransition(
            f"{code} sudah ditolak: daftarkan lagi dengan kode baru / "
            f"{code} was rejected: register it again under a new code"
        )
    current = directory.get(session, code)
    regions_after = data.get("jurisdictions", current["jurisdictions"])
    parent_code = new_parent.code if new_parent else agency.parent_code
    registration.check_contents(
        regions,
        regions_after,
        data.get("competencies", current["competencies"]),
        directory.jurisdictions_of(session, parent_code) if parent_code else None,
        data.get("kind"),
    )
    if "jurisdictions" in data:
        errors = registration.children_outside(regions_after, _children_regions(session, code))
        if errors:
            raise JurisdictionOutsideParent(errors=errors)
    values = {key: data[key] for key in EDITABLE if key in data and data[key] != current[key]}
    if "jurisdictions" in data:
        values["timezone"] = registration.timezone_for(regions, regions_after)
    if new_parent:
        values["parent_code"] = new_parent.code
        values["path"] = hierarchy.path_of(new_parent.path, code)
    new_regions = _changed(data, current, "jurisdictions")
    new_categories = _changed(data, current, "competencies")
    if not values.get("path") and not new_regions and not new_categories:
        values.pop("timezone", None)
        if not values:
            return current  # nothing changes: no new version, no event
    after = changes.update(
        code, values, "agency.edit", regions=new_regions, categories=new_categories
    )
    if new_parent:
        changes.move_below(agency.path, values["path"], "agency.move")
    return after


def _changed(data: dict, current: dict, key: str) -> list[str] | None:
    if key in data and sorted(set(data[key])) != current[key]:
        return data[key]
    return None


def _children_regions(session, code: str) -> dict[str, list[str]]:
    children = session.execute(
        select(agencies.c.code).where(agencies.c.parent_code == code)
    ).scalars()
    found: dict[str, list[str]] = {child: [] for child in children}
    if found:
        for child, region in session.execute(
            select(jurisdictions.c.agency_code, jurisdictions.c.region_code).where(
                jurisdictions.c.agency_code.in_(list(found))
            )
        ):
            found[child].append(region)
    return found


def decide(
    changes: AgencyChanges, actor: powers.Actor, code: str, action: str, reason: str | None
) -> dict:
    """approve | reject a pending registration."""
    agency = _existing(changes.session, code)
    powers.check_decide(actor, directory.node(agency))
    status = registration.transition(action, agency.status)
    return changes.update(
        code, {"status": status, "status_reason": reason}, f"agency.{action}", reason=reason
    )


def set_status(
    changes: AgencyChanges, actor: powers.Actor, code: str, action: str, reason: str | None
) -> dict:
    """suspend | reactivate an agency."""
    agency = _existing(changes.session, code)
    powers.check_status_change(actor, directory.node(agency))
    status = registration.transition(action, agency.status)
    return changes.update(
        code, {"status": status, "status_reason": reason}, f"agency.{action}", reason=reason
    )
