"""The outbox relay: publishes committed events to RabbitMQ, persistent and confirmed.

Right after a transaction commits, its events are handed to the relay's green thread (the fast
path), which publishes whatever has gathered meanwhile as one batch, waits once for the
broker's confirms (shared/confirms.py), and marks the confirmed ones published in one UPDATE.
A request never waits for the broker. The same thread sweeps now and then: it publishes
whatever is left — events of a process that died between commit and confirm, or that met a
broker outage — so nothing committed is ever lost: a row stays unpublished until the broker
has confirmed it. An event may go out twice (a crash after the confirm, before it is marked);
consumers are idempotent by their inbox.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import eventlet
from eventlet.event import Event
from eventlet.queue import Empty, LightQueue
from kombu import Exchange
from nameko.constants import PERSISTENT
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shared.confirms import ConfirmedPublisher, Outgoing

log = logging.getLogger(__name__)


def topic_exchange(name: str) -> Exchange:
    return Exchange(name, type="topic", durable=True, delivery_mode=PERSISTENT)


def event_exchange(source: str) -> Exchange:
    """The exchange nameko's event_handler binds to for events of ``source``."""
    return topic_exchange(f"{source}.events")


class OutboxRelay:
    def __init__(
        self,
        engine,
        table,
        amqp_uri: str,
        lock,
        interval: float = 1.0,
        grace: float = 2.0,
        batch: int = 500,
    ):
        self.table = table
        self.engine = engine
        self.lock = lock
        self.interval = interval
        self.grace = timedelta(seconds=grace)
        self.batch = batch
        self.publisher = ConfirmedPublisher(amqp_uri)
        self._queue: LightQueue = LightQueue()
        self._waiting: set[str] = set()  # handed over, not yet confirmed: the sweep leaves them
        self._running = True
        self._started = False
        self._done = Event()

    def publish_now(self, emitted: list) -> None:
        """Hand just-committed events (shared.events.Event) to the relay thread; returns at once."""
        for event in emitted:
            self._waiting.add(event.event_id)
            self._queue.put(Outgoing(event.exchange, event.key, event.event_id, event.wire))

    def flush(self) -> int:
        """Publish every event handed over so far, in batches; returns how many were confirmed."""
        confirmed = 0
        while True:
            batch = self._take(self.batch)
            if not batch:
                return confirmed
            confirmed += self._relay(batch)

    def sweep(self) -> int:
        """Publish events older than the grace period still waiting; returns how many went out."""
        cutoff = datetime.now(UTC) - self.grace
        query = (
            select(self.table)
            .where(self.table.c.published_at.is_(None), self.table.c.created_at < cutoff)
            .order_by(self.table.c.id)
            .limit(self.batch)
        )
        if self.engine.dialect.name == "postgresql":
            # copies of a service share the outbox: each row is relayed by one of them
            query = query.with_for_update(skip_locked=True)
        with self.lock(), Session(self.engine) as session, session.begin():
            rows = [row for row in session.execute(query) if row.event_id not in self._waiting]
            confirmed = set(self.publisher.publish([_outgoing(row) for row in rows]))
            self._mark(session, [row.event_id for row in rows if row.event_id in confirmed])
            failed = [row.id for row in rows if row.event_id not in confirmed]
            if failed:
                session.execute(
                    update(self.table)
                    .where(self.table.c.id.in_(failed))
                    .values(attempts=self.table.c.attempts + 1)
                )
        return len(confirmed)

    def backlog(self) -> tuple[int, float]:
        """(events waiting, age in seconds of the oldest), for metrics and health."""
        with Session(self.engine) as session:
            count, oldest = session.execute(
                select(func.count(), func.min(self.table.c.created_at)).where(
                    self.table.c.published_at.is_(None)
                )
            ).one()
        if not oldest:
            return 0, 0.0
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return count, max(0.0, (datetime.now(UTC) - oldest).total_seconds())

    def run(self) -> None:
        """The relay thread: batches as events come, a sweep every ``interval`` seconds."""
        next_sweep = time.monotonic()
        self._started = True
        try:
            while self._running:
                try:
                    first = self._queue.get(timeout=max(0.0, next_sweep - time.monotonic()))
                    self._relay([first, *self._take(self.batch - 1)])
                except Empty:
                    pass
                if self._running and time.monotonic() >= next_sweep:
                    self._sweep_all()
                    next_sweep = time.monotonic() + self.interval
            self.flush()  # stopping: what was handed over goes out now if it can
        finally:
            self.publisher.close()
            self._done.send()

    def stop(self, wait: float = 5.0) -> None:
        """Stop the relay thread after it published what it holds (at most ``wait`` seconds)."""
        self._running = False
        self._queue.put(None)  # wake it
        if wait and self._started:
            with eventlet.Timeout(wait, False):
                self._done.wait()

    def _sweep_all(self) -> None:
        try:
            while self._running and self.sweep() >= self.batch:
                pass
        except Exception as exc:  # the broker or database is away: try again next round
            log.warning("outbox sweep failed: %s", type(exc).__name__)

    def _take(self, most: int) -> list[Outgoing]:
        taken = []
        while len(taken) < most:
            try:
                item = self._queue.get_nowait()
            except Empty:
                break
            if item is not None:
                taken.append(item)
        return taken

    def _relay(self, batch: list) -> int:
        """Publish a batch handed over by publish_now; what the broker did not confirm is
        left to the sweep (its rows are still unpublished)."""
        batch = [item for item in batch if item is not None]
        if not batch:
            return 0
        confirmed = self.publisher.publish(batch)
        try:
            if confirmed:
                with self.lock(), Session(self.engine) as session, session.begin():
                    self._mark(session, confirmed)
        except Exception as exc:  # published, not marked: the sweep sends them again
            log.warning(
                "outbox: marking %d published failed: %s", len(confirmed), type(exc).__name__
            )
        finally:
            self._waiting.difference_update(item.message_id for item in batch)
        return len(confirmed)

    def _mark(self, session: Session, event_ids: list[str]) -> None:
        if event_ids:
            session.execute(
                update(self.table)
                .where(self.table.c.event_id.in_(event_ids))
                .values(published_at=datetime.now(UTC))
            )


def _outgoing(row) -> Outgoing:
    exchange = row.exchange or f"{row.source}.events"
    return Outgoing(exchange, row.routing_key or row.event_type, row.event_id, row.payload)
