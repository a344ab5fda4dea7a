"""Loading the national template into a real SQLite database (no broker): idempotent, people's
edits kept, events only when a replica could exist, versions and revisions, audit lines."""

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from services.agency_registry import directory
from services.agency_registry.models import agencies, audit_log, metadata
from services.agency_registry.template import AgencySpec, build_template
from services.agency_registry.template_load import load_template
from shared import events
from shared.db import create_schema, infra, make_engine, outbox, utcnow
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
        "followed": 0,
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


def _people_register(engine, code: str, parent_code: str, name: str) -> None:
    """An agency staff registered below a template agency: the template never wrote it."""
    with Session(engine) as session, session.begin():
        parent = session.execute(select(agencies).where(agencies.c.code == parent_code)).one()
        session.execute(
            insert(agencies).values(
                code=code,
                name=name,
                kind="unit",
                parent_code=parent_code,
                path=f"{parent.path}{code}/",
                status="active",
                is_coordinator=False,
                verification_mode="auto",
                timezone=parent.timezone,
                version=1,
                revision=parent.revision,
                updated_at=utcnow(),
            )
        )


def _tree(engine) -> dict:
    with Session(engine) as session:
        return {
            row.code: row
            for row in session.execute(select(agencies).where(agencies.c.code.like("KOTA-X%")))
        }


_KOTA_X = [
    AgencySpec("KOTA-X", "Kota Administratif X", "unit", "PROV-73", ["73"]),
    AgencySpec("KOTA-X-DINKES", "Dinas Kesehatan Kota X", "opd", "KOTA-X", ["73"]),
    AgencySpec("KOTA-X-DINKES-LAB", "Labkes Kota X", "unit", "KOTA-X-DINKES", ["73"]),
]


def _with(specs, **changes) -> list:
    """``specs`` with the fields of some codes changed: code=dict(field=value)."""
    return [
        AgencySpec(**{**s.__dict__, **changes.get(s.code.replace("-", "_"), {})}) for s in specs
    ]


def test_a_new_government_above_them_announces_every_agency_below_it(engine, regions):
    """The template makes an administrative city autonomous: its offices, the people's own
    agencies and the ones people changed now sit in that government, and replicas are told."""
    specs = build_template(regions)
    load(engine, [*specs, *_KOTA_X], regions)
    _people_register(engine, "KOTA-X-DINKES-PKM1", "KOTA-X-DINKES", "Puskesmas Satu")
    with Session(engine) as session, session.begin():  # a coordinator renamed the lab
        session.execute(
            update(agencies).where(agencies.c.code == "KOTA-X-DINKES-LAB").values(version=2)
        )
    before = _tree(engine)
    counts = load(engine, [*specs, *_with(_KOTA_X, KOTA_X={"kind": "city_government"})], regions)
    assert (counts["updated"], counts["followed"], counts["events"]) == (1, 3, 4)
    sent = {event.body["code"]: event.body for event in outbox_events(engine)}
    assert sent["KOTA-X"]["changed"] == ["kind"]
    for code in ("KOTA-X-DINKES", "KOTA-X-DINKES-LAB", "KOTA-X-DINKES-PKM1"):
        assert sent[code]["changed"] == ["government_code"], code
        assert (sent[code]["government_code"], sent[code]["province_code"]) == ("KOTA-X", "PROV-73")
        assert sent[code]["version"] == before[code].version + 1
    after = _tree(engine)
    assert (
        after["KOTA-X-DINKES"].template_version == after["KOTA-X-DINKES"].version
    )  # still the template's
    assert after["KOTA-X-DINKES-LAB"].template_version == 1  # still people's
    again = load(engine, [*specs, *_with(_KOTA_X, KOTA_X={"kind": "city_government"})], regions)
    assert (again["updated"], again["followed"], again["kept"]) == (0, 0, 1)
    with Session(engine) as session:
        lines = session.execute(
            select(audit_log.c.target_id).where(audit_log.c.action == "template.follow")
        ).scalars()
        assert sorted(lines) == ["KOTA-X-DINKES", "KOTA-X-DINKES-LAB", "KOTA-X-DINKES-PKM1"]


def test_an_agency_the_template_moves_takes_what_it_did_not_write_along(engine, regions):
    """The office moves to the province: the people's agency and the kept one below it follow,
    so the subtree stays one range of paths."""
    specs = build_template(regions)
    load(engine, [*specs, *_KOTA_X], regions)
    _people_register(engine, "KOTA-X-DINKES-PKM1", "KOTA-X-DINKES", "Puskesmas Satu")
    with Session(engine) as session, session.begin():
        session.execute(
            update(agencies).where(agencies.c.code == "KOTA-X-DINKES-LAB").values(version=2)
        )
    moved = _with(_KOTA_X, KOTA_X_DINKES={"parent_code": "PROV-73"})
    counts = load(engine, [*specs, *moved], regions)
    assert (counts["updated"], counts["kept"], counts["followed"]) == (1, 1, 2)
    after = _tree(engine)
    assert after["KOTA-X-DINKES"].path == "/KEMENPANRB/PROV-73/KOTA-X-DINKES/"
    for code in ("KOTA-X-DINKES-LAB", "KOTA-X-DINKES-PKM1"):
        assert after[code].path == f"/KEMENPANRB/PROV-73/KOTA-X-DINKES/{code}/"
    sent = {event.body["code"]: event.body for event in outbox_events(engine)}
    assert sent["KOTA-X-DINKES-PKM1"]["changed"] == ["path"]
    assert sent["KOTA-X-DINKES-PKM1"]["agency"]["path"][-2:] == [
        "KOTA-X-DINKES",
        "KOTA-X-DINKES-PKM1",
    ]
    with Session(engine) as session:
        below = directory.subtree(session, after["KOTA-X-DINKES"].path, None, 10, None)
    assert [item["code"] for item in below["items"]] == [
        "KOTA-X-DINKES",
        "KOTA-X-DINKES-LAB",
        "KOTA-X-DINKES-PKM1",
    ]
