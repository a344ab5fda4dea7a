"""Where an agency sits: shared.agencies places it on its path by the kinds it knows, routing's
events carry that place, and reporting counts a report where its events say (never by the shape
of a code). Pure."""

from datetime import UTC, datetime

from services.reporting import facts, places, rows, synthetic
from shared.agencies import NOWHERE, Directory, Place, place_in, place_on, view_of

START = datetime(2026, 1, 12, 1, 0, tzinfo=UTC)
KINDS = {
    "KEMENPANRB": "national_ministry",
    "PROV-73": "provincial_government",
    "KAB-73-11": "regency_government",
    "KAB-73-11-DINKES": "opd",
    "PUSKESMAS-TANETE": "unit",
}
TANETE = ["KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "PUSKESMAS-TANETE"]


def test_the_deepest_government_and_the_province_on_the_path():
    assert place_on(TANETE, KINDS.get) == Place("KAB-73-11", "PROV-73")
    assert place_on(TANETE[:2], KINDS.get) == Place("PROV-73", "PROV-73")
    moved = ["KEMENPANRB", "PROV-96", "PEMKAB-BARU", "UPT-X"]
    kinds = {"PROV-96": "provincial_government", "PEMKAB-BARU": "city_government"}
    assert place_on(moved, kinds.get) == Place("PEMKAB-BARU", "PROV-96")
    assert place_on(["KEMENPANRB", "KEMENKES", "RS-X"], KINDS.get) == NOWHERE


def test_a_code_that_looks_like_a_government_is_not_one_without_its_kind():
    # the template's naming is no fact: nobody said what KAB-73-11 is
    assert place_on(TANETE, {"PROV-73": "provincial_government"}.get) == Place("PROV-73", "PROV-73")
    assert place_on(["KEMENPANRB", "KAB-73-11", "KAB-73-11-DISDIK"], {}.get) == NOWHERE


def view(code: str) -> dict:
    path = TANETE[: TANETE.index(code) + 1]
    return {
        "code": code,
        "name": code,
        "kind": KINDS[code],
        "parent_code": path[-2] if len(path) > 1 else None,
        "path": path,
        "status": "active",
        "is_coordinator": False,
        "jurisdictions": [],
        "competencies": [],
    }


def test_routing_places_an_agency_from_its_replica():
    directory = Directory(view_of(view(code)) for code in TANETE)
    assert place_in(directory, "PUSKESMAS-TANETE") == Place("KAB-73-11", "PROV-73")
    assert place_in(directory, "KEMENPANRB") == NOWHERE
    assert place_in(directory, "UNHEARD-OF") == NOWHERE


def test_the_place_an_event_carries_and_an_older_event_without_one():
    body = {"agency_government_code": "KAB-73-11", "agency_province_code": "PROV-73"}
    assert facts.carried_place(body, "agency") == Place("KAB-73-11", "PROV-73")
    national = {"agency_government_code": None, "agency_province_code": None}
    assert facts.carried_place(national, "agency") == NOWHERE
    assert facts.carried_place({"agency_code": "X"}, "agency") is None
    assert facts.carried_place(body, "coordinator") is None


def fold(plan: synthetic.Plan, **changes):
    events = []
    for i, (kind, body) in enumerate(synthetic.events(plan)):
        events.append(facts.Event(kind, f"e{i}", plan.start, {**body, **changes.get(kind, {})}))
    return facts.fold(plan.tracking_id, events)


def test_a_report_counts_where_its_events_place_the_holder_and_each_hop():
    plan = synthetic.Plan(
        "LPR-1",
        "PUSKESMAS-TANETE",
        START,
        place=Place("KAB-73-11", "PROV-73"),
        declined_by="KEMENKES",
    )
    row, hops = rows.rows_of(fold(plan), places.carried_only)
    assert (row.agency_code, row.government_code, row.province_code) == (
        "PUSKESMAS-TANETE",
        "KAB-73-11",
        "PROV-73",
    )
    assert [(h.agency_code, h.government_code, h.province_code) for h in hops] == [
        ("KEMENKES", None, None),
        ("PUSKESMAS-TANETE", "KAB-73-11", "PROV-73"),
    ]
    # an event from before routing carried places: whatever place_of knows of the agency
    old = {"agency_government_code": None, "agency_province_code": None}
    report = fold(plan, report_routed=old)
    report.holder.place = None
    asked = []
    rows.rows_of(report, lambda code, carried: asked.append((code, carried)) or NOWHERE)
    assert ("PUSKESMAS-TANETE", None) in asked


def test_a_coordinator_holding_the_queue_is_placed_by_its_event():
    at = START.isoformat()
    body = {
        "tracking_id": "LPR-2",
        "coordinator_code": "PROV-73",
        "coordinator_name": "Pemerintah Provinsi Sulawesi Selatan",
        "coordinator_government_code": "PROV-73",
        "coordinator_province_code": "PROV-73",
        "reason": "no_competent_agency",
        "category_id": "pendidikan.sma",
        "region_code": "73",
        "privacy": "public",
        "queued_at": at,
    }
    report = facts.fold("LPR-2", [facts.Event("manual_dispatch_queued", "e1", START, body)])
    row, [hop] = rows.rows_of(report, places.carried_only)
    assert (row.agency_code, row.government_code, row.province_code) == (
        "PROV-73",
        "PROV-73",
        "PROV-73",
    )
    assert hop.manual and hop.government_code == "PROV-73"


def test_the_synthetic_histories_place_agencies_as_the_template_does():
    assert synthetic.template_place("KAB-73-11-DISDIK") == Place("KAB-73-11", "PROV-73")
    assert synthetic.template_place("PROV-73-DISDIK") == Place("PROV-73", "PROV-73")
    assert synthetic.template_place("KEMENKES") == NOWHERE
    assert synthetic.template_place("PUSKESMAS-TANETE") == NOWHERE  # not in the template


def test_region_codes_name_governments_and_provinces():
    assert places.scope_code("province", "73") == "PROV-73"
    assert places.scope_code("government", "73.11") == "KAB-73-11"
    assert places.scope_code("agency", "73") == "73"
    assert places.government_name("KAB-73-11") == "Kabupaten Barru"
    assert places.government_name("PROV-73") == "Provinsi Sulawesi Selatan"
    assert places.government_name("KEMENKES") is None


def test_a_path_for_access_checks_through_where_an_agency_sits():
    assert places.path_through("KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DISDIK") == [
        "KEMENPANRB",
        "PROV-73",
        "KAB-73-11",
        "KAB-73-11-DISDIK",
    ]
    assert places.path_through("KEMENPANRB", "PROV-73", "PROV-73", "PROV-73") == [
        "KEMENPANRB",
        "PROV-73",
    ]
    assert places.path_through("KEMENPANRB", None, None, "OJK") == ["KEMENPANRB", "OJK"]
