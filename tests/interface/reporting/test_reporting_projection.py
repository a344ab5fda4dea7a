"""Reporting's projections on real databases (SQLite files and PostgreSQL): applied one event
per transaction in any order, twice over, concurrently, and rebuilt from the journal by the real
command, they give the same figures. No broker here: test_reporting.py drives the handlers."""

import random
import subprocess
import sys
from datetime import UTC, date, datetime
from types import SimpleNamespace

import eventlet
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.reporting import projection, queries, synthetic
from services.reporting.models import dispatches, figures, metadata, reports
from services.reporting.rebuild import rebuild
from services.reporting.windows import Window
from shared.config import ROOT
from shared.db import create_schema, infra, make_engine
from shared.events import new_event
from shared.problems import NotFound

START = datetime(2026, 1, 12, 1, 0, tzinfo=UTC)
AGENCIES = [
    ("KAB-73-11-DISDIK", "Dinas Pendidikan Kabupaten Barru", "73.11"),
    ("KAB-73-71-DINKES", "Dinas Kesehatan Kota Makassar", "73.71"),
    ("PROV-73-DISDIK", "Dinas Pendidikan Provinsi Sulawesi Selatan", "73"),
    ("KAB-91-01-DISDIK", "Dinas Pendidikan Kabupaten Merauke", "91.01"),
    ("KEMENKES", "Kementerian Kesehatan", "31.71"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, pg_database):
    url = f"sqlite:///{tmp_path}/reporting.db" if request.param == "sqlite" else pg_database()
    engine = make_engine(url)
    create_schema(engine, infra, metadata)
    engine.url_text = url
    yield engine
    engine.dispose()


def story(count: int, seed: int):
    rng = random.Random(seed)
    found = []
    for i in range(count):
        plan = synthetic.random_plan(
            rng,
            f"LPR-T{i:04d}",
            rng.choice(AGENCIES),
            START + rng.random() * 60 * 24 * synthetic.HOUR,
        )
        found += [
            new_event(kind, plan.tracking_id, body, None) for kind, body in synthetic.events(plan)
        ]
    return found


def apply_all(engine, events) -> None:
    for event in events:
        with Session(engine) as session, session.begin():
            projection.apply(session, event)


def snapshot(engine) -> dict:
    """Every figure row with a non-zero value, and every report row."""
    with engine.connect() as conn:
        sums = {
            (row.scope_kind, row.scope_code, row.grain, str(row.day)): tuple(row)[5:]
            for row in conn.execute(select(figures))
            if any(tuple(row)[5:])
        }
        facts = {
            row.tracking_id: (
                row.status,
                row.agency_code,
                row.government_code,
                row.first_followup_seconds,
            )
            for row in conn.execute(select(reports))
        }
    return {"figures": sums, "reports": facts}


# a national admin sees every figure (the public view withholds small ones: test_reporting_http)
ADMIN = queries.Viewer(SimpleNamespace(scope_code="KEMENPANRB"))


def card(engine, kind, code, window=None):
    with Session(engine) as session:
        return queries.card(session, kind, code, window or Window(), ADMIN)


def test_any_order_twice_over_and_the_rebuild_command_agree(engine):
    events = story(80, seed=3)
    random.Random(4).shuffle(events)
    apply_all(engine, events)
    live = snapshot(engine)
    nation = card(engine, "nation", "ID")
    assert nation["reports"] == 80
    assert sum(nation["by_status"].values()) == 80
    apply_all(engine, events[::7])  # redelivered: nothing changes
    assert snapshot(engine) == live

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "rebuild-reporting",
            "--database-url",
            engine.url_text,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "reports [##############################] 80/80" in result.stderr
    assert "rebuilt: 80 reports" in result.stdout
    assert snapshot(engine) == live
    assert card(engine, "nation", "ID") == nation


def test_events_in_order_and_backwards_give_the_same_cards(engine):
    events = story(40, seed=11)  # each report's events in the order they happened
    apply_all(engine, events)
    first = {kind: card(engine, kind, code) for kind, code in _scopes()}
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    apply_all(engine, list(reversed(events)))
    assert {kind: card(engine, kind, code) for kind, code in _scopes()} == first
    assert first["government"]["reports"] > 0 and first["province"]["reports"] > 0


def _scopes():
    return [
        ("nation", "ID"),
        ("province", "PROV-73"),
        ("government", "KAB-73-11"),
        ("agency", "KAB-73-11-DISDIK"),
    ]


def agency_event(kind, code, version, path, revision, agency_kind="unit"):
    state = {
        "code": code,
        "name": "Puskesmas Tanete",
        "kind": agency_kind,
        "parent_code": path[-2],
        "path": path,
        "status": "active",
        "is_coordinator": False,
        "verification_mode": "auto",
        "timezone": "Asia/Makassar",
        "jurisdictions": ["73.11.01"],
        "competencies": ["kesehatan.puskesmas"],
        "version": version,
        "revision": revision,
    }
    body = {"code": code, "version": version, "revision": revision, "agency": state}
    if kind == "agency_updated":
        body["changed"] = ["path"]
    return new_event(kind, code, body, None)


def test_a_registered_agency_and_its_move_carry_its_reports(engine):
    plans = [
        synthetic.Plan(
            f"LPR-P{i}", "PUSKESMAS-TANETE", START, first_followup_after=5 * synthetic.HOUR
        )
        for i in range(3)
    ]
    apply_all(
        engine,
        [
            new_event(kind, p.tracking_id, body, None)
            for p in plans
            for kind, body in synthetic.events(p)
        ],
    )
    # routing named an agency reporting has not heard of: it counts for the nation only
    assert card(engine, "agency", "PUSKESMAS-TANETE")["reports"] == 3
    with pytest.raises(NotFound):
        card(engine, "government", "KAB-99-99")
    assert card(engine, "government", "KAB-73-11")["reports"] == 0

    barru = ["KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "PUSKESMAS-TANETE"]
    bone = ["KEMENPANRB", "PROV-73", "KAB-73-08", "KAB-73-08-DINKES", "PUSKESMAS-TANETE"]
    # what the governments on its paths are is the registry's word, never a code's shape
    governments = [
        agency_event("agency_registered", code, 1, path[: path.index(code) + 1], 9, kind)
        for path, code, kind in (
            (barru, "PROV-73", "provincial_government"),
            (barru, "KAB-73-11", "regency_government"),
            (bone, "KAB-73-08", "regency_government"),
        )
    ]
    registered = agency_event("agency_registered", "PUSKESMAS-TANETE", 1, barru, 10)
    moved = agency_event("agency_updated", "PUSKESMAS-TANETE", 2, bone, 11)
    apply_all(engine, [*governments, registered])
    assert card(engine, "government", "KAB-73-11")["reports"] == 3
    assert card(engine, "province", "PROV-73")["times"]["first_followup"]["count"] == 3
    apply_all(engine, [moved])
    assert card(engine, "government", "KAB-73-11")["reports"] == 0
    assert card(engine, "government", "KAB-73-08")["reports"] == 3
    stale = agency_event("agency_registered", "PUSKESMAS-TANETE", 1, barru, 10)
    apply_all(engine, [stale])  # an older version arriving late changes nothing
    assert card(engine, "government", "KAB-73-08")["reports"] == 3
    with Session(engine) as session:
        government = queries.agencies_of(session, "KAB-73-08", Window(), ADMIN)
    assert [c["scope"]["code"] for c in government["agencies"]] == ["PUSKESMAS-TANETE"]
    assert government["agencies"][0]["scope"]["name"] == "Puskesmas Tanete"

    live = snapshot(engine)
    rebuild(engine)
    assert snapshot(engine) == live


def test_the_rebuild_places_old_events_where_reporting_recorded_them(engine):
    def routed_at(tracking_id, code, place):
        plan = synthetic.Plan(tracking_id, code, START, place=place)
        found = []
        for kind, body in synthetic.events(plan):
            if place is None and kind == "report_routed":  # from before events carried places
                del body["agency_government_code"], body["agency_province_code"]
            found.append(new_event(kind, tracking_id, body, None))
        return found

    barru = synthetic.Place("KAB-73-11", "PROV-73")
    apply_all(engine, routed_at("LPR-NEW", "KAB-73-11-DISDIK", barru))
    apply_all(engine, routed_at("LPR-OLD", "KAB-73-11-DISDIK", None))  # recorded: still Barru
    apply_all(engine, routed_at("LPR-WAJO", "KAB-73-13-DISDIK", None))  # nobody placed it
    assert card(engine, "government", "KAB-73-11")["reports"] == 2
    assert card(engine, "government", "KAB-73-13")["reports"] == 0
    with engine.begin() as conn:  # as the projection placed its reports before this change
        for table in (reports, dispatches):
            conn.execute(
                table.update()
                .where(table.c.agency_code == "KAB-73-13-DISDIK")
                .values(government_code="KAB-73-13", province_code="PROV-73")
            )
    rebuild(engine)
    assert card(engine, "government", "KAB-73-11")["reports"] == 2
    assert card(engine, "government", "KAB-73-13")["reports"] == 1
    assert card(engine, "province", "PROV-73")["reports"] == 3
    with Session(engine) as session:
        scope = queries.scope(session, "agency", "KAB-73-13-DISDIK", ADMIN)
    assert (scope["government_code"], scope["_path"]) == (
        "KAB-73-13",
        ["KEMENPANRB", "PROV-73", "KAB-73-13", "KAB-73-13-DISDIK"],
    )
    live = snapshot(engine)
    rebuild(engine)  # and again: what it recorded stays
    assert snapshot(engine) == live


def test_a_window_counts_the_reports_that_came_in_during_it(engine):
    plans = [
        synthetic.Plan("LPR-W1", "KAB-73-11-DISDIK", datetime(2026, 1, 31, 15, 30, tzinfo=UTC)),
        synthetic.Plan("LPR-W2", "KAB-73-11-DISDIK", datetime(2026, 1, 31, 16, 30, tzinfo=UTC)),
        synthetic.Plan("LPR-W3", "KAB-73-11-DISDIK", datetime(2026, 3, 2, 1, 0, tzinfo=UTC)),
    ]
    apply_all(
        engine,
        [
            new_event(kind, p.tracking_id, body, None)
            for p in plans
            for kind, body in synthetic.events(p)
        ],
    )
    january = Window(date(2026, 1, 1), date(2026, 1, 31))
    # 16:30 UTC on 31 January is 00:30 on 1 February in Barru (WITA)
    assert card(engine, "agency", "KAB-73-11-DISDIK", january)["reports"] == 1
    assert (
        card(engine, "agency", "KAB-73-11-DISDIK", Window(date(2026, 2, 1), None))["reports"] == 2
    )
    assert (
        card(engine, "agency", "KAB-73-11-DISDIK", Window(date(2026, 1, 15), date(2026, 3, 1)))[
            "reports"
        ]
        == 2
    )
    assert card(engine, "nation", "ID", Window(date(2027, 1, 1), None))["reports"] == 0


def test_concurrent_writers_on_postgresql_keep_the_figures_exact(pg_database):
    """Several green threads apply interleaved events of the same reports at once, as several
    copies of the service do on PostgreSQL (psycopg2 yields to the other threads while it waits
    for the server); a deadlock victim is retried, as the handler does. SQLite has one writer at
    a time by design, so this is PostgreSQL's test."""
    engine = make_engine(pg_database())
    create_schema(engine, infra, metadata)
    events = story(30, seed=21)
    random.Random(5).shuffle(events)
    lanes = [events[i::4] for i in range(4)]

    def run(lane):
        for event in lane:
            for attempt in range(5):
                try:
                    with Session(engine) as session, session.begin():
                        projection.apply(session, event)
                    break
                except DBAPIError:
                    if attempt == 4:
                        raise
                    eventlet.sleep(0.01 * (attempt + 1))

    pool = eventlet.GreenPool()
    for lane in lanes:
        pool.spawn(run, lane)
    pool.waitall()
    live = snapshot(engine)
    assert card(engine, "nation", "ID")["reports"] == 30
    rebuild(engine)
    assert snapshot(engine) == live
    engine.dispose()
