"""Who owns a report: the routing policy of SPEC §7, pure and deterministic.

Rules, first match wins:
1. ``named_agency`` — the agency the reporter named, if active, competent and covering;
2. ``most_local``   — the active competent agency whose jurisdiction covers the location most
                      specifically (village 4 > district 3 > regency 2 > province 1);
3. ``national``     — an active competent agency with national jurisdiction;
4. ``coordinator``  — the location's coordinator (most local first), else the root national
                      coordinator, so a report is never left without an owner.
Agencies that declined the report (``excluded``) are skipped at every rule.

Ties are broken, in order, by: jurisdiction depth; how exactly the agency's competence matches
(the category itself, then an ancestor, then a descendant — so OJK, which owns all of banking,
takes a generic banking report before Bank Indonesia, which owns only payment systems); depth
in the agency tree; and finally the code, so the same inputs always give the same owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared import categories
from shared.categories import EXACT, VIA_ANCESTOR, VIA_DESCENDANT, competence_keys
from shared.regions import LEVEL_NAMES, NATIONAL_TIMEZONE, code_depth, covers, prefixes

NATIONAL = ""  # the region key of agencies with no jurisdictions (the whole country)
MAX_TRACE = 30

_MATCH_WORDS = {
    EXACT: "exactly",
    VIA_ANCESTOR: "via a parent category",
    VIA_DESCENDANT: "via a sub-topic",
}


class NoOwner(Exception):
    """Even the root national coordinator is missing from the directory."""


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Decision:
    agency_code: str
    # 'named_agency' | 'suggested_agency' | 'most_local' | 'national' | 'coordinator'
    rule: str
    trace: list[str]


class Directory:
    """Agencies indexed so one decision touches only the agencies that could own it."""

    def __init__(self, agencies: Iterable[AgencyView] = ()) -> None:
        self._agencies: dict[str, AgencyView] = {}
        # (category id, region code or NATIONAL) -> codes competent for it there
        self._by_competence: dict[tuple[str, str], set[str]] = {}
        self._coordinators: dict[str, set[str]] = {}  # region code or NATIONAL -> codes
        self._children: dict[str, set[str]] = {}  # parent code -> codes
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
        self._agencies[agency.code] = agency
        for region in agency.jurisdictions or (NATIONAL,):
            for category in agency.competencies:
                self._by_competence.setdefault((category, region), set()).add(agency.code)
            if agency.is_coordinator:
                self._coordinators.setdefault(region, set()).add(agency.code)
        if agency.parent_code:
            self._children.setdefault(agency.parent_code, set()).add(agency.code)
        if _is_root(agency):
            self._roots.add(agency.code)

    def remove(self, code: str) -> None:
        agency = self._agencies.pop(code, None)
        if agency is None:
            return
        for region in agency.jurisdictions or (NATIONAL,):
            for category in agency.competencies:
                self._by_competence[(category, region)].discard(code)
            if agency.is_coordinator:
                self._coordinators[region].discard(code)
        if agency.parent_code:
            self._children[agency.parent_code].discard(code)
        self._roots.discard(code)

    def competent_in(self, category_id: str, region: str) -> set[str]:
        """Codes listing ``category_id`` with a jurisdiction exactly ``region`` (read-only)."""
        return self._by_competence.get((category_id, region), set())

    def coordinators_in(self, region: str) -> set[str]:
        return self._coordinators.get(region, set())

    def children(self, code: str) -> set[str]:
        """Codes whose parent is ``code`` (read-only)."""
        return self._children.get(code, set())

    def roots(self) -> list[str]:
        return sorted(self._roots)


def _is_root(agency: AgencyView) -> bool:
    return (
        agency.kind == "national_ministry" and agency.is_coordinator and agency.parent_code is None
    )


class _Trace:
    """Trace lines, capped at MAX_TRACE: a report in a big region can pass over many agencies."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.omitted = 0

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_TRACE - 1:
            self.lines.append(line)
        else:
            self.omitted += 1

    def extend(self, lines: list[str]) -> None:
        for line in lines:
            self.add(line)

    def close(self) -> list[str]:
        tail = [f"... {self.omitted} more line(s) omitted"] if self.omitted else []
        return self.lines + tail


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


def decide(
    directory: Directory,
    category_id: str,
    region_code: str,
    target_agency_code: str | None = None,
    excluded: frozenset[str] = frozenset(),
    suggested_by: str | None = None,
) -> Decision:
    """The one agency that owns a report of ``category_id`` located at ``region_code``.

    ``region_code`` may be '' (no location): only national agencies and the root then apply.
    ``excluded`` holds the agencies that declined the report; they are skipped everywhere.
    With ``suggested_by`` (the code of an agency that declined), ``target_agency_code`` is that
    agency's suggestion rather than the reporter's choice: rule 1 is then ``suggested_agency``.
    """
    trace = _Trace()
    keys = competence_keys(category_id)
    if category_id not in categories.CATEGORIES:
        trace.add(f"category {category_id} is not in the category tree; exact holders only")

    # 1. the agency the reporter named (or the one a declining agency suggested)
    rule = "suggested_agency" if suggested_by else "named_agency"
    named_by = f"suggested by {suggested_by}" if suggested_by else "named by the reporter"
    if target_agency_code:
        reason = _unfit(directory.get(target_agency_code), category_id, region_code, excluded)
        if reason is None:
            trace.add(f"{rule}: chose {target_agency_code}, {named_by}")
            return Decision(target_agency_code, rule, trace.close())
        trace.add(f"{rule}: passed over {target_agency_code} ({named_by}): {reason}")
    elif suggested_by:
        trace.add(f"{rule}: {suggested_by} suggested no agency")
    else:
        trace.add("named_agency: the reporter named no agency")

    # 2. the most local competent agency covering the location
    local: dict[str, tuple[int, int]] = {}  # code -> (jurisdiction depth, match rank)
    for region in prefixes(region_code):
        for code, rank in _competent(directory, keys, region).items():
            # prefixes run province → village, so the last covering one is the most specific
            local[code] = (code_depth(region), rank)
    ranked = {
        code: (-depth, rank, -len(directory[code].path), code)
        for code, (depth, rank) in local.items()
    }
    winner, losers = _pick(directory, ranked, excluded, trace, "most_local")
    if winner:
        depth, rank = local[winner]
        trace.add(
            f"most_local: chose {winner}, competent {_MATCH_WORDS[rank]} for "
            f"{category_id}, jurisdiction at {LEVEL_NAMES[depth]} level"
        )
        trace.extend(losers)
        return Decision(winner, "most_local", trace.close())
    if not local:
        trace.add(
            f"most_local: no regional agency competent for {category_id} "
            f"covers {region_code or 'the location'}"
        )

    # 3. a national agency competent for the category
    national = _competent(directory, keys, NATIONAL)
    ranked = {code: (0, rank, 0, code) for code, rank in national.items()}
    winner, losers = _pick(directory, ranked, excluded, trace, "national")
    if winner:
        trace.add(
            f"national: chose {winner}, competent {_MATCH_WORDS[national[winner]]} "
            f"for {category_id}"
        )
        trace.extend(losers)
        return Decision(winner, "national", trace.close())
    if not national:
        trace.add(f"national: no national agency is competent for {category_id}")

    # 4. the coordinator of the location's government, most local first, then the root
    ranked = {
        code: (-code_depth(region), EXACT, -len(directory[code].path), code)
        for region in prefixes(region_code)
        for code in directory.coordinators_in(region)
    }
    winner, losers = _pick(directory, ranked, excluded, trace, "coordinator")
    if winner:
        level = LEVEL_NAMES[-ranked[winner][0]]
        trace.add(f"coordinator: chose {winner}, coordinator at {level} level, for manual dispatch")
        trace.extend(losers)
        return Decision(winner, "coordinator", trace.close())
    return _root(directory, excluded, trace)


def _competent(directory: Directory, keys: dict[str, int], region: str) -> dict[str, int]:
    """Codes competent with a jurisdiction exactly ``region``, each with its best match."""
    found: dict[str, int] = {}
    for cid, rank in keys.items():
        for code in directory.competent_in(cid, region):
            found[code] = min(rank, found.get(code, rank))
    return found


def _unfit(
    agency: AgencyView | None, category_id: str, region_code: str, excluded: frozenset[str]
) -> str | None:
    """Why a named agency cannot take the report, or None if it can."""
    if agency is None:
        return "no such agency"
    if agency.code in excluded:
        return "it declined this report earlier"
    if agency.status != "active":
        return f"status is {agency.status}"
    if match(agency, category_id) is None:
        return f"not competent for {category_id}"
    if jurisdiction_depth(agency, region_code) is None:
        return f"its jurisdiction does not cover {region_code}"
    return None


def _pick(
    directory: Directory,
    ranked: dict[str, tuple[int, int, int, str]],
    excluded: frozenset[str],
    trace: _Trace,
    rule: str,
) -> tuple[str | None, list[str]]:
    """The best-ranked eligible code, and why each other eligible candidate lost to it.

    Ineligible candidates (declined, not active) go straight into the trace. Keys are
    (-jurisdiction depth, match rank, -tree depth, code): the smallest wins.
    """
    eligible = []
    for code in sorted(ranked, key=ranked.__getitem__):
        agency = directory[code]
        if code in excluded:
            trace.add(f"{rule}: passed over {code}: it declined this report earlier")
        elif agency.status != "active":
            trace.add(f"{rule}: passed over {code}: status is {agency.status}")
        else:
            eligible.append(code)
    if not eligible:
        return None, []
    best = eligible[0]
    return best, [
        f"{rule}: passed over {code}: {_why_lost(ranked[code], ranked[best])}"
        for code in eligible[1:]
    ]


def _why_lost(key: tuple[int, int, int, str], best: tuple[int, int, int, str]) -> str:
    if key[0] != best[0]:
        return f"less local ({LEVEL_NAMES[-key[0]]} vs {LEVEL_NAMES[-best[0]]} level)"
    if key[1] != best[1]:
        return f"competent less exactly ({_MATCH_WORDS[key[1]]})"
    if key[2] != best[2]:
        return "shallower in the agency tree"
    return "same rank, later code"


def _root(directory: Directory, excluded: frozenset[str], trace: _Trace) -> Decision:
    roots = directory.roots()
    if not roots:
        raise NoOwner(
            "no root national coordinator (a parentless national_ministry "
            "coordinator) in the directory"
        )
    usable = [code for code in roots if code not in excluded and directory[code].status == "active"]
    if usable:
        trace.add(f"coordinator: no local coordinator available; chose the root {usable[0]}")
        return Decision(usable[0], "coordinator", trace.close())
    # The root is the owner of last resort: it takes the report even if it declined or is
    # suspended, because SPEC §7 never leaves a report without an owner.
    trace.add(
        f"coordinator: chose the root {roots[0]} as last resort although it is "
        "excluded or not active"
    )
    return Decision(roots[0], "coordinator", trace.close())
