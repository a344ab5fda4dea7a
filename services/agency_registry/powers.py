"""Who may do what, and where (SPEC §6): roles, the subtree each account acts in, the checks.

Every staff account belongs to one agency and has one role. Its *scope* is the agency whose
subtree it may act in:

- national_admin: the whole tree (the account sits at the root, KemenPANRB);
- coordinator_admin: the government its coordinator agency coordinates (a Diskominfo
  coordinates its regency or province), or its own subtree for any other coordinator;
- oversight_viewer: the government of its agency (an Inspektorat), the whole tree for a
  national oversight body (Ombudsman RI, KSP), else its own subtree — read only;
- agency_admin, liaison: its own agency and everything below it.

Nobody reads or changes anything outside their scope. Pure: no database, no nameko.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.agency_registry import hierarchy
from services.agency_registry.errors import NotPermitted, OutOfSubtree, OwnRegistration
from shared.auth import ROLES

NATIONAL, COORDINATOR, AGENCY_ADMIN, LIAISON, OVERSIGHT = ROLES
RANK = {NATIONAL: 4, COORDINATOR: 3, AGENCY_ADMIN: 2, OVERSIGHT: 1, LIAISON: 1}
ADMINS = frozenset({NATIONAL, COORDINATOR, AGENCY_ADMIN})
COORDINATORS = frozenset({NATIONAL, COORDINATOR})
AUDIT_READERS = ADMINS | {OVERSIGHT}
# what an agency admin may still correct in a registration that is waiting for approval
PENDING_FIELDS = frozenset({"name", "kind", "jurisdictions", "competencies"})


@dataclass(frozen=True)
class Node:
    """What the checks need to know about one agency."""

    code: str
    kind: str
    path: str
    is_coordinator: bool = False
    status: str = "active"
    registered_by: str | None = None


@dataclass(frozen=True)
class Actor:
    staff_id: str
    username: str
    role: str
    agency_code: str
    agency_path: str
    scope_code: str
    scope_path: str


def scope_path(role: str, agency: Node, parent_kind: str | None) -> str:
    """The path of the agency whose subtree an account with ``role`` at ``agency`` acts in."""
    chain = hierarchy.codes(agency.path)
    parent_path = agency.path[: -len(agency.code) - 1]
    governed_by_parent = parent_kind in hierarchy.GOVERNMENT_KINDS
    if role == NATIONAL:
        return f"/{chain[0]}/"
    if role == COORDINATOR and agency.is_coordinator and governed_by_parent:
        return parent_path
    if role == OVERSIGHT:
        if governed_by_parent:
            return parent_path
        if agency.kind == "oversight_body" and len(chain) <= 2:
            return f"/{chain[0]}/"
    return agency.path


def check_account(role: str, agency: Node) -> None:
    """An account of ``role`` may sit at ``agency`` (before any question of who creates it)."""
    if role not in ROLES:
        raise NotPermitted(f"Peran tidak dikenal / Unknown role {role}")
    if role == NATIONAL and hierarchy.depth(agency.path) != 1:
        raise NotPermitted(
            "national_admin hanya di instansi puncak / national_admin sits at the root agency only"
        )
    if role == COORDINATOR and not agency.is_coordinator:
        raise NotPermitted(
            f"{agency.code} bukan koordinator: tidak ada coordinator_admin di sana / "
            f"{agency.code} is not a coordinator: no coordinator_admin there"
        )
    if agency.status != "active":
        raise NotPermitted(
            f"{agency.code} berstatus {agency.status}: tidak dapat punya staf sekarang / "
            f"{agency.code} is {agency.status}: it can have no staff now"
        )


def _role(actor: Actor, allowed: frozenset[str], what: tuple[str, str]) -> None:
    if actor.role not in allowed:
        raise NotPermitted(f"{actor.role} tidak dapat {what[0]} / A {actor.role} cannot {what[1]}")


def _within(actor: Actor, node_code: str, path: str) -> None:
    if not hierarchy.within(path, actor.scope_path):
        raise OutOfSubtree(
            f"{node_code} di luar wilayah {actor.scope_code} / "
            f"{node_code} is outside {actor.scope_code}'s subtree"
        )


def can_see(actor: Actor | None, agency: Node) -> bool:
    """Active and suspended agencies are public; registrations only inside one's scope."""
    if agency.status in ("active", "suspended"):
        return True
    return actor is not None and hierarchy.within(agency.path, actor.scope_path)


def check_register(actor: Actor, parent: Node) -> None:
    _role(actor, ADMINS, ("mendaftarkan instansi", "register agencies"))
    _within(actor, parent.code, parent.path)


def check_edit(actor: Actor, agency: Node, fields: set[str], new_parent: Node | None) -> None:
    """Coordinators edit what is in their scope (never their scope's own root: that is for the
    coordinator above); an agency admin may only correct a pending registration."""
    _role(actor, ADMINS, ("mengubah instansi", "edit agencies"))
    _within(actor, agency.code, agency.path)
    if actor.role == AGENCY_ADMIN:
        if agency.status != "pending" or not fields <= PENDING_FIELDS:
            raise NotPermitted(
                "agency_admin hanya dapat mengoreksi nama, jenis, wilayah dan kewenangan "
                "pendaftaran yang menunggu; minta koordinator Anda / "
                "An agency_admin may only correct the name, kind, jurisdictions and "
                "competencies of a pending registration; ask your coordinator"
            )
    if agency.path == actor.scope_path and actor.role != NATIONAL:
        raise OutOfSubtree(
            f"{agency.code} adalah puncak wilayah Anda: tingkat di atas yang mengubahnya / "
            f"{agency.code} is the root of your subtree: the level above edits it"
        )
    if new_parent is not None:
        _within(actor, new_parent.code, new_parent.path)


def check_decide(actor: Actor, agency: Node) -> None:
    """Approve or reject: a coordinator above the new agency, not the person who registered it."""
    _role(
        actor,
        COORDINATORS,
        ("menyetujui atau menolak pendaftaran", "approve or reject registrations"),
    )
    _within(actor, agency.code, agency.path)
    if agency.registered_by is not None and agency.registered_by == actor.staff_id:
        raise OwnRegistration(
            f"{actor.username} mendaftarkan {agency.code} / {actor.username} registered {agency.code}"
        )


def check_status_change(actor: Actor, agency: Node) -> None:
    """Suspend or reactivate: strictly below one's scope, and never one's own agency's line."""
    _role(
        actor,
        COORDINATORS,
        ("menangguhkan atau mengaktifkan instansi", "suspend or reactivate agencies"),
    )
    _within(actor, agency.code, agency.path)
    if agency.path == actor.scope_path or hierarchy.within(actor.agency_path, agency.path):
        raise OutOfSubtree(
            f"{agency.code} adalah instansi Anda atau di atasnya: tingkat di atas yang bertindak / "
            f"{agency.code} is your own agency or above it: the level above acts"
        )


def check_read_registrations(actor: Actor, agency: Node) -> None:
    _role(actor, AUDIT_READERS, ("membaca pendaftaran", "read registrations"))
    _within(actor, agency.code, agency.path)


def check_read_audit(actor: Actor, agency: Node) -> None:
    _role(actor, AUDIT_READERS, ("membaca log audit", "read the audit log"))
    _within(actor, agency.code, agency.path)


def check_list_staff(actor: Actor, agency: Node) -> None:
    _role(actor, ADMINS, ("melihat daftar staf", "list staff"))
    _within(actor, agency.code, agency.path)


def check_read_staff(actor: Actor, staff_id: str, staff_agency: Node) -> None:
    if staff_id == actor.staff_id:
        return
    check_list_staff(actor, staff_agency)


def check_manage_staff(actor: Actor, role: str, agency: Node, account_scope_path: str) -> None:
    """Create, edit or deactivate an account of ``role`` at ``agency``: only admins, only up to
    their own rank, and only for accounts whose whole scope lies inside their own."""
    _role(actor, ADMINS, ("mengelola staf", "manage staff"))
    _within(actor, agency.code, agency.path)
    if RANK[role] > RANK[actor.role]:
        raise NotPermitted(
            f"{actor.role} tidak dapat mengelola {role} / A {actor.role} cannot manage a {role}"
        )
    if not hierarchy.within(account_scope_path, actor.scope_path):
        raise OutOfSubtree(
            f"{role} di {agency.code} akan menjangkau di luar wilayah Anda / "
            f"A {role} at {agency.code} would reach beyond your subtree"
        )
