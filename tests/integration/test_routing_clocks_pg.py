"""Three routing containers on one PostgreSQL database and the real RabbitMQ, their clock timers
running every fraction of a second: every due clock is acted on exactly once, whichever
container gets there first (SELECT … FOR UPDATE SKIP LOCKED and conditional updates)."""

from collections import Counter
from datetime import timedelta

import pytest
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from nameko.testing.utils import get_extension
from sqlalchemy import func, select

from services.agency_registry.service import AgencyRegistry
from services.routing.models import clocks, dispositions
from services.routing.service import Routing
from shared.clock import Clock
from shared.db import make_engine
from shared.tracking import new_tracking_id
from tests.factories import drain, emitter, submitted, watch

REPORTS = 24
CASES = [
    ("kesehatan.puskesmas", "73.11"),
    ("pendidikan.sma", "73.11"),
    ("perbankan_keuangan", "31.71"),
    ("lingkungan_hidup.sampah", "51.71"),
]


@pytest.fixture
def routing_database(pg_database):
    return pg_database()


@pytest.fixture
def events(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queues = {
            name: watch(conn, "routing", name)
            for name in ("report_routed", "deadline_breached", "report_escalated")
        }
        yield queues
        for queue in queues.values():
            queue.close()


def take(queue, count: int) -> list[dict]:
    return [queue.get(timeout=30).payload["body"] for _ in range(count)]


def test_each_breach_is_acted_on_once_by_three_routing_containers(
    container_factory, service_config, registry_db, routing_database, events
):
    container_factory(
        AgencyRegistry, service_config("agency_registry", DATABASE_URL=registry_db)
    ).start()
    routings = []
    for _ in range(3):
        config = service_config("routing", DATABASE_URL=routing_database, CLOCK_INTERVAL=0.1)
        routings.append(container_factory(Routing, config))
    for container in routings:
        container.start()
    intake = container_factory(emitter("intake"), service_config("intake"))
    intake.start()

    sent = []
    with entrypoint_hook(intake, "emit") as emit:
        for n in range(REPORTS):
            category, region = CASES[n % len(CASES)]
            tid = new_tracking_id()
            emit("report_submitted", tid, submitted(tid, category_id=category, region_code=region))
            sent.append(tid)
    routed = take(events["report_routed"], REPORTS)
    assert sorted(body["tracking_id"] for body in routed) == sorted(sent)

    # forty-five days later (past every first-follow-up and 14-day resolution clock), for all
    for container in routings:
        get_extension(container, Clock).travel(timedelta(days=45))
    breached = take(events["deadline_breached"], 2 * REPORTS)
    escalated = take(events["report_escalated"], REPORTS)

    # every container sweeps at least once more after that: still nothing acted on twice
    for container in routings:
        with entrypoint_waiter(container, "check_clocks"):
            pass
    pairs = Counter((body["tracking_id"], body["clock"]) for body in breached)
    assert set(pairs.values()) == {1}
    assert {clock for _, clock in pairs} == {"first_followup", "resolution"}
    assert {tid for tid, _ in pairs} == set(sent)
    assert Counter(body["tracking_id"] for body in escalated) == Counter(sent)
    assert drain(events["deadline_breached"]) == drain(events["report_escalated"]) == []

    engine = make_engine(routing_database)
    try:
        with engine.connect() as conn:
            acted = conn.execute(
                select(func.count()).where(clocks.c.breached_at.is_not(None))
            ).scalar()
            held = conn.execute(select(func.count()).select_from(dispositions)).scalar()
    finally:
        engine.dispose()
    assert (acted, held) == (2 * REPORTS, REPORTS)
