"""The read side: cards, rankings and the per-agency status counts, as the viewer may see them.

``staff`` is the caller's verified staff token (shared.auth.StaffClaims) or None. Staff whose
scope covers the figures (their scope code is on the path of the agency, government, province,
or the nation's root) see every number; everybody else sees the public view
(services.reporting.disclosure).
"""

from __future__ import annotations

from sqlalchemy import select

from services.reporting import disclosure, durations, figures, indicators, places, rankings
from services.reporting.indicators import AGENCY, GOVERNMENT, KINDS, NATIONAL, PROVINCE
from services.reporting.models import agencies
from services.reporting.placing import Places
from services.reporting.windows import Window
from shared.problems import NotFound
from shared.regions import load_regions


class Viewer:
    """Who asks: the nation's root code and the staff claims, if any."""

    def __init__(self, staff=None, root: str = places.DEFAULT_ROOT, min_cell: int = 5):
        self.staff = staff
        self.root = root
        self.min_cell = min_cell

    def covers(self, path: list[str]) -> bool:
        return self.staff is not None and self.staff.scope_code in path


def _agency_rows(session, codes) -> dict:
    codes = sorted(set(codes))
    if not codes:
        return {}
    rows = session.execute(
        select(agencies.c.code, agencies.c.name, agencies.c.path, agencies.c.version).where(
            agencies.c.code.in_(codes)
        )
    )
    return {row.code: row for row in rows}


def _name(code: str, row) -> str | None:
    if row is not None and row.name:
        return row.name
    return places.government_name(code)


def scope(session, kind: str, code: str, viewer: Viewer) -> dict:
    """{"kind", "code", "name", …} and its path in the tree; NotFound if reporting knows
    nothing of it."""
    letter = KINDS[kind]
    if letter == NATIONAL:
        return {"kind": kind, "code": places.NATION, "name": "Indonesia", "_path": [viewer.root]}
    row = _agency_rows(session, [code]).get(code)
    name = _name(code, row)
    if row is None and name is None and not figures.known(session, letter, code):
        raise NotFound(f"{kind} {code}")
    where = Places(session)
    found = {
        "kind": kind,
        "code": code,
        "name": name,
        "_path": where.path_of(letter, code, viewer.root),
    }
    if letter == AGENCY:
        place = where.place_of(code)
        found["government_code"], found["province_code"] = place.government, place.province
    return found


def card(session, kind: str, code: str, window: Window, viewer: Viewer) -> dict:
    """Every indicator of one agency, government, province or the nation over ``window``."""
    described = scope(session, kind, code, viewer)
    path = described.pop("_path")
    totals = figures.totals(session, KINDS[kind], described["code"], window)
    seconds = durations.exact(session, KINDS[kind], described["code"], window, totals)
    summary = indicators.summary(totals, seconds)
    withheld: list[str] = []
    staff_view = viewer.covers(path)
    if not staff_view:
        summary, withheld = disclosure.protect_card(
            summary, totals["confidential"], viewer.min_cell
        )
    return {
        "scope": described,
        "window": window.as_dict(),
        "view": "staff" if staff_view else "public",
        **summary,
        "suppressed": withheld,
    }


def _ranking(
    session, kind: str, entries, window: Window, viewer: Viewer, staff_view: bool, min_settled: int
) -> list:
    confidential = {code: totals["confidential"] for code, _, totals in entries}
    exact = {
        code: durations.exact(session, kind, code, window, totals, ("first_followup",))
        for code, _, totals in entries
    }
    rows = rankings.rank(entries, min_settled, exact)
    if staff_view:
        return [{**row, "suppressed": []} for row in rows]
    shown = []
    for row in rows:
        row, withheld = disclosure.protect_standing(row, confidential[row["code"]], viewer.min_cell)
        shown.append({**row, "suppressed": withheld})
    return shown


def governments_ranking(
    session, province: str, window: Window, viewer: Viewer, min_settled: int
) -> dict:
    """The regency and city governments of ``province`` ranked by response speed."""
    described = scope(session, "province", province, viewer)
    path = described.pop("_path")
    found = figures.totals_below(session, GOVERNMENT, province, window)
    found.pop(province, None)  # the provincial government is no peer of its regencies
    region = province.removeprefix("PROV-")
    for regency in load_regions(with_villages=False).regencies(region):
        found.setdefault("KAB-" + regency.code.replace(".", "-"), indicators.empty())
    names = _agency_rows(session, found)
    entries = [(code, _name(code, names.get(code)), totals) for code, totals in found.items()]
    staff_view = viewer.covers(path)
    return {
        "province": described,
        "window": window.as_dict(),
        "view": "staff" if staff_view else "public",
        "min_settled": min_settled,
        "governments": _ranking(
            session, GOVERNMENT, entries, window, viewer, staff_view, min_settled
        ),
    }


def provinces_ranking(session, window: Window, viewer: Viewer, min_settled: int) -> dict:
    """Every province (all the agencies in it) ranked by response speed."""
    found = figures.totals_below(session, PROVINCE, places.NATION, window)
    for province in load_regions(with_villages=False).provinces():
        found.setdefault(f"PROV-{province.code}", indicators.empty())
    names = _agency_rows(session, found)
    entries = [(code, _name(code, names.get(code)), totals) for code, totals in found.items()]
    staff_view = viewer.covers([viewer.root])
    return {
        "window": window.as_dict(),
        "view": "staff" if staff_view else "public",
        "min_settled": min_settled,
        "provinces": _ranking(session, PROVINCE, entries, window, viewer, staff_view, min_settled),
    }


def agencies_of(session, government: str, window: Window, viewer: Viewer) -> dict:
    """The card of every agency of a government that held a report in ``window``."""
    described = scope(session, "government", government, viewer)
    described.pop("_path")
    codes = sorted(figures.totals_below(session, AGENCY, government, window))
    return {
        "government": described,
        "window": window.as_dict(),
        "agencies": [card(session, "agency", code, window, viewer) for code in codes],
    }


def status_counts(session, agency: str | None, viewer: Viewer) -> dict:
    """GET /stats: reports per agency and status since the start (the first slice's shape),
    with the public view's small cells withheld."""
    window = Window()
    nation = figures.totals(session, NATIONAL, places.NATION, window)
    held = figures.totals_of_kind(session, AGENCY, window)
    names = _agency_rows(session, held)
    entries = []
    unheld = dict(nation)
    for code, totals in sorted(held.items()):
        for column in indicators.COLUMNS:
            unheld[column] -= totals[column]
        if totals["reports"]:  # not agencies that only received (and declined) a report
            entries.append((code, _name(code, names.get(code)), totals))
    if unheld["reports"] > 0:
        entries.append((None, None, unheld))
    if agency:
        entries = [entry for entry in entries if entry[0] == agency]
    national = viewer.covers([viewer.root])
    where = Places(session)
    where.preload(code for code, _, _ in entries if code)
    listed = []
    for code, name, totals in entries:
        counts = {
            status: totals[column]
            for status, column in indicators.STATUS_COLUMN.items()
            if totals[column]
        }
        path = where.path_of(AGENCY, code, viewer.root) if code else [viewer.root]
        if not viewer.covers(path):
            counts = disclosure.protect_counts(counts, totals["confidential"], viewer.min_cell)
        listed.append({"agency_code": code, "agency_name": name, "counts": counts})
    whole = nation if not agency else (entries[0][2] if entries else indicators.empty())
    by_status = {
        status: whole[column]
        for status, column in indicators.STATUS_COLUMN.items()
        if whole[column]
    }
    total = whole["reports"]
    if not national:
        by_status = disclosure.protect_counts(by_status, whole["confidential"], viewer.min_cell)
        if whole["confidential"] and 0 < total < viewer.min_cell:
            total = None
    return {"total": total, "by_status": by_status, "agencies": listed}
