"""Routing's revision 0003 on SQLite and PostgreSQL: the reports routed before it get their
stored deadlines (next_due_at, overdue_at) from their running clocks, as clocks.refresh
would have stored them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from services.routing.models import clocks, dispositions
from services.routing.models import metadata as routing_metadata
from shared import migrations
from shared.db import aware, create_schema, infra, make_engine

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, pg_database):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/routing.db"
    return pg_database()


def disposition(tid: str) -> dict:
    return {
        "tracking_id": tid,
        "agency_code": "KAB-73-11-DINKES",
        "category_id": "kesehatan.puskesmas",
        "region_code": "73.11",
        "privacy": "public",
        "rule": "category_region",
        "status": "dispatched",
        "routed_at": T0,
        "received_at": T0,
        "version": 1,
        "updated_at": T0,
    }


def clock(tid: str, name: str, days: int, stopped: bool = False) -> dict:
    return {
        "tracking_id": tid,
        "clock": name,
        "agency_code": "KAB-73-11-DINKES",
        "zone": "Asia/Makassar",
        "days": days,
        "started_at": T0,
        "remind_at": T0 + timedelta(days=days - 1),
        "due_at": T0 + timedelta(days=days),
        "stopped_at": T0 + timedelta(hours=1) if stopped else None,
        "seq": 1,
    }


def test_the_upgrade_stores_the_deadlines_of_reports_routed_before(database_url):
    engine = make_engine(database_url)
    folder = migrations.folder_of(routing_metadata)
    with engine.begin() as conn:  # routed under revision 0002
        migrations._run(conn, migrations.script_directory(folder), "0002")
        conn.execute(insert(dispositions), [disposition(t) for t in ("LPR-A", "LPR-B", "LPR-C")])
        conn.execute(
            insert(clocks),
            [
                clock("LPR-A", "first_followup", 5, stopped=True),
                clock("LPR-A", "resolution", 14),
                clock("LPR-A", "feedback", 10),  # the soonest, but never "overdue"
                clock("LPR-B", "feedback", 10),
                clock("LPR-C", "resolution", 14, stopped=True),
            ],
        )
    create_schema(engine, infra, routing_metadata)
    with engine.connect() as conn:
        stored = {
            row.tracking_id: (
                aware(row.next_due_at),
                aware(row.overdue_at),
            )
            for row in conn.execute(select(dispositions))
        }
    engine.dispose()
    assert stored == {
        "LPR-A": (T0 + timedelta(days=10), T0 + timedelta(days=14)),
        "LPR-B": (T0 + timedelta(days=10), None),
        "LPR-C": (None, None),
    }
