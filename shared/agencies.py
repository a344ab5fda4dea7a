"""Agencies as the routing rules read them (SPEC §7), pure: the view of one agency, the index
of who is competent where, the one "most local" ranking, and the kinds that mean a government.
The registry answers GET /competent-agencies with it, routing decides with it and tells reporting
where each agency it names sits (``place_in``), and reporting places agencies the registry told
it of with ``place_on``, so the three cannot disagree.

An agency is competent for a category when it lists the category itself, one of its parent
categories, or — for a top-level category — one of its sub-topics; it covers a region when one
of its jurisdictions is the region or encloses it (no jurisdiction: the whole country).
"Most local" ranks by, in order: the depth of the covering jurisdiction (village 4 > district
3 > regency 2 > province 1 > national 0); how exactly the competence matches (the category
itself, then an ancestor, then a descendant); depth in the agency tree; and the code.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from shared.categories import competence_keys
from shared.regions import NATIONAL_TIMEZONE, code_depth, covers, prefixes

NATIONAL = ""  # the region key of agencies with no jurisdictions (the whole country)
PROVINCIAL_GOVERNMENT = "provincial_government"
GOVERNMENT_KINDS = frozenset({PROVINCIAL_GOVERNMENT, "regency_government", "city_government"})
NATIONAL_MINISTRY = "national_ministry"  # the kind of the root national coordinator


@dataclass(frozen=True, slots=True)
class AgencyView:
    code: str
    name: str
    kind: str
    parent_code: str | None
    path: tuple[str, ...]  # ancestor codes from the root down to this agency
    status: str  # 'pending' | 'active' | 'suspended'
    jurisdictions: tuple[str, ...]  # region codes; empty = national
    competencies: frozenset[str]
    is_coordinator: bool = False
    verification_mode: str = "auto"
    timezone: str = NATIONAL_TIMEZONE  # the agency's local time (its clocks count in it)

    @property
    def depth(self) -> int:
        """Depth in the agency tree; the root is 1."""
        return len(self.path)


def view_of(agency: dict) -> AgencyView:
    """The view of an agency as the registry's snapshot and events carry it.

    Compact, for 100,000 of them in every replica: the strings are interned (an agency's code
    is one object in its view, its children's paths and every index) and agencies listing the
    same competencies share one frozenset."""
    intern = sys.intern
    parent = agency.get("parent_code")
    return AgencyView(
        code=intern(agency["code"]),
        name=agency["name"],
        kind=intern(agency["kind"]),
        parent_code=intern(parent) if parent else parent,
        path=tuple(map(intern, agency["path"])),
        status=intern(agency["status"]),
        jurisdictions=tuple(map(intern, agency["jurisdictions"])),
        competencies=_competencies(tuple(agency["competencies"])),
        is_coordinator=agency["is_coordinator"],
        verification_mode=intern(agency.get("verification_mode") or "auto"),
        timezone=intern(agency.get("timezone") or NATIONAL_TIMEZONE),
    )


@functools.lru_cache(maxsize=4096)
def _competencies(listed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(sys.intern, listed))


def is_government(kind: str | None) -> bool:
    return kind in GOVERNMENT_KINDS


class Place(NamedTuple):
    """Where an agency sits for the figures: the deepest government (a regency, city or
    provincial government) on its path and the provincial government on it; None, None for a
    national body."""

    government: str | None
    province: str | None


NOWHERE = Place(None, None)  # a national body, or one nobody placed


def place_on(path: Iterable[str], kind_of) -> Place:
    """The place of the agency at the end of ``path`` (root first); ``kind_of(code)`` → its kind,
    None when unknown (then it is not taken for a government)."""
    government = province = None
    for code in path:
        kind = kind_of(code)
        if is_government(kind):
            government = code
            if kind == PROVINCIAL_GOVERNMENT and province is None:
                province = code
    return Place(government, province)


def place_in(directory: Directory, code: str) -> Place:
    """The place of ``code`` in ``directory``; NOWHERE if the directory does not hold it."""
    agency = directory.get(code)
    if agency is None:
        return NOWHERE

    def kind_of(ancestor: str) -> str | None:
        found = directory.get(ancestor)
        return found.kind if found is not None else None

    return place_on(agency.path, kind_of)


def is_root(agency: AgencyView) -> bool:
    """The root national coordinator: a parentless national ministry that coordinates."""
    return agency.kind == NATIONAL_MINISTRY and agency.is_coordinator and not agency.parent_code


class Candidate(NamedTuple):
    """An agency competent for (or coordinating) a location, and where it covers it; candidates
    sort "most local" first by their key."""

    key: tuple[int, int, int, str]  # (-depth, match, -depth in the agency tree, code)
    code: str
    depth: int  # of the covering jurisdiction: 0 national … 4 village
    match: int  # shared.categories EXACT < VIA_ANCESTOR < VIA_DESCENDANT (0 for coordinators)
    region: str  # the covering jurisdiction, NATIONAL for a national agency


SMALL = 16  # codes an index entry keeps in a tuple; a larger one becomes a set


def _add(index: dict, key, code: str) -> None:
    held = index.get(key)
    if held is None:
        index[key] = code  # most entries name one agency: its code alone
    elif isinstance(held, str):
        if held != code:
            index[key] = (held, code)
    elif isinstance(held, set):
        held.add(code)
    elif code not in held:
        index[key] = (*held, code) if len(held) < SMALL else {*held, code}


def _discard(index: dict, key, code: str) -> None:
    held = index.get(key)
    if held is None:
        return
    if isinstance(held, str):
        if held == code:
            del index[key]
    elif isinstance(held, set):
        held.discard(code)
    elif code in held:
        rest = tuple(c for c in held if c != code)
        index[key] = rest[0] if len(rest) == 1 else rest


def _codes(held) -> Collection[str]:
    if held is None:
        return ()
    return (held,) if isinstance(held, str) else held


class Directory:
    """Agencies indexed so one lookup touches only the agencies that could answer it.

    Each index entry is one code, a tuple of a few, or a set once it holds more than SMALL:
    most name one agency, and a set is 216 bytes even empty (100,000 agencies make 250,000
    entries)."""

    def __init__(self, agencies: Iterable[AgencyView] = ()) -> None:
        self._agencies: dict[str, AgencyView] = {}
        # (category id, region code or NATIONAL) -> codes competent for it there
        self._by_competence: dict[tuple[str, str], str | Collection[str]] = {}
        self._coordinators: dict[
            str, str | Collection[str]
        ] = {}  # region code or NATIONAL -> codes
        self._children: dict[str, str | Collection[str]] = {}  # parent code -> codes
        self._roots: set[str] = set()
        for agency in agencies:
            self.add_or_replace(agency)

    def __len__(self) -> int:
        return len(self._agencies)

    def __contains__(self, code: object) -> bool:
        return code in self._agencies

    def __getitem__(self, code: str) -> AgencyView:
        return self._agencies[code]

    def get(self, code: str) -> AgencyView | None:
        return self._agencies.get(code)

    def add_or_replace(self, agency: AgencyView) -> None:
        self.remove(agency.code)
        code = agency.code
        self._agencies[code] = agency
        for region in agency.jurisdictions or (NATIONAL,):
            for category in agency.competencies:
                _add(self._by_competence, (category, region), code)
            if agency.is_coordinator:
                _add(self._coordinators, region, code)
        if agency.parent_code:
            _add(self._children, agency.parent_code, code)
        if is_root(agency):
            self._roots.add(code)

    def remove(self, code: str) -> None:
        agency = self._agencies.pop(code, None)
        if agency is None:
            return
        for region in agency.jurisdictions or (NATIONAL,):
            for category in agency.competencies:
                _discard(self._by_competence, (category, region), code)
            if agency.is_coordinator:
                _discard(self._coordinators, region, code)
        if agency.parent_code:
            _discard(self._children, agency.parent_code, code)
        self._roots.discard(code)

    def competent_in(self, category_id: str, region: str) -> Collection[str]:
        """Codes listing ``category_id`` with a jurisdiction exactly ``region`` (read-only)."""
        return _codes(self._by_competence.get((category_id, region)))

    def coordinators_in(self, region: str) -> Collection[str]:
        return _codes(self._coordinators.get(region))

    def children(self, code: str) -> Collection[str]:
        """Codes whose parent is ``code`` (read-only)."""
        return _codes(self._children.get(code))

    def roots(self) -> list[str]:
        return sorted(self._roots)


def _candidate(directory: Directory, code: str, depth: int, rank: int, region: str) -> Candidate:
    tree_depth = len(directory[code].path)
    return Candidate((-depth, rank, -tree_depth, code), code, depth, rank, region)


def competent(directory: Directory, category_id: str, region_code: str) -> list[Candidate]:
    """Every agency (whatever its status) competent for the category that covers the location,
    most local first; ``region_code`` '' (no location): national agencies only."""
    keys = competence_keys(category_id).items()
    found: dict[str, tuple[int, int, str]] = {}  # code -> (depth, match, region)
    for depth, region in enumerate((NATIONAL, *prefixes(region_code))):  # least to most specific
        best: dict[str, int] = {}
        for held, rank in keys:
            for code in directory.competent_in(held, region):
                if rank < best.get(code, rank + 1):
                    best[code] = rank
        for code, rank in best.items():
            found[code] = (depth, rank, region)  # a deeper jurisdiction replaces a wider one
    return sorted(_candidate(directory, code, *where) for code, where in found.items())


def coordinators(directory: Directory, region_code: str) -> list[Candidate]:
    """Every coordinator (whatever its status) covering the location, most local first, the
    national ones last."""
    found: dict[str, tuple[int, int, str]] = {}
    for depth, region in enumerate((NATIONAL, *prefixes(region_code))):
        for code in directory.coordinators_in(region):
            found[code] = (depth, 0, region)
    return sorted(_candidate(directory, code, *where) for code, where in found.items())


def match(agency: AgencyView, category_id: str) -> int | None:
    """How ``agency`` is competent for ``category_id`` (EXACT < …), None if it is not."""
    ranks = [
        rank for cid, rank in competence_keys(category_id).items() if cid in agency.competencies
    ]
    return min(ranks) if ranks else None


def jurisdiction_depth(agency: AgencyView, region_code: str) -> int | None:
    """Depth of the agency's most specific jurisdiction covering the location; 0 national."""
    if not agency.jurisdictions:
        return 0
    depths = [code_depth(j) for j in agency.jurisdictions if covers(j, region_code)]
    return max(depths) if depths else None
