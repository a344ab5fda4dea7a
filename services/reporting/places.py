"""Where an agency sits for reporting: its government and its province.

Figures roll up agency → government (a regency, city or provincial government) → province →
nation. The government of an agency is the deepest government node on its path in the agency
tree; its province is the provincial government on that path (shared.agencies.place_on). A
national body has neither and counts towards the nation only.

Reporting learns where an agency sits from facts, never from the shape of its code: the
registry's agency events (its government and province as the registry places it in its own
tree; older events: the whole path and the agency's kind), else routing's events that make
it the holder (routing places it in its replica of the registry: report_routed,
manual_dispatch_queued, disposition_proposed carry its government and province), else what
reporting recorded the last time an event carried it (services.reporting.projection.Places).
Pure: no database.
"""

from __future__ import annotations

import re

from shared.agencies import NOWHERE, Place
from shared.regions import load_regions

NATION = "ID"  # the scope code of the nation
DEFAULT_ROOT = "KEMENPANRB"  # the registry's root (the national coordinator)
NATIONAL = NOWHERE

__all__ = [
    "NATION",
    "NATIONAL",
    "Place",
    "carried_only",
    "government_name",
    "path_through",
    "scope_code",
]

_PROVINCE = re.compile(r"^PROV-(\d{2})$")
_REGENCY = re.compile(r"^KAB-(\d{2})-(\d{2})$")


def path_through(root: str, *nodes: str | None) -> list[str]:
    """A path for access checks (root first) through the given nodes, in order, each once:
    ``path_through(root, province, government, agency)``."""
    path = [root]
    for node in nodes:
        if node and node not in path:
            path.append(node)
    return path


def scope_code(kind: str, code: str) -> str:
    """Accept region codes where a government or province is meant: '73' → 'PROV-73',
    '73.11' → 'KAB-73-11'; other codes pass unchanged."""
    if kind in ("province", "government") and re.fullmatch(r"\d{2}", code):
        return f"PROV-{code}"
    if kind == "government" and re.fullmatch(r"\d{2}\.\d{2}", code):
        return "KAB-" + code.replace(".", "-")
    return code


def government_name(code: str) -> str | None:
    """A readable name for a template government from the region data: 'KAB-73-11' →
    'Kabupaten Barru', 'PROV-73' → 'Provinsi Sulawesi Selatan'."""
    region_code = None
    if match := _PROVINCE.match(code):
        region_code = match[1]
    elif match := _REGENCY.match(code):
        region_code = f"{match[1]}.{match[2]}"
    if region_code is None:
        return None
    region = load_regions(with_villages=False).get(region_code)
    if region is None:
        return None
    return region.display_name if region.level > 1 else f"Provinsi {region.display_name}"


def carried_only(code: str, carried: Place | None) -> Place:
    """A ``place_of`` for rows.rows_of that knows only what the report's events carry."""
    return carried if carried is not None else NATIONAL
