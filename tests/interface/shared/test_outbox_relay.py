"""The outbox relay's batches on the real RabbitMQ and a real SQLite file: a process killed
with SIGKILL after its events were committed and sent, before the broker's confirms came
back, loses none of them; the batch path publishes each event once and marks it."""

import os
import signal
import subprocess
import sys
import textwrap

import eventlet
from kombu import Connection
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import UnitOfWork, create_schema, infra, make_engine, outbox
from shared.outbox import OutboxRelay
from tests.factories import drain, watch
from tests.interface.shared.test_messaging import submitted_body

# The child commits a transaction of events, hands them to its relay, and dies by SIGKILL the
# moment the relay starts waiting for the broker's confirms: every message is on the wire,
# none is marked published.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from contextlib import nullcontext
    from sqlalchemy.orm import Session
    from shared.db import UnitOfWork, create_schema, infra, make_engine, outbox
    from shared.outbox import OutboxRelay
    from tests.interface.shared.test_messaging import submitted_body

    url, amqp_uri, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    engine = make_engine(url)
    create_schema(engine, infra)
    with Session(engine) as session, session.begin():
        uow = UnitOfWork(session, "corr-kill")
        for n in range(count):
            tid = f"LPR-KILL-0000-{n:04d}"
            uow.emit("report_submitted", tid, submitted_body(tid))
    print(" ".join(event.event_id for event in uow.emitted), flush=True)
    relay = OutboxRelay(engine, outbox, amqp_uri, nullcontext, grace=0)
    relay.publish_now(uow.emitted)
    publisher = relay.publisher
    opened = publisher._open

    def open_then_die_on_confirms():
        channel = opened()
        publisher._connection.drain_events = lambda timeout=None: os.kill(
            os.getpid(), signal.SIGKILL
        )
        return channel

    publisher._open = open_then_die_on_confirms
    relay.flush()
    print("still alive", flush=True)
    """
)


def _unpublished(engine) -> int:
    with Session(engine) as session:
        return session.execute(
            select(func.count()).where(outbox.c.published_at.is_(None))
        ).scalar_one()


def test_a_kill_between_commit_and_confirm_loses_no_event(tmp_path, rabbit_config):
    url = f"sqlite:///{tmp_path}/outbox.db"
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "intake", "report_submitted")
        child = subprocess.run(
            [sys.executable, "-c", CHILD, url, rabbit_config["AMQP_URI"], "5"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=os.getcwd(),
        )
        assert child.returncode == -signal.SIGKILL, child.stderr
        emitted = set(child.stdout.split("\n")[0].split())
        assert len(emitted) == 5 and "still alive" not in child.stdout
        engine = make_engine(url)
        assert _unpublished(engine) == 5  # sent, not confirmed: nothing counts as published
        relay = OutboxRelay(engine, outbox, rabbit_config["AMQP_URI"], _no_lock, grace=0)
        assert relay.sweep() == 5  # the restarted process's sweep sends them again
        assert _unpublished(engine) == 0
        arrived = [event["event_id"] for event in drain(queue, quiet=1.0)]
        queue.close()
    # at least once: all five arrive (those the killed process got out, twice; the inbox
    # of each consumer applies an event once)
    assert set(arrived) == emitted
    assert len(arrived) in range(5, 11)


def test_the_batch_path_publishes_each_event_once_and_marks_it(tmp_path, rabbit_config):
    engine = make_engine(f"sqlite:///{tmp_path}/outbox.db")
    create_schema(engine, infra)
    relay = OutboxRelay(engine, outbox, rabbit_config["AMQP_URI"], _no_lock, interval=0.2)
    batches = []
    publish = relay.publisher.publish

    def counted(batch):
        batches.append(len(batch))
        return publish(batch)

    relay.publisher.publish = counted
    emitted = []
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "intake", "report_submitted")
        for n in range(30):  # thirty transactions of one event each, before the relay runs
            with Session(engine) as session, session.begin():
                tid = f"LPR-BTCH-0000-{n:04d}"
                event = UnitOfWork(session, f"corr-{n}").emit(
                    "report_submitted", tid, submitted_body(tid)
                )
            relay.publish_now([event])
            emitted.append(event.event_id)
        runner = eventlet.spawn(relay.run)
        arrived = [event["event_id"] for event in drain(queue, quiet=1.0)]
        relay.stop()
        runner.wait()
        queue.close()
    assert arrived == emitted  # each once, in the order committed
    assert _unpublished(engine) == 0
    assert max(batches) > 1  # they went out together, one wait for their confirms
    assert relay.sweep() == 0  # nothing left for the safety net to send twice


def _no_lock():
    from contextlib import nullcontext

    return nullcontext()
