"""Loading the national template into a real SQLite database (no broker): idempotent, people's
edits kept, events only when a replica could exist, versions and revisions, audit lines."""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.agency_registry import directory
from services.agency_registry.models import agencies, audit_log, metadata
from services.agency_registry.template import AgencySpec, build_template
from services.agency_registry.template_load import load_template
from shared import events
from shared.db import create_schema, infra, make_engine, outbox
from shared.regions import load_regions


@pytest.fixture(scope="module")
def regions():
    return load_regions(with_villages=False)


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/registry.db")
    create_schema(engine, infra, metadata)
    yield engine
    engine.dispose()


def load(engine, specs, regions):
    with Session(engine) as session, session.begin():
        return load_template(session, specs, regions)


def outbox_events(engine):
    with Session(engine) as session:
        return [events.from_wire(p) for p in session.execute(select(outbox.c.payload)).scalars()]


def test_first_load_then_nothing_changes(engine, regions):
    specs = build_template(regions)
    first = load(engine, specs, regions)
    assert (first["created"], first["events"], first["revision"]) == (len(specs), 0, 1)
    again = load(engine, specs, regions)
    assert again == {
        "created": 0,
        "updated": 0,
        "unchanged": len(specs),
        "kept": 0,
        "events": 0,
        "revision": 1,
    }
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(outbox)).scalar() == 0
        lines = session.execute(select(func.count()).select_from(audit_log)).scalar()
        assert lines == len(specs) + 1  # one per agency, one for the load
        barru = directory.get(session, "KAB-73-11")
    assert (barru["version"], barru["revision"], barru["status"]) == (1, 1, "active")


def test_a_changed_template_updates_and_announces_only_what_changed(engine, regions):
    specs = build_template(regions)
    load(engine, specs, regions)
    changed = [
        AgencySpec(**{**spec.__dict__, "competencies": [*spec.competencies, "kesehatan.bpjs"]})
        if spec.code == "KAB-73-11-DINKES"
        else spec
        for spec in specs
    ]
    extra = AgencySpec(
        "KAB-73-11-DINKES-LABKES", "UPT Labkes", "unit", "KAB-73-11-DINKES", ["73.11"]
    )
    counts = load(engine, [*changed, extra], regions)
    assert (counts["updated"], counts["created"], counts["events"], counts["revision"]) == (
        1,
        1,
        2,
        2,
    )
    sent = {event.event_type: event for event in outbox_events(engine)}
    updated = sent["agency_updated"].body
    assert (updated["code"], updated["version"], updated["changed"]) == (
        "KAB-73-11-DINKES",
        2,
        ["competencies"],
    )
    assert "kesehatan.bpjs" in updated["agency"]["competencies"]
    registered = sent["agency_registered"].body
    assert registered["agency"]["path"][-1] == "KAB-73-11-DINKES-LABKES"
    assert registered["revision"] == 2


def test_a_later_load_says_where_each_agency_it_announces_sits(engine, regions):
    """Where the registry's tree places them (its kinds), not what their codes look like."""
    specs = build_template(regions)
    load(engine, specs, regions)
    extra = [
        AgencySpec("KAB-73-11-DINKES-LABKES", "UPT Labkes", "unit", "KAB-73-11-DINKES", ["73.11"]),
        AgencySpec("PROV-73-BAPENDA-UPT", "UPT Bapenda", "unit", "PROV-73", ["73"]),
        AgencySpec("BADAN-X", "Badan X", "national_agency", "KEMENPANRB", []),
        AgencySpec("BADAN-X-WIL-73", "Kantor Wilayah", "unit", "BADAN-X", ["73"]),
    ]
    load(engine, [*specs, *extra], regions)
    placed = {
        event.body["code"]: (event.body["government_code"], event.body["province_code"])
        for event in outbox_events(engine)
    }
    assert placed == {
        "KAB-73-11-DINKES-LABKES": ("KAB-73-11", "PROV-73"),
        "PROV-73-BAPENDA-UPT": ("PROV-73", "PROV-73"),
        "BADAN-X": (None, None),
        "BADAN-X-WIL-73": (None, None),  # a national body's office in a province
    }


def test_what_people_changed_is_kept(engine, regions):
    specs = build_template(regions)
    load(engine, specs, regions)
    with Session(engine) as session, session.begin():  # a coordinator renamed it (version 2)
        session.execute(
            update(agencies)
            .where(agencies.c.code == "KAB-73-11-RSUD")
            .values(name="RSUD La Patarai Barru", version=2)
        )
    renamed = [
        AgencySpec(**{**spec.__dict__, "name": spec.name + " (baru)"})
        if spec.code in ("KAB-73-11-RSUD", "KAB-73-11-DLH")
        else spec
        for spec in specs
    ]
    counts = load(engine, renamed, regions)
    assert (counts["kept"], counts["updated"]) == (1, 1)
    with Session(engine) as session:
        assert directory.get(session, "KAB-73-11-RSUD")["name"] == "RSUD La Patarai Barru"
        assert directory.get(session, "KAB-73-11-DLH")["name"].endswith("(baru)")
