"""The event machinery on the real RabbitMQ and a real SQLite file: outbox, inbox, retries,
dead letters and replay, queues declared before traffic."""

from datetime import UTC, datetime

import pytest
from kombu import Connection, Exchange, Queue
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import MetaData
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shared.db import Database, UnitOfWork, create_schema, infra, make_engine, outbox
from shared.deadletters import dead_letter_depth, list_dead_letters, replay
from shared.messaging import declare, handles, service_queues
from shared.metrics import EVENTS
from shared.outbox import OutboxRelay, event_exchange
from tests.factories import wait_for


def submitted_body(tracking_id="LPR-TEST-0000-0001"):
    return {
        "tracking_id": tracking_id,
        "classification": "complaint",
        "category_id": "kesehatan",
        "region_code": "73.11",
        "privacy": "public",
        "channel": "web",
        "submitted_at": datetime.now(UTC),
    }


class Emitter:
    """Stands in for intake: commits an event through its outbox."""

    name = "intake"
    db = Database(MetaData())

    @rpc
    def emit(self, tracking_id):
        with self.db.transaction() as tx:
            return tx.emit("report_submitted", tracking_id, submitted_body(tracking_id)).event_id


class Seen(DependencyProvider):
    """What one probe container's handler applied, and whether it should fail: each container
    binds its own (nameko makes a fresh instance per container), so no test sees another's."""

    def __init__(self):
        self.applied: list = []
        self.failing = False
        self.failing_for: set[str] = set()  # tracking ids whose events fail
        self.deadlock_once: set[str] = set()  # tracking ids whose events lose a race, once
        self.transactions: list = []  # the unit of work each event was applied in

    def get_dependency(self, worker_ctx):
        return self


class Probe:
    name = "probe"
    db = Database(MetaData())
    seen = Seen()

    @handles("report_submitted")
    def on_submitted(self, tx, event):
        if self.seen.failing or event.body["tracking_id"] in self.seen.failing_for:
            raise RuntimeError("the handler's dependency is down")
        if event.body["tracking_id"] in self.seen.deadlock_once:
            self.seen.deadlock_once.remove(event.body["tracking_id"])
            raise OperationalError("UPDATE figures …", {}, _Deadlock())
        self.seen.applied.append(event.event_id)
        self.seen.transactions.append(tx)


class _Deadlock(Exception):
    pgcode = "40P01"  # what psycopg2 says of PostgreSQL's deadlock_detected


def seen(container) -> Seen:
    return next(ext for ext in container.extensions if isinstance(ext, Seen))


@pytest.fixture
def emitter(container_factory, service_config):
    container = container_factory(Emitter, service_config("intake"))
    container.start()
    return container


@pytest.fixture
def probe(container_factory, service_config):
    return container_factory(Probe, service_config("notification"))


def test_event_is_applied_once_even_when_delivered_twice(emitter, probe, rabbit_config):
    probe.start()
    with entrypoint_waiter(probe, "on_submitted"):
        with entrypoint_hook(emitter, "emit") as emit:
            event_id = emit("LPR-TEST-0000-0001")
    assert seen(probe).applied == [event_id]

    # the broker delivers the same event again (e.g. after a consumer crash before its ack)
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        engine_url = emitter.config["DATABASE_URL"]
        with Session(make_engine(engine_url)) as session:
            payload = session.query(outbox.c.payload).filter(outbox.c.event_id == event_id).scalar()
        with entrypoint_waiter(probe, "on_submitted"):
            conn.Producer().publish(
                payload,
                exchange=event_exchange("intake"),
                routing_key="report_submitted",
                serializer="json",
            )
    assert seen(probe).applied == [event_id]


def test_failing_handler_is_retried_then_dead_lettered_and_can_be_replayed(
    emitter, probe, rabbit_config
):
    seen(probe).failing = True
    probe.start()
    with entrypoint_waiter(probe, "on_submitted"):
        with entrypoint_hook(emitter, "emit") as emit:
            event_id = emit("LPR-TEST-0000-0002")
    letters = wait_for(lambda: list_dead_letters(rabbit_config["AMQP_URI"]))
    assert [(letter.event_id, letter.queue) for letter in letters] == [
        (event_id, "evt-intake-report_submitted--probe.on_submitted")
    ]
    assert seen(probe).applied == []
    # listing does not consume
    assert len(list_dead_letters(rabbit_config["AMQP_URI"])) == 1
    assert dead_letter_depth(rabbit_config["AMQP_URI"]) == 1

    seen(probe).failing = False
    with entrypoint_waiter(probe, "on_submitted"):
        replayed = replay(rabbit_config["AMQP_URI"])
    assert [letter.event_id for letter in replayed] == [event_id]
    assert seen(probe).applied == [event_id]
    assert list_dead_letters(rabbit_config["AMQP_URI"]) == []
    assert dead_letter_depth(rabbit_config["AMQP_URI"]) == 0


def test_invalid_event_goes_to_dead_letters_not_to_the_handler(probe, rabbit_config):
    probe.start()
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        with entrypoint_waiter(probe, "on_submitted"):
            conn.Producer().publish(
                {"event_type": "report_submitted", "body": {"x": 1}},
                exchange=event_exchange("intake"),
                routing_key="report_submitted",
                serializer="json",
            )
    letters = wait_for(lambda: list_dead_letters(rabbit_config["AMQP_URI"]))
    assert letters[0].queue == "evt-intake-report_submitted--probe.on_submitted"
    assert seen(probe).applied == []


def test_events_published_before_the_consumer_starts_wait_in_its_declared_queue(
    emitter, probe, rabbit_config
):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, service_queues(Probe))
    with entrypoint_hook(emitter, "emit") as emit:
        event_id = emit("LPR-TEST-0000-0003")
    with entrypoint_waiter(probe, "on_submitted"):
        probe.start()
    assert seen(probe).applied == [event_id]


def _emit_before_the_probe_starts(emitter, rabbit_config, count: int) -> list[str]:
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, service_queues(Probe))
    with entrypoint_hook(emitter, "emit") as emit:
        event_ids = [emit(f"LPR-TEST-0000-{100 + i:04d}") for i in range(count)]
    wait_for(lambda: _queued(rabbit_config) == count)
    return event_ids


def _queued(rabbit_config) -> int:
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = service_queues(Probe)[0](conn.default_channel)
        return queue.queue_declare(passive=True).message_count


def test_events_that_wait_are_applied_together_in_one_transaction(emitter, probe, rabbit_config):
    event_ids = _emit_before_the_probe_starts(emitter, rabbit_config, 12)
    probe.start()
    applied = wait_for(lambda: len(seen(probe).applied) == 12 and seen(probe).applied)
    assert sorted(applied) == sorted(event_ids)  # each once
    batches = {id(tx) for tx in seen(probe).transactions}
    assert len(batches) < 12  # what waited went in batches, each one commit
    probe.stop()
    assert _queued(rabbit_config) == 0  # all acknowledged: none came back to the queue
    assert dead_letter_depth(rabbit_config["AMQP_URI"]) == 0


def test_two_copies_of_an_event_in_one_batch_apply_once(emitter, probe, rabbit_config):
    # the outbox relay sends an event again when it died between the confirm and the mark.
    # Two other events come first: they take the two batches that start at once, so the event
    # and its copies wait together for the next one.
    *others, event_id = _emit_before_the_probe_starts(emitter, rabbit_config, 3)
    with Session(make_engine(emitter.config["DATABASE_URL"])) as session:
        payload = session.query(outbox.c.payload).filter(outbox.c.event_id == event_id).scalar()
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        for _ in range(2):
            conn.Producer().publish(
                payload,
                exchange=event_exchange("intake"),
                routing_key="report_submitted",
                serializer="json",
            )
    wait_for(lambda: _queued(rabbit_config) == 5)
    probe.start()
    wait_for(lambda: len(seen(probe).applied) >= 3)
    probe.stop()
    assert sorted(seen(probe).applied) == sorted([*others, event_id])
    assert _queued(rabbit_config) == 0


def test_an_event_that_fails_in_a_batch_fails_alone(emitter, probe, rabbit_config):
    event_ids = _emit_before_the_probe_starts(emitter, rabbit_config, 6)
    seen(probe).failing_for = {"LPR-TEST-0000-0102"}
    probe.start()
    letters = wait_for(lambda: list_dead_letters(rabbit_config["AMQP_URI"]))
    # those before it in its batch ran once in the transaction that failed, then alone
    wait_for(lambda: set(seen(probe).applied) == set(event_ids[:2] + event_ids[3:]))
    assert [letter.event_id for letter in letters] == [event_ids[2]]
    probe.stop()
    assert _queued(rabbit_config) == 0


def test_a_batch_that_loses_a_race_is_applied_one_at_a_time_not_requeued(
    emitter, probe, rabbit_config
):
    event_ids = _emit_before_the_probe_starts(emitter, rabbit_config, 12)
    seen(probe).deadlock_once = {"LPR-TEST-0000-0105"}  # the first two run alone, this in a batch
    requeued = EVENTS.labels("probe", "on_submitted", "requeued")
    before = requeued._value.get()
    probe.start()
    # the batch's events before the one that lost ran once in the transaction rolled back
    wait_for(lambda: set(seen(probe).applied) == set(event_ids))
    probe.stop()
    assert seen(probe).deadlock_once == set()  # the race was met
    assert requeued._value.get() == before  # no wait for a database that was never away


def test_outbox_keeps_events_through_a_broker_outage(tmp_path, rabbit_config):
    engine = make_engine(f"sqlite:///{tmp_path}/outbox.db")
    create_schema(engine, infra)
    with Session(engine) as session, session.begin():
        event = UnitOfWork(session, "corr-1").emit(
            "report_submitted", "LPR-TEST-0000-0004", submitted_body("LPR-TEST-0000-0004")
        )

    broken = OutboxRelay(engine, outbox, "amqp://guest:guest@127.0.0.1:1/", _no_lock, grace=0)
    broken.publish_now([event])
    assert broken.flush() == 0  # nothing confirmed: the row stays for the sweep
    assert broken.backlog()[0] == 1

    queue = Queue(
        "watch",
        exchange=Exchange("intake.events", type="topic", durable=True),
        routing_key="report_submitted",
    )
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue(conn.default_channel).declare()
        relay = OutboxRelay(engine, outbox, rabbit_config["AMQP_URI"], _no_lock, grace=0)
        assert relay.sweep() == 1
        assert relay.backlog() == (0, 0.0)
        message = conn.SimpleQueue(queue).get(timeout=5)
        assert message.payload["event_id"] == event.event_id
        assert message.payload["correlation_id"] == "corr-1"
        assert message.properties["delivery_mode"] == 2  # persistent
        message.ack()


def _no_lock():
    from contextlib import nullcontext

    return nullcontext()
