"""The desk list's pages by cursor, on the real RabbitMQ and on SQLite and PostgreSQL: the
dispositions stored in routing's own database (many received in the same second, some with no
running clock, some held elsewhere and watched) are read through GET /desk/dispositions
following each ``next``: an officer pages through their own scope only, in every sort, no
report twice, none missing; the totals count the scope up to the cap; a cursor of another
sort, or forged, is a problem, not a 500. A scope of several agencies (a province's, which
PostgreSQL reads by another index than one agency's), their reports interleaved in time, pages
through in every sort the same."""

import base64
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from services.agency_registry.service import AgencyRegistry
from services.routing.desk import listing
from services.routing.models import dispositions, readers
from services.routing.models import metadata as routing_metadata
from services.routing.service import Routing
from shared.db import create_schema, infra, make_engine, utcnow
from tests.interface.agency_registry.test_agency_registry import Client, add_staff
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — a fixture
    DESK_STAFF,
    Desk,
    keys_fixture,
)

DINKES, RSUD, DISDIK = "KAB-73-11-DINKES", "KAB-73-11-RSUD", "KAB-73-11-DISDIK"


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, container_factory, service_config, registry_db, keys):
    add_staff(registry_db, *DESK_STAFF)
    registry_config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container_factory(AgencyRegistry, registry_config).start()
    overrides = {}
    if request.param == "postgresql":
        overrides["DATABASE_URL"] = request.getfixturevalue("pg_database")()
    routing_config = service_config(
        "routing", STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]), CLOCK_INTERVAL=3600, **overrides
    )
    container_factory(Routing, routing_config).start()
    client = Client(f"http://{registry_config['WEB_SERVER_ADDRESS']}")
    return Desk(f"http://{routing_config['WEB_SERVER_ADDRESS']}", client), routing_config


def row(i: int, agency: str, received, due=None, status="dispatched") -> dict:
    return {
        "tracking_id": f"LPR-DESK-{i:04d}",
        "agency_code": agency,
        "category_id": "kesehatan",
        "region_code": "73.11",
        "privacy": "public",
        "rule": "jurisdiction",
        "status": status,
        "routed_at": received,
        "received_at": received,
        "updated_at": received,
        "version": 1,
        "next_due_at": due,
    }


def store(config) -> dict[str, dict]:
    """The rows stored, by tracking id; DINKES watches two of RSUD's."""
    now = utcnow().replace(microsecond=0)
    same = now - timedelta(days=2)
    rows = [
        row(i, DINKES, same, None if i % 5 == 0 else same + timedelta(days=i % 3))
        for i in range(25)
    ]
    rows += [row(i, DINKES, now - timedelta(hours=i), status="in_progress") for i in range(25, 35)]
    rows += [row(i, RSUD, same) for i in range(35, 43)]
    rows += [row(i, DISDIK, now - timedelta(minutes=i)) for i in range(43, 48)]
    watched = [
        {"tracking_id": r["tracking_id"], "agency_code": DINKES, "kind": "watcher", "since": now}
        for r in rows[35:37]
    ]
    engine = make_engine(config["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(insert(dispositions), rows)
        conn.execute(insert(readers), watched)
    engine.dispose()
    return {r["tracking_id"]: r for r in rows}


def newest_first(rows) -> list[str]:
    return [
        r["tracking_id"]
        for r in sorted(rows, key=lambda r: (r["received_at"], r["tracking_id"]), reverse=True)
    ]


def flat(pages) -> list[str]:
    return [tid for page in pages for tid in page]


def test_an_officer_pages_through_their_own_scope_only(desk):
    desk, config = desk
    stored = store(config)
    mine = [r for r in stored.values() if r["agency_code"] == DINKES]
    watched = [stored["LPR-DESK-0035"], stored["LPR-DESK-0036"]]
    pages = desk.pages("dinkes.barru", limit=6)
    assert [len(page) for page in pages] == [6] * 6 + [1]
    assert flat(pages) == newest_first(mine + watched)  # held and watched; nobody else's
    assert flat(desk.pages("dinkes.barru", access="held", limit=4)) == newest_first(mine)
    assert flat(desk.pages("dinkes.barru", access="watching", limit=1)) == newest_first(watched)
    assert flat(desk.pages("disdik.barru", limit=2)) == [f"LPR-DESK-{i:04d}" for i in range(43, 48)]
    assert flat(desk.pages("nasional", limit=9)) == newest_first(stored.values())


def test_every_sort_pages_through_ties_and_missing_deadlines(desk):
    desk, config = desk
    stored = store(config)
    mine = [r for r in stored.values() if r["agency_code"] == DINKES]
    oldest = [
        r["tracking_id"] for r in sorted(mine, key=lambda r: (r["received_at"], r["tracking_id"]))
    ]
    assert flat(desk.pages("dinkes.barru", access="held", sort="received", limit=4)) == oldest
    running = sorted(
        (r for r in mine if r["next_due_at"]), key=lambda r: (r["next_due_at"], r["tracking_id"])
    )
    none = sorted(r["tracking_id"] for r in mine if r["next_due_at"] is None)
    due = flat(desk.pages("dinkes.barru", access="held", sort="due", limit=4))
    assert due == [r["tracking_id"] for r in running] + none  # no running clock: last
    assert len(none) == 15 and len(running) == 20  # the main run and the tail run both read
    # filters are kept across cursors
    progress = flat(desk.pages("dinkes.barru", status="in_progress", sort="-updated", limit=3))
    assert progress == [f"LPR-DESK-{i:04d}" for i in range(25, 35)]


def test_the_totals_count_the_scope_up_to_the_cap(desk, monkeypatch):
    desk, config = desk
    stored = store(config)
    answer = desk("GET", "/desk/dispositions", "dinkes.barru", params={"limit": 2}).json()
    held = Counter(r["status"] for r in stored.values() if r["agency_code"] == DINKES)
    assert (answer["total"], answer["capped"]) == (37, False)
    assert answer["by_status"] == {"dispatched": held["dispatched"] + 2, "in_progress": 10}
    monkeypatch.setattr(listing, "COUNT_CAP", 20)  # the service runs in this process
    capped = desk("GET", "/desk/dispositions", "dinkes.barru", params={"limit": 2}).json()
    assert (capped["total"], capped["capped"], capped["by_status"]) == (20, True, None)
    assert len(flat(desk.pages("dinkes.barru", limit=10))) == 37  # the pages are not capped


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def test_a_cursor_of_another_sort_or_forged_is_a_problem(desk):
    desk, config = desk
    store(config)
    newest = desk("GET", "/desk/dispositions", "dinkes.barru", params={"limit": 2}).json()["next"]
    for params in (
        {"cursor": newest, "sort": "due"},
        {"cursor": newest[:-3]},
        {"cursor": "bukan-kursor"},
        {"cursor": _cursor("-received", "kemarin", "LPR-DESK-0001")},
        {"cursor": _cursor("public", "2026-01-01T00:00:00+00:00", "LPR-DESK-0001")},
        {"cursor": "A" * 201},
    ):
        response = desk("GET", "/desk/dispositions", "dinkes.barru", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "cursor"
    again = desk("GET", "/desk/dispositions", "dinkes.barru", params={"cursor": newest, "limit": 2})
    assert again.status_code == 200 and len(again.json()["items"]) == 2


@pytest.fixture(params=["sqlite", "postgresql"])
def routing_db(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'routing.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_database")()
    engine = make_engine(url)
    create_schema(engine, infra, routing_metadata)
    yield engine
    engine.dispose()


def test_a_scope_of_several_agencies_pages_through_interleaved_times(routing_db):
    agencies = [f"KAB-73-{n:02d}-SETDA" for n in range(1, 8)]  # the last is outside the scope
    now = utcnow().replace(microsecond=0)
    rows = [
        row(i, agencies[i % 7], None if i % 17 == 0 else now - timedelta(minutes=i // 4),
            None if i % 3 == 0 else now + timedelta(hours=i % 5))
        for i in range(140)
    ]  # fmt: skip
    for r in rows:
        r["routed_at"] = r["routed_at"] or now
    watched = [
        {"tracking_id": r["tracking_id"], "agency_code": agencies[0], "kind": "watcher",
         "since": now}
        for r in rows[6::21]
    ]  # fmt: skip
    with routing_db.begin() as conn:
        conn.execute(insert(dispositions), rows)
        conn.execute(insert(readers), watched)
    held_outside_and_watched = [r for r in rows if r["agency_code"] == agencies[6]][::3]
    assert {w["tracking_id"] for w in watched} == {
        r["tracking_id"] for r in held_outside_and_watched
    }
    seen = [r for r in rows if r["agency_code"] != agencies[6]] + held_outside_and_watched
    query = {
        **dict.fromkeys(("status", "category", "date_from", "date_to", "overdue", "queue")),
        "access": "all",
        "limit": 9,
    }
    with Session(routing_db) as session:
        if routing_db.dialect.name == "postgresql":  # the indexes, as at scale: not 140 rows read
            session.execute(text("SET enable_seqscan = off"))
        for sort, key, descending in (
            ("-received", "received_at", True),
            ("received", "received_at", False),
            ("due", "next_due_at", False),
            ("-updated", "updated_at", True),
        ):
            timed = sorted((r for r in seen if r[key]), key=lambda r: (r[key], r["tracking_id"]))
            untimed = sorted(r["tracking_id"] for r in seen if r[key] is None)
            expected = [r["tracking_id"] for r in timed] + untimed
            if descending:
                expected = expected[: len(timed)][::-1] + untimed[::-1]
            got, cursor = [], None
            while True:
                page, cursor = listing.dispositions_for(
                    session, set(agencies[:6]), {**query, "sort": sort, "cursor": cursor},
                    datetime.now(UTC),
                )  # fmt: skip
                got += [held.tracking_id for held in page]
                if cursor is None:
                    break
            assert got == expected, sort  # none twice, none missing, in order across cursors
        totals = listing.totals_for(session, set(agencies[:6]), query, datetime.now(UTC))
        assert (totals["total"], totals["capped"]) == (len(seen), False)
