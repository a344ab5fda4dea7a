"""Routing's clocks after a history import (``satupintu import``), on the real RabbitMQ and
SQLite: the deadlines that passed before the history ends (``as_of``) are history — breached,
escalated, completed and reminded as they fell due — and the live sweep acts only on what falls
due after it, so an old backlog is not reminded, breached and escalated all at once."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services import importing
from services.routing.models import clocks, dispositions, readers, routing_history
from shared.db import aware, make_engine
from tests.history import START, one, write
from tests.interface.routing.test_routing_clocks import NOTHING, sweep
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    routing_events_fixture,
    system_fixture,
)

OPEN, AWAITING = one(12), one(3)  # at Barru's Dinkes, no answer; a final follow-up, no feedback


def imported(system, tmp_path, as_of=None):
    path = tmp_path / "history.jsonl"
    write(path, [one(number) for number in range(14)])
    url = system.routing.config["DATABASE_URL"]
    done = importing.import_one("routing", path, url, quiet=True, as_of=as_of)
    assert done.imported == 14
    return done, make_engine(url)


def clocks_of(engine, tracking_id: str) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(select(clocks).where(clocks.c.tracking_id == tracking_id))
        return {row.clock: row for row in rows}


def test_an_export_written_now_leaves_the_sweep_nothing_from_before_it(system, tmp_path):
    done, engine = imported(system, tmp_path)
    assert abs(done.as_of - datetime.now(UTC)) < timedelta(minutes=1)  # the file's time
    assert sweep(system) == NOTHING
    assert sweep(system) == NOTHING

    tid = OPEN["tracking_id"]
    ran_out = clocks_of(engine, tid)
    for name in ("first_followup", "resolution"):  # breached at the deadline, still running
        clock = ran_out[name]
        assert clock.stopped_at is None
        assert aware(clock.breached_at) == aware(clock.due_at)
        assert aware(clock.reminded_at) == aware(clock.remind_at)
    with engine.connect() as conn:
        reading = set(conn.execute(select(readers.c.agency_code, readers.c.kind)
                                   .where(readers.c.tracking_id == tid)))  # fmt: skip
        hops = [row.kind for row in conn.execute(select(routing_history.c.kind)
                                                 .where(routing_history.c.tracking_id == tid)
                                                 .order_by(routing_history.c.id))]  # fmt: skip
        status = conn.execute(
            select(dispositions.c.status, dispositions.c.overdue_at)
            .where(dispositions.c.tracking_id == AWAITING["tracking_id"])
        ).one()  # fmt: skip
    escalated = {code for code, kind in reading if kind == "escalated"}
    assert escalated == {"KAB-73-11-DISKOMINFO", "KAB-73-11-INSPEKTORAT", "OMBUDSMAN"}
    assert hops[-1] == "escalated"
    assert tuple(status) == ("completed", None)  # its feedback clock ran out long ago
    # the desk shows it as history made it: overdue, read by those it was escalated to
    detail = system.desk.detail(tid, "staf.itwil.barru")
    assert detail["access"] == "escalated" and detail["overdue"]
    engine.dispose()


def test_what_falls_due_after_the_history_ends_is_the_sweep_s(system, tmp_path):
    as_of = START + timedelta(days=45)
    done, engine = imported(system, tmp_path, as_of)
    assert done.as_of == as_of
    tid = OPEN["tracking_id"]  # dispatched on day 36: first follow-up due before day 45
    before = clocks_of(engine, tid)
    assert aware(before["first_followup"].breached_at) == aware(before["first_followup"].due_at)
    assert before["resolution"].breached_at is None  # due after as_of: not history's
    assert aware(before["resolution"].due_at) > as_of

    done = sweep(system)
    assert done["breaches"] > 0
    after = clocks_of(engine, tid)
    assert aware(after["resolution"].breached_at) > datetime.now(UTC) - timedelta(minutes=5)
    assert after["first_followup"].breached_at == before["first_followup"].breached_at
    assert sweep(system) == NOTHING
    engine.dispose()
