"""The outbox relay: publishes committed events to RabbitMQ, persistent and confirmed.

Right after a transaction commits, its events are published at once (the fast path). A
background sweep publishes whatever is left — events of a process that died between commit and
publish, or that met a broker outage — so nothing committed is ever lost. An event may go out
twice (a crash after publish, before it is marked); consumers are idempotent by their inbox.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import eventlet
from kombu import Exchange
from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# Retry a little on the fast path; the sweep retries for ever.
FAST_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.1,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


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
        self.publisher = Publisher(
            amqp_uri,
            use_confirms=True,
            serializer="json",
            delivery_mode=PERSISTENT,
            retry=True,
            retry_policy=FAST_RETRY_POLICY,
        )
        self._running = True

    def publish_now(self, emitted: list) -> None:
        """Publish just-committed events (shared.events.Event); on failure leave them to the sweep."""
        published = []
        for event in emitted:
            if not self._send(event.exchange, event.key, event.event_id, event.wire):
                break  # keep the order: the rest waits for the sweep
            published.append(event.event_id)
        if published:
            with self.lock(), Session(self.engine) as session, session.begin():
                session.execute(
                    update(self.table)
                    .where(self.table.c.event_id.in_(published))
                    .values(published_at=datetime.now(UTC))
                )

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
            rows = session.execute(query).all()
            published = self._publish(rows)
            self._mark(session, published)
            failed = [row.id for row in rows if row.id not in set(published)]
            if failed:
                session.execute(
                    update(self.table)
                    .where(self.table.c.id.in_(failed))
                    .values(attempts=self.table.c.attempts + 1)
                )
        return len(published)

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
        while self._running:
            try:
                while self._running and self.sweep() >= self.batch:
                    pass
            except Exception as exc:  # the broker or database is away: try again next round
                log.warning("outbox sweep failed: %s", type(exc).__name__)
            eventlet.sleep(self.interval)

    def stop(self) -> None:
        self._running = False

    def _publish(self, rows) -> list[int]:
        published = []
        for row in rows:
            exchange = row.exchange or f"{row.source}.events"
            if not self._send(
                exchange, row.routing_key or row.event_type, row.event_id, row.payload
            ):
                break  # keep the order: the rest waits for the next sweep
            published.append(row.id)
        return published

    def _send(self, exchange_name: str, routing_key: str, event_id: str, payload: dict) -> bool:
        exchange = topic_exchange(exchange_name)
        try:
            self.publisher.publish(
                payload,
                exchange=exchange,
                routing_key=routing_key,
                declare=[exchange],
                message_id=event_id,
            )
        except Exception as exc:
            log.warning(
                "outbox: %s %s not published yet: %s", routing_key, event_id, type(exc).__name__
            )
            return False
        return True

    def _mark(self, session: Session, ids: list[int]) -> None:
        if ids:
            session.execute(
                update(self.table)
                .where(self.table.c.id.in_(ids))
                .values(published_at=datetime.now(UTC))
            )
