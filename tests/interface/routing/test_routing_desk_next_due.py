"""The deadlines routing stores on each disposition (next_due_at, overdue_at) on the real
RabbitMQ and SQLite: after every start, stop, pause (postpone) and resume (the supplement) of a
report's clocks they are the earliest of its running clocks, and the desk's sort=due and
overdue answers are the ones the clocks themselves give."""

from datetime import timedelta

from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from nameko.testing.utils import get_extension
from sqlalchemy import select

from services.routing.models import clocks, dispositions
from services.routing.rules import deadlines
from shared.clock import Clock
from shared.db import make_engine, utcnow
from tests.factories import submitted
from tests.interface.routing.test_routing_clocks import (
    final_followup,
    intake_says,
    sweep,
    travel_to,
)
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    routing_events_fixture,
    submit,
    system_fixture,
)

PUSKESMAS = {"category_id": "kesehatan.puskesmas", "region_code": "73.11"}


def stored_and_expected(system) -> dict[str, tuple[tuple, tuple]]:
    """{tracking id: ((next_due_at, overdue_at) stored, the same from its running clocks)}"""
    engine = make_engine(system.routing.config["DATABASE_URL"])
    with engine.connect() as conn:
        stored = {
            row.tracking_id: (row.next_due_at, row.overdue_at)
            for row in conn.execute(
                select(
                    dispositions.c.tracking_id,
                    dispositions.c.next_due_at,
                    dispositions.c.overdue_at,
                )
            )
        }
        running: dict[str, list] = {tid: [] for tid in stored}
        for row in conn.execute(select(clocks).where(clocks.c.stopped_at.is_(None))):
            running[row.tracking_id].append(row)
    engine.dispose()
    expected = {}
    for tid, rows in running.items():
        every = [row.due_at for row in rows]
        late = [row.due_at for row in rows if row.clock in deadlines.OVERDUE_CLOCKS]
        expected[tid] = (min(every, default=None), min(late, default=None))
    return {tid: (stored[tid], expected[tid]) for tid in stored}


def assert_kept(system, tracking_id, next_due: str, overdue: str) -> None:
    """Every report's stored deadlines are its running clocks'; this one's are as described
    ("none", or the clock whose deadline it is)."""
    found = stored_and_expected(system)
    for tid, (stored, expected) in found.items():
        assert stored == expected, tid
    by_clock = {
        row["clock"]: row["due_at"]
        for row in system.desk.detail(tracking_id)["clocks"]
        if row["stopped_at"] is None
    }
    shown = [None if when is None else when.isoformat() for when in found[tracking_id][0]]
    wanted = [by_clock.get(name) for name in (next_due, overdue)]
    assert [s and s[:19] for s in shown] == [w and w[:19] for w in wanted]


def routing_now(system):
    return get_extension(system.routing, Clock).now()


def test_stored_deadlines_follow_every_start_stop_pause_and_resume(system):
    tid = submit(system, **PUSKESMAS)  # dispatched: first follow-up and resolution start
    other = submit(system, category_id="kesehatan", region_code="73.11")
    assert_kept(system, tid, "first_followup", "first_followup")

    answer = system.desk(
        "POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json={"text": "Kami cek."}
    )
    assert answer.status_code == 201, answer.text  # first follow-up stops
    assert_kept(system, tid, "resolution", "resolution")

    final_followup(system, tid)  # resolution stops, feedback starts: not an overdue clock
    assert_kept(system, tid, "feedback", "none")

    unsatisfied = {"satisfied": False, "round": 1, "given_at": utcnow()}
    intake_says(system, "feedback_given", tid, unsatisfied, "on_feedback_given")
    assert_kept(system, tid, "resolution", "resolution")  # resolution starts again

    decline = {"reason": "Bukan kewenangan kami", "suggested_agency_code": "KAB-73-11-RSUD"}
    answer = system.desk(
        "POST", f"/desk/dispositions/{other}/decline", "dinkes.barru", json=decline
    )
    assert answer.status_code == 200, answer.text  # re-dispatched: its clocks restart
    assert_kept(system, other, "first_followup", "first_followup")

    back = {"reason": "Urusan dinas kesehatan", "suggested_agency_code": "KAB-73-11-DINKES"}
    answer = system.desk("POST", f"/desk/dispositions/{other}/decline", "rsud.barru", json=back)
    assert answer.json()["agency_code"] == "KAB-73-11-DISKOMINFO"  # a loop: the coordinator's
    assert_kept(system, other, "verification", "verification")  # only verification runs

    answer = system.desk(
        "POST", f"/desk/dispositions/{other}/postpone", "kominfo.barru", json={"note": "Lengkapi"}
    )
    assert answer.status_code == 200, answer.text  # paused: back to the reporter, all stop
    assert_kept(system, other, "none", "none")

    travel_to(system, routing_now(system) + timedelta(days=2))
    with entrypoint_waiter(system.routing, "on_report_submitted"):  # resumed: the supplement
        with entrypoint_hook(system.intake, "emit") as emit:
            emit("report_submitted", other, submitted(other, category_id="kesehatan"))
    assert_kept(system, other, "first_followup", "first_followup")

    withdrawn = {"previous_status": "in_progress", "withdrawn_at": utcnow()}
    intake_says(system, "report_withdrawn", tid, withdrawn, "on_report_withdrawn")  # all stop
    assert_kept(system, tid, "none", "none")


def test_sort_due_and_overdue_answer_as_the_running_clocks_do(system):
    first = submit(system, **PUSKESMAS)
    travel_to(system, routing_now(system) + timedelta(days=3))
    second = submit(system, **PUSKESMAS)
    third = submit(system, **PUSKESMAS)
    final_followup(system, third)  # only feedback runs: never overdue
    closed = submit(system, **PUSKESMAS)
    withdrawn = {"previous_status": "dispatched", "withdrawn_at": utcnow()}
    intake_says(system, "report_withdrawn", closed, withdrawn, "on_report_withdrawn")
    # past the first report's first follow-up, before the second's
    first_due = system.desk.detail(first)["clocks"]
    due = next(c["due_at"] for c in first_due if c["clock"] == "first_followup")
    travel_to(system, due)
    sweep(system)  # breached clocks still run: still overdue

    found = stored_and_expected(system)
    now = routing_now(system).replace(tzinfo=None)

    def key(tid):
        soonest = found[tid][1][0]
        return (soonest is None, soonest or now, tid)

    mine = sorted(found)
    listed = system.desk.listed("nasional", sort="due", limit=50)
    assert listed == sorted(mine, key=key)
    assert listed[-1] == closed and set(listed) == {first, second, third, closed}
    paged = system.desk.pages("nasional", sort="due", limit=3)
    assert paged == [listed[:3], listed[3:]]  # the report with no running clock last

    late = {tid for tid in mine if found[tid][1][1] is not None and found[tid][1][1] <= now}
    assert late == {first}
    assert set(system.desk.listed("nasional", overdue="true", limit=50)) == late
    assert set(system.desk.listed("nasional", overdue="false", limit=50)) == set(mine) - late
    assert system.desk.listed("nasional", overdue="true", sort="due") == [first]
