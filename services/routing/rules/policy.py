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
in the agency tree; and finally the code, so the same inputs always give the same owner. The
ranking and the index are shared/agencies.py, which the registry's GET /competent-agencies
answers with too; each line of the trace is a step (services/routing/rules/trace.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.routing.rules.trace import MAX_TRACE as MAX_TRACE
from services.routing.rules.trace import Trace, step
from shared import agencies, categories
from shared.agencies import NATIONAL as NATIONAL
from shared.agencies import AgencyView as AgencyView
from shared.agencies import Directory as Directory
from shared.agencies import jurisdiction_depth as jurisdiction_depth
from shared.agencies import match as match


class NoOwner(Exception):
    """Even the root national coordinator is missing from the directory."""


@dataclass(frozen=True)
class Decision:
    agency_code: str
    # 'named_agency' | 'suggested_agency' | 'most_local' | 'national' | 'coordinator'
    rule: str
    trace: list[dict]  # steps (services.routing.rules.trace)


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
    trace = Trace()
    if category_id not in categories.CATEGORIES:
        trace.add("category_unknown", category=category_id)

    # 1. the agency the reporter named (or the one a declining agency suggested)
    rule = "suggested_agency" if suggested_by else "named_agency"
    if target_agency_code:
        reason = _unfit(directory.get(target_agency_code), category_id, region_code, excluded)
        if reason is None:
            trace.add("chose_named", rule=rule, agency=target_agency_code, by=suggested_by)
            return Decision(target_agency_code, rule, trace.close())
        trace.add(
            "passed_over_named", rule=rule, agency=target_agency_code, by=suggested_by, **reason
        )
    elif suggested_by:
        trace.add("no_suggestion", rule=rule, by=suggested_by)
    else:
        trace.add("none_named", rule="named_agency")

    # 2. the most local competent agency covering the location (the one ranking of SPEC §7)
    candidates = agencies.competent(directory, category_id, region_code)
    local = {c.code: c for c in candidates if c.depth}
    ranked = {code: c.key for code, c in local.items()}
    winner, losers = _pick(directory, ranked, excluded, trace, "most_local")
    if winner:
        trace.add(
            "chose_local",
            rule="most_local",
            agency=winner,
            match=local[winner].match,
            category=category_id,
            level=local[winner].depth,
        )
        trace.extend(losers)
        return Decision(winner, "most_local", trace.close())
    if not local:
        trace.add("no_local", rule="most_local", category=category_id, place=region_code)

    # 3. a national agency competent for the category
    national = {c.code: c for c in candidates if not c.depth}
    ranked = {code: c.key for code, c in national.items()}
    winner, losers = _pick(directory, ranked, excluded, trace, "national")
    if winner:
        trace.add(
            "chose_national",
            rule="national",
            agency=winner,
            match=national[winner].match,
            category=category_id,
        )
        trace.extend(losers)
        return Decision(winner, "national", trace.close())
    if not national:
        trace.add("no_national", rule="national", category=category_id)

    # 4. the coordinator of the location's government, most local first, then the root
    ranked = {c.code: c.key for c in agencies.coordinators(directory, region_code) if c.depth}
    winner, losers = _pick(directory, ranked, excluded, trace, "coordinator")
    if winner:
        level = -ranked[winner][0]
        trace.add("chose_coordinator", rule="coordinator", agency=winner, level=level)
        trace.extend(losers)
        return Decision(winner, "coordinator", trace.close())
    return _root(directory, excluded, trace)


def _unfit(
    agency: AgencyView | None, category_id: str, region_code: str, excluded: frozenset[str]
) -> dict | None:
    """Why a named agency cannot take the report (a reason's code and values), or None."""
    if agency is None:
        return {"why": "no_such_agency"}
    if agency.code in excluded:
        return {"why": "declined"}
    if agency.status != "active":
        return {"why": "status", "status": agency.status}
    if match(agency, category_id) is None:
        return {"why": "not_competent", "category": category_id}
    if jurisdiction_depth(agency, region_code) is None:
        return {"why": "not_covering", "region": region_code}
    return None


def _pick(
    directory: Directory,
    ranked: dict[str, tuple[int, int, int, str]],
    excluded: frozenset[str],
    trace: Trace,
    rule: str,
) -> tuple[str | None, list[dict]]:
    """The best-ranked eligible code, and why each other eligible candidate lost to it.

    Ineligible candidates (declined, not active) go straight into the trace. Keys are
    (-jurisdiction depth, match rank, -tree depth, code): the smallest wins.
    """
    eligible = []
    for code in sorted(ranked, key=ranked.__getitem__):
        agency = directory[code]
        if code in excluded:
            trace.add("passed_over", rule=rule, agency=code, why="declined")
        elif agency.status != "active":
            trace.add("passed_over", rule=rule, agency=code, why="status", status=agency.status)
        else:
            eligible.append(code)
    if not eligible:
        return None, []
    best = eligible[0]
    return best, [
        step("passed_over", rule=rule, agency=code, **_why_lost(ranked[code], ranked[best]))
        for code in eligible[1:]
    ]


def _why_lost(key: tuple[int, int, int, str], best: tuple[int, int, int, str]) -> dict:
    if key[0] != best[0]:
        return {"why": "less_local", "level": -key[0], "best_level": -best[0]}
    if key[1] != best[1]:
        return {"why": "less_exact", "match": key[1]}
    if key[2] != best[2]:
        return {"why": "shallower"}
    return {"why": "later_code"}


def _root(directory: Directory, excluded: frozenset[str], trace: Trace) -> Decision:
    roots = directory.roots()
    if not roots:
        raise NoOwner(
            "no root national coordinator (a parentless national_ministry "
            "coordinator) in the directory"
        )
    usable = [code for code in roots if code not in excluded and directory[code].status == "active"]
    if usable:
        trace.add("chose_root", rule="coordinator", agency=usable[0])
        return Decision(usable[0], "coordinator", trace.close())
    # The root is the owner of last resort: it takes the report even if it declined or is
    # suspended, because SPEC §7 never leaves a report without an owner.
    trace.add("last_resort", rule="coordinator", agency=roots[0])
    return Decision(roots[0], "coordinator", trace.close())
