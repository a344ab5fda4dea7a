"""Where an agency sits for reporting: its government and its province.

Figures roll up agency → government (a regency, city or provincial government) → province →
nation. The government of an agency is the deepest government node on its path in the agency
tree; its province is the provincial government on that path. A national body has neither and
counts towards the nation only.

Paths come from the registry's agency events (agency_registered / agency_updated /
agency_status_changed carry the whole path). The national template is loaded without events,
so for an agency reporting has not heard of the path is derived from the template's codes:
``PROV-73-DISDIK`` → PROV-73; ``KAB-73-11-DISDIK`` and ``KEC-73-11-01`` → KAB-73-11 in PROV-73.
A government node is recognised by its kind when an event told it, else by that code pattern.
Pure: no database.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shared import agencies
from shared.regions import load_regions

NATION = "ID"  # the scope code of the nation
DEFAULT_ROOT = "KEMENPANRB"  # the registry's root (the national coordinator)

_PROVINCE = re.compile(r"^PROV-(\d{2})$")
_REGENCY = re.compile(r"^KAB-(\d{2})-(\d{2})$")
_DERIVED = re.compile(r"^(PROV|KAB|KEC)-(\d{2})(?:-(\d{2}))?")


class Place(NamedTuple):
    government: str | None
    province: str | None


NATIONAL = Place(None, None)


def is_government(code: str, kind: str | None = None) -> bool:
    if kind is not None:
        return agencies.is_government(kind)
    return bool(_PROVINCE.match(code) or _REGENCY.match(code))


def is_province(code: str, kind: str | None = None) -> bool:
    if kind is not None:
        return kind == agencies.PROVINCIAL_GOVERNMENT
    return bool(_PROVINCE.match(code))


def from_path(path: list[str], kinds: dict[str, str] | None = None) -> Place:
    """The place of the agency at the end of ``path`` (root first); ``kinds`` as known."""
    kinds = kinds or {}
    government = province = None
    for code in path:
        kind = kinds.get(code)
        if is_government(code, kind):
            government = code
            if is_province(code, kind) and province is None:
                province = code
    return Place(government, province)


def derived(code: str) -> Place:
    """The place the template's naming gives ``code``; NATIONAL when it follows no pattern."""
    match = _DERIVED.match(code)
    if not match:
        return NATIONAL
    kind, province, regency = match.groups()
    province_code = f"PROV-{province}"
    if kind == "PROV":
        return Place(province_code, province_code)
    if regency is None:
        return NATIONAL
    return Place(f"KAB-{province}-{regency}", province_code)


def derived_path(code: str, root: str = DEFAULT_ROOT) -> list[str]:
    """The template path of ``code`` (root first), for access checks on agencies never seen in an
    event."""
    if code == root:
        return [root]
    place = derived(code)
    path = [root]
    for node in (place.province, place.government):
        if node and node not in path:
            path.append(node)
    if code not in path:
        path.append(code)
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
