"""Event consumers that never drop a message, and the broker topology they need.

``handles("report_submitted")`` makes a service method an event handler that
- validates the envelope and body (an invalid event goes straight to the dead letters),
- skips an event its consumer has applied before (the inbox),
- runs the method in one transaction with the inbox claim and any events it emits,
- retries a failing method a bounded number of times with backoff, then rejects the message
  so RabbitMQ dead-letters it to ``satupintu.dead-letters`` for ops to list and replay;
- while the database is away (the failure says so, not a bug), waits ``EVENT_OUTAGE_DELAY``
  seconds and requeues the message instead, as often as it takes and without spending those
  retries: an outage dead-letters nothing, and the inbox keeps a redelivery from applying twice.

Handler queues are durable and declared up front by ``satupintu declare`` (nameko drops events
published while no queue is bound), and again by each service when it starts.
"""

from __future__ import annotations

import functools
import logging

import eventlet
from kombu import Connection, Exchange, Queue
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import RemoteError
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from shared import events
from shared.db_away import DatabaseUnavailable, database_unreachable
from shared.outbox import event_exchange

log = logging.getLogger(__name__)

DEAD_LETTER_EXCHANGE = "satupintu.dlx"
DEAD_LETTER_QUEUE = "satupintu.dead-letters"


def dead_letter_exchange() -> Exchange:
    return Exchange(DEAD_LETTER_EXCHANGE, type="fanout", durable=True)


def dead_letter_queue() -> Queue:
    return Queue(DEAD_LETTER_QUEUE, exchange=dead_letter_exchange(), durable=True)


def handler_queue(source: str, event_type: str, service_name: str, method_name: str) -> Queue:
    """The durable queue of one (service, method) handler; same name nameko gives it."""
    return Queue(
        f"evt-{source}-{event_type}--{service_name}.{method_name}",
        exchange=event_exchange(source),
        routing_key=event_type,
        durable=True,
        queue_arguments={"x-dead-letter-exchange": DEAD_LETTER_EXCHANGE},
    )


class WaitingForDatabase(Exception):
    """The handler met a database outage: requeue its message, it is not the message's fault."""


def database_away(exc: BaseException) -> bool:
    """True when ``exc`` says a database cannot be reached: this service's, or the one behind an
    RPC the handler made (its RemoteError names the remote exception)."""
    if isinstance(exc, DatabaseUnavailable):
        return True
    if database_unreachable(exc):
        return not _statement_error(exc)
    return isinstance(exc, RemoteError) and exc.exc_type in _REMOTE_OUTAGES


def _statement_error(exc: BaseException) -> bool:
    """SQLite says "no such table" or a syntax error with OperationalError too: a bug, not an
    outage, so it is retried a bounded number of times like any other."""
    text = str(getattr(exc, "orig", exc))
    return text.startswith("no such ") or "syntax error" in text


_REMOTE_OUTAGES = frozenset({"DatabaseUnavailable", "OperationalError", "ServiceUnavailable"})


class ReliableEventHandler(EventHandler):
    """A service-pool event handler whose failed messages are dead-lettered, not dropped."""

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(
            source_service,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            requeue_on_error=False,
            expected_exceptions=WaitingForDatabase,
            **kwargs,
        )

    def setup(self):
        super().setup()
        self.queue = handler_queue(
            self.source_service, self.event_type, self.container.service_name, self.method_name
        )
        # without the dead-letter exchange a rejected message would vanish
        with Connection(self.container.config["AMQP_URI"]) as conn:
            declare(conn, [self.queue])

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
        elif issubclass(exc_info[0], WaitingForDatabase):
            self.queue_consumer.requeue_message(message)  # not a retry spent, not a dead letter
        elif message.channel.connection:
            try:
                message.reject(requeue=False)  # → satupintu.dead-letters
            except ConnectionError:  # the broker reclaims it and redelivers
                pass


def declare(conn, queues: list[Queue]) -> None:
    """Declare the dead-letter route and ``queues`` (with their exchanges and bindings)."""
    channel = conn.default_channel
    dead_letter_queue()(channel).declare()
    for queue in queues:
        queue(channel).declare()


def handles(event_type: str, claim: bool = True):
    """Decorate ``method(self, tx, event)`` as the idempotent, retried handler of an event.

    The service must have ``db = Database(...)``; ``tx`` is the unit of work (``tx.session``,
    ``tx.emit(...)``) whose commit includes the inbox claim. ``claim=False`` leaves the inbox
    out, for a method whose own first write is keyed by the event id and changes nothing when it
    meets it again (reporting's journal): one claim would only repeat the other.
    """
    spec = events.EVENT_TYPES[event_type]

    def decorator(method):
        @functools.wraps(method)
        def handler(self, payload):
            try:
                event = events.from_wire(payload)
            except events.InvalidEvent as exc:
                log.error("%s.%s: %s", self.name, method.__name__, str(exc))  # field names only
                raise
            consumer = f"{self.name}.{method.__name__}"
            for attempt in range(1, self.db.attempts + 1):
                try:
                    with self.db.transaction(event.correlation_id) as tx:
                        if not claim or tx.first_delivery(consumer, event.event_id):
                            method(self, tx, event)
                    return
                except Exception as exc:
                    if database_away(exc):
                        log.warning(
                            "%s: %s %s waits for the database (%s)",
                            consumer,
                            event.event_type,
                            event.event_id,
                            type(exc).__name__,
                        )
                        eventlet.sleep(self.db.outage_delay)
                        raise WaitingForDatabase() from None
                    if attempt == self.db.attempts:
                        log.error(
                            "%s: %s %s failed %d times (%s); dead-lettered",
                            consumer,
                            event.event_type,
                            event.event_id,
                            attempt,
                            type(exc).__name__,
                        )
                        raise
                    log.warning(
                        "%s: %s %s failed (%s), retry %d",
                        consumer,
                        event.event_type,
                        event.event_id,
                        type(exc).__name__,
                        attempt,
                    )
                    eventlet.sleep(self.db.backoff * 2 ** (attempt - 1))

        return ReliableEventHandler.decorator(spec.source, event_type)(handler)

    return decorator


def service_queues(service_cls) -> list[Queue]:
    """Every reliable handler queue of a service class, for ``satupintu declare``."""
    queues = []
    for name in dir(service_cls):
        for entrypoint in getattr(getattr(service_cls, name), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, ReliableEventHandler):
                queues.append(
                    handler_queue(
                        entrypoint.source_service, entrypoint.event_type, service_cls.name, name
                    )
                )
    return queues
