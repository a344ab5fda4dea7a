"""Who stands above whom, for routing: an agency's coordinator, the coordinator of a location,
the next coordinator up, and who watches or is told when a report is escalated (SPEC §4, §5, §7).

All of it is read from the replica's Directory (pure: no I/O). In the national template a
government's coordinator is a sibling of its OPDs (``KAB-73-11-DISKOMINFO`` beside
``KAB-73-11-DINKES``, both below ``KAB-73-11``), and the root (KemenPANRB) coordinates the
national bodies; so an agency's coordinator is found by walking up its path and looking, at
each level, at the coordinators directly below that level, then at the level itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.routing.rules.policy import AgencyView, Directory
from shared.agencies import GOVERNMENT_KINDS
from shared.regions import prefixes

INSPEKTORAT = "inspektorat"


def _active(directory: Directory, code: str) -> AgencyView | None:
    agency = directory.get(code)
    return agency if agency is not None and agency.status == "active" else None


def coordinator_of(directory: Directory, code: str) -> str | None:
    """The coordinator responsible for ``code`` (never ``code`` itself): for an OPD its
    government's Diskominfo, for a Diskominfo the coordinator of the government above, for a
    national body the root. None only if no active coordinator stands above it."""
    agency = directory.get(code)
    if agency is None:
        roots = [c for c in directory.roots() if _active(directory, c) and c != code]
        return roots[0] if roots else None
    for level in reversed(agency.path):
        below = sorted(
            c
            for c in directory.children(level)
            if c != code and (a := _active(directory, c)) is not None and a.is_coordinator
        )
        if below:
            return below[0]
        node = _active(directory, level)
        if level != code and node is not None and node.is_coordinator:
            return level
    return None


def location_coordinator(directory: Directory, region_code: str) -> str | None:
    """The most local active coordinator whose jurisdiction covers ``region_code`` (regency,
    then province), else the root: who dispatches by hand what rules could not settle."""
    for region in reversed(prefixes(region_code)):
        found = sorted(
            c for c in directory.coordinators_in(region) if _active(directory, c) is not None
        )
        if found:
            return found[0]
    roots = [c for c in directory.roots() if _active(directory, c)]
    return roots[0] if roots else None


def government_of(directory: Directory, code: str) -> str | None:
    """The nearest government (province, regency or city) at or above ``code``."""
    agency = directory.get(code)
    for level in reversed(agency.path if agency else ()):
        node = directory.get(level)
        if node is not None and node.kind in GOVERNMENT_KINDS:
            return level
    return None


def location_government(directory: Directory, region_code: str) -> str | None:
    """The government of the location: the parent of its most local coordinator."""
    coordinator = location_coordinator(directory, region_code)
    agency = directory.get(coordinator) if coordinator else None
    if agency is None or agency.parent_code is None:
        return None
    parent = directory.get(agency.parent_code)
    return parent.code if parent is not None and parent.kind in GOVERNMENT_KINDS else None


def inspektorat_of(directory: Directory, government: str | None) -> str | None:
    """The government's Inspektorat: the active office directly below it named so."""
    if government is None:
        return None
    found = sorted(
        c
        for c in directory.children(government)
        if (a := _active(directory, c)) is not None and a.name.lower().startswith(INSPEKTORAT)
    )
    return found[0] if found else None


def watchers(
    directory: Directory, holder: str, region_code: str, oversight: Iterable[str]
) -> list[str]:
    """Who gets read-only copies of a supervision report held by ``holder``: the Inspektorat
    of the same government (the holder's, or the location's for a national holder) and the
    national oversight bodies (Ombudsman RI), never the holder itself."""
    government = government_of(directory, holder) or location_government(directory, region_code)
    found = [inspektorat_of(directory, government), *oversight]
    return _unique(c for c in found if c and c != holder and _active(directory, c))


def oversight_of(config) -> tuple[str, ...]:
    """OVERSIGHT_AGENCIES: the codes a watched or escalated report also goes to (Ombudsman RI
    unless configured), comma-separated."""
    given = str(config.get("OVERSIGHT_AGENCIES") or "OMBUDSMAN")
    return tuple(code.strip() for code in given.split(",") if code.strip())


def escalation_targets(
    directory: Directory, holder: str, region_code: str, oversight: Iterable[str]
) -> list[str]:
    """Who a report held by ``holder`` is escalated to: its coordinator and oversight."""
    return _unique(
        [coordinator_of(directory, holder), *watchers(directory, holder, region_code, oversight)]
    )


def subtree(directory: Directory, code: str) -> set[str]:
    """``code`` and every agency below it."""
    found, stack = set(), [code]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(directory.children(current))
    return found


def is_root(directory: Directory, code: str) -> bool:
    return code in directory.roots()


def within(directory: Directory, code: str, scope_code: str) -> bool:
    """True if the agency ``code`` is ``scope_code`` or below it."""
    agency = directory.get(code)
    return agency is not None and scope_code in agency.path


def _unique(codes: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code and code not in seen:
            seen.append(code)
    return seen
