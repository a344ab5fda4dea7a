# ruff: noqa: F811  (the registry and agency_events fixtures, imported, are each test's arguments)
"""Every agency event says where its agency sits (government_code, province_code), as the
registry's own tree places it: on the real RabbitMQ and a SQLite copy of the national template,
which was loaded without events (no consumer has been told what KAB-73-11 or PROV-73 are)."""

from sqlalchemy.orm import Session

from services.agency_registry import template_load
from services.agency_registry.template import AgencySpec, build_template
from shared.db import make_engine
from shared.regions import load_regions
from tests.factories import drain
from tests.interface.agency_registry.test_agency_registry import (  # noqa: F401 — fixtures
    PUSKESMAS,
    agency_events,
    registry,
    rpc,
)


def place(body: dict) -> tuple:
    return body["government_code"], body["province_code"]


def test_registering_approving_and_moving_say_where_the_agency_sits(registry, agency_events):
    container, client = registry
    code = PUSKESMAS["code"]
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    registered = agency_events["agency_registered"].get(timeout=10).payload["body"]
    assert place(registered) == ("KAB-73-11", "PROV-73")
    assert client("POST", f"/agencies/{code}/approve", "nasional").status_code == 200
    approved = agency_events["agency_status_changed"].get(timeout=10).payload["body"]
    assert place(approved) == ("KAB-73-11", "PROV-73")

    national = {
        "code": "BADAN-UJI",
        "name": "Badan Uji",
        "kind": "national_agency",
        "parent_code": "KEMENPANRB",
        "jurisdictions": [],
        "competencies": ["kesehatan.puskesmas"],
    }
    assert client("POST", "/agencies", "nasional", json=national).status_code == 201
    registered = agency_events["agency_registered"].get(timeout=10).payload["body"]
    assert (registered["code"], place(registered)) == ("BADAN-UJI", (None, None))

    # Barru's Dinas Kesehatan becomes the province's: it and the puskesmas below sit there now
    moved = client(
        "PATCH", "/agencies/KAB-73-11-DINKES", "nasional", json={"parent_code": "PROV-73"}
    )
    assert moved.status_code == 200, moved.text
    bodies = {}
    for _ in range(2):
        body = agency_events["agency_updated"].get(timeout=10).payload["body"]
        bodies[body["code"]] = body
    assert {key: place(body) for key, body in bodies.items()} == {
        "KAB-73-11-DINKES": ("PROV-73", "PROV-73"),
        code: ("PROV-73", "PROV-73"),
    }
    assert bodies[code]["agency"]["version"] == 3


def test_a_new_kind_announces_the_agencies_it_places_elsewhere(registry, agency_events):
    """KAB-73-11 taken for an OPD puts everything below it in the province's government; a
    rename moves nobody and announces only itself."""
    container, client = registry
    below = [
        item["code"]
        for item in client("GET", "/agencies/KAB-73-11/subtree?limit=100").json()["items"]
    ][1:]
    assert len(below) == 19
    revision = rpc(container, "revision")
    edited = client("PATCH", "/agencies/KAB-73-11", "nasional", json={"kind": "opd"})
    assert edited.status_code == 200, edited.text
    bodies = {}
    for _ in range(1 + len(below)):
        body = agency_events["agency_updated"].get(timeout=10).payload["body"]
        bodies[body["code"]] = body
    assert place(bodies.pop("KAB-73-11")) == ("PROV-73", "PROV-73")
    assert sorted(bodies) == sorted(below)
    assert {place(body) for body in bodies.values()} == {("PROV-73", "PROV-73")}
    assert {tuple(body["changed"]) for body in bodies.values()} == {("government_code",)}
    assert {(body["version"], body["revision"]) for body in bodies.values()} == {(2, revision + 1)}
    assert rpc(container, "get_agency", below[0])["version"] == 2
    trail = client("GET", f"/audit?agency={below[0]}", "nasional").json()["items"]
    assert trail[0]["action"] == "agency.edit"
    assert trail[0]["after"] == {"government_code": "PROV-73", "province_code": "PROV-73"}

    back = client("PATCH", "/agencies/KAB-73-11", "nasional", json={"kind": "regency_government"})
    assert back.status_code == 200, back.text
    for _ in range(1 + len(below)):
        body = agency_events["agency_updated"].get(timeout=10).payload["body"]
        assert place(body) == ("KAB-73-11", "PROV-73")
    renamed = client("PATCH", "/agencies/KAB-73-11", "nasional", json={"name": "Pemkab Barru"})
    assert renamed.status_code == 200, renamed.text
    body = agency_events["agency_updated"].get(timeout=10).payload["body"]
    assert (body["code"], body["changed"], place(body)) == (
        "KAB-73-11",
        ["name"],
        ("KAB-73-11", "PROV-73"),
    )
    assert drain(agency_events["agency_updated"]) == []  # no agency below was announced


def test_a_template_reload_that_moves_an_office_takes_the_peoples_agencies_along(
    registry, agency_events
):
    """The template puts Barru's Dinas Kesehatan under the province; the puskesmas staff
    registered below it moves too, and the replicas hear where it sits now."""
    container, client = registry
    code = PUSKESMAS["code"]
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    agency_events["agency_registered"].get(timeout=10)
    regions = load_regions(with_villages=False)
    specs = [
        AgencySpec(**{**spec.__dict__, "parent_code": "PROV-73"})
        if spec.code == "KAB-73-11-DINKES"
        else spec
        for spec in build_template(regions, with_districts=False)
    ]
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        counts = template_load.load_template(session, specs, regions)
    engine.dispose()
    assert (counts["updated"], counts["followed"]) == (1, 1)
    bodies = {}
    for _ in range(2):  # the office, and the puskesmas below it (from the outbox's sweep)
        body = agency_events["agency_updated"].get(timeout=15).payload["body"]
        bodies[body["code"]] = body
    assert place(bodies["KAB-73-11-DINKES"]) == ("PROV-73", "PROV-73")
    assert place(bodies[code]) == ("PROV-73", "PROV-73")
    assert bodies[code]["changed"] == ["government_code", "path"]
    assert bodies[code]["agency"]["path"] == ["KEMENPANRB", "PROV-73", "KAB-73-11-DINKES", code]
    below = client("GET", "/agencies/KAB-73-11-DINKES/subtree?limit=100", "nasional").json()
    below = below["items"]  # the registration waits for approval: staff of the tree see it
    assert [item["code"] for item in below] == ["KAB-73-11-DINKES", code]
    assert rpc(container, "get_agency", code)["version"] == 2
