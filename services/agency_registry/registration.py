"""What an agency may look like, and how its status moves (SPEC §6). Pure.

A new agency or sub-unit is registered ``pending`` by an admin of its parent; a coordinator
above it approves it (``active``) or rejects it (``rejected``, final: the code stays taken so
the audit trail keeps meaning). A coordinator suspends an active agency and reactivates it.
"""

from __future__ import annotations

from services.agency_registry import hierarchy
from services.agency_registry.errors import (
    InvalidInput,
    InvalidTransition,
    JurisdictionOutsideParent,
    UnknownCategory,
    UnknownRegion,
)
from services.agency_registry.template import KINDS
from shared import categories
from shared.regions import Regions, covers

STATUSES = ("pending", "active", "suspended", "rejected")
VERIFICATION_MODES = ("auto", "review")

# action -> (the status it starts from, the status it leads to)
TRANSITIONS = {
    "approve": ("pending", "active"),
    "reject": ("pending", "rejected"),
    "suspend": ("active", "suspended"),
    "reactivate": ("suspended", "active"),
}


def timezone_for(regions: Regions, region_codes: list[str]) -> str:
    """The agency's local time: its (first) province's zone; Jakarta for national bodies."""
    return regions.timezone(sorted(region_codes)[0]) if region_codes else regions.timezone("")


def transition(action: str, status: str) -> str:
    start, end = TRANSITIONS[action]
    if status != start:
        raise InvalidTransition(
            f"Hanya instansi berstatus {start} yang bisa di-{action} / "
            f"only a {start} agency can be {action}d; this one is {status}"
        )
    return end


def check_code(code: str) -> None:
    if not hierarchy.is_valid_code(code):
        raise InvalidInput(
            errors=[
                {
                    "field": "code",
                    "message": "Huruf besar, angka dan tanda hubung tunggal, paling banyak 64 / "
                    "Upper-case letters, digits and single hyphens, at most 64",
                }
            ]
        )


def check_contents(
    regions: Regions,
    jurisdictions: list[str],
    competencies: list[str],
    parent_jurisdictions: list[str] | None,
    kind: str | None = None,
) -> None:
    """Every region and category exists, and the jurisdiction lies inside the parent's.

    ``parent_jurisdictions`` None: no parent (the root); [] a national parent (covers all).
    """
    if kind is not None and kind not in KINDS:
        raise InvalidInput(
            errors=[
                {
                    "field": "kind",
                    "message": f"Salah satu dari / One of: {', '.join(sorted(KINDS))}",
                }
            ]
        )
    unknown = [
        {"field": f"jurisdictions.{i}", "message": f"no region {code!r} in the Kemendagri codes"}
        for i, code in enumerate(jurisdictions)
        if not regions.exists(code)
    ]
    if unknown:
        raise UnknownRegion(errors=unknown)
    unknown = [
        {"field": f"competencies.{i}", "message": f"no category {cid!r} in the category tree"}
        for i, cid in enumerate(competencies)
        if cid not in categories.CATEGORIES
    ]
    if unknown:
        raise UnknownCategory(errors=unknown)
    if parent_jurisdictions:
        outside = [
            {
                "field": f"jurisdictions.{i}",
                "message": f"{code} is not inside the parent's {', '.join(parent_jurisdictions)}",
            }
            for i, code in enumerate(jurisdictions)
            if not any(covers(parent, code) for parent in parent_jurisdictions)
        ]
        if not jurisdictions:
            outside = [
                {"field": "jurisdictions", "message": "national, but the parent is regional"}
            ]
        if outside:
            raise JurisdictionOutsideParent(errors=outside)


def children_outside(new_jurisdictions: list[str], children: dict[str, list[str]]) -> list[dict]:
    """Errors for sub-units whose jurisdiction would fall outside the parent's new one."""
    if not new_jurisdictions:
        return []  # national now: covers every child
    errors = []
    for code, regions in sorted(children.items()):
        if not regions:
            errors.append({"field": "jurisdictions", "message": f"sub-unit {code} is national"})
        errors += [
            {"field": "jurisdictions", "message": f"sub-unit {code} covers {region}"}
            for region in regions
            if not any(covers(parent, region) for parent in new_jurisdictions)
        ]
    return errors
