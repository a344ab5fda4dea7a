"""Event consumers that never drop a message, and the broker topology they need.

``handles("report_submitted")`` makes a service method an event handler that
- validates the envelope and body (an invalid event goes straight to the dead letters),
- skips an event its consumer has applied before (the inbox),
- runs the method in one transaction with the inbox claim and any events it emits; the
  messages that arrive while the handler is busy are applied together, in one transaction
  (a group commit: one commit for the lot, their events published together),
- retries a failing method a bounded number of times with backoff, then rejects the message
  so RabbitMQ dead-letters it to ``satupintu.dead-letters`` for ops to list and replay;
- while the database is away (the failure says so, not a bug), waits ``EVENT_OUTAGE_DELAY``
  seconds and requeues the message instead, as often as it takes and without spending those
  retries: an outage dead-letters nothing, and the inbox keeps a redelivery from applying twice.
  A batch that fails is applied again one message at a time, so one bad message fails alone.

Handler queues are durable and declared up front by ``satupintu declare`` (nameko drops events
published while no queue is bound), and again by each service when it starts.
"""

from __future__ import annotations

import functools
import logging

import eventlet
from kombu import Connection, Exchange, Queue
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import ContainerBeingKilled, RemoteError
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from shared import events
from shared.db_away import DatabaseUnavailable, database_unreachable, lost_a_race
from shared.metrics import EVENTS
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


# what becomes of a delivered message once its batch has run
APPLIED, REQUEUED, DEAD_LETTERED = "applied", "requeued", "dead_lettered"


class ReliableEventHandler(EventHandler):
    """A service-pool event handler that applies its messages in batches and dead-letters,
    never drops, the ones that fail.

    A handler has as many messages in hand as the prefetch (``max_workers``), in batches of
    at most ``EVENT_BATCH_SIZE`` (default 5), so with a prefetch of 10 two batches run
    at once. A message that arrives while fewer run starts one at once, alone; messages that
    arrive while all run wait, and the next worker takes them together. ``EVENT_BATCH_SIZE: 1``
    gives nameko's own behaviour, a worker per message. The worker's method gets the list of
    bodies and answers what became of each; each message is settled by that answer."""

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(
            source_service,
            event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            requeue_on_error=False,
            **kwargs,
        )
        self._waiting: list = []  # (body, message) delivered, in no worker yet
        self._running = 0

    def setup(self):
        super().setup()
        self.queue = handler_queue(
            self.source_service, self.event_type, self.container.service_name, self.method_name
        )
        # without the dead-letter exchange a rejected message would vanish
        with Connection(self.container.config["AMQP_URI"]) as conn:
            declare(conn, [self.queue])

    def handle_message(self, body, message):
        self._waiting.append((body, message))
        self._start_batches()

    def _start_batches(self):
        most = max(1, int(self.container.config.get("EVENT_BATCH_SIZE", 5)))
        at_once = max(1, self.container.max_workers // most)
        while self._waiting and self._running < at_once:
            batch, self._waiting = self._waiting[:most], self._waiting[most:]
            messages = [message for _, message in batch]
            self._running += 1
            try:
                self.container.spawn_worker(
                    self,
                    ([body for body, _ in batch],),
                    {},
                    context_data=self.unpack_message_headers(messages[0]),
                    handle_result=functools.partial(self.handle_result, messages),
                )
            except ContainerBeingKilled:
                self._running -= 1
                for message in messages:
                    self.queue_consumer.requeue_message(message)

    def handle_result(self, messages, worker_ctx, result=None, exc_info=None):
        # a method that raised (not one of handles'): its messages are dead-lettered
        outcomes = result if exc_info is None else [DEAD_LETTERED] * len(messages)
        for message, outcome in zip(messages, outcomes, strict=True):
            self._settle(message, outcome)
        self._running -= 1
        if self._waiting:
            # not from this worker: spawning waits for a free worker, and this one holds one
            self.container.spawn_managed_thread(self._start_batches)
        return result, exc_info

    def _settle(self, message, outcome: str) -> None:
        EVENTS.labels(self.container.service_name, self.method_name, outcome).inc()
        if outcome == APPLIED:
            self.queue_consumer.ack_message(message)
        elif outcome == REQUEUED:
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
    ``tx.emit(...)``) whose commit includes the inbox claim. The events of one batch share one
    ``tx``, each called with its own correlation id. ``claim=False`` leaves the inbox out, for
    a method whose own first write is keyed by the event id and changes nothing when it meets
    it again (reporting's journal): one claim would only repeat the other.
    """
    spec = events.EVENT_TYPES[event_type]

    def decorator(method):
        @functools.wraps(method)
        def handler(self, payloads: list) -> list[str]:
            consumer = f"{self.name}.{method.__name__}"

            def apply(tx, batch: list) -> None:
                fresh = (
                    tx.first_deliveries(consumer, [e.event_id for e in batch]) if claim else None
                )
                for event in batch:
                    if fresh is None or event.event_id in fresh:
                        if fresh is not None:  # a copy later in the batch is not applied
                            fresh.remove(event.event_id)
                        tx.correlation_id = event.correlation_id
                        method(self, tx, event)

            outcomes = [DEAD_LETTERED] * len(payloads)
            received = []
            for index, payload in enumerate(payloads):
                try:
                    received.append((index, events.from_wire(payload)))
                except events.InvalidEvent as exc:
                    log.error("%s: %s", consumer, str(exc))  # field names only
            if len(received) > 1:
                # by report (each report's events in the order they came), so that batches side
                # by side take the reports' locks in one order
                batch = sorted((event for _, event in received), key=lambda e: e.aggregate_id)
                outcome = _together(self, consumer, apply, batch)
                if outcome is not None:
                    for index, _ in received:
                        outcomes[index] = outcome
                    return outcomes
            for index, event in received:
                outcomes[index] = _alone(self, consumer, apply, event)
                if outcomes[index] == REQUEUED:  # the database is away: the rest wait too
                    for later, _ in received:
                        if later > index:
                            outcomes[later] = REQUEUED
                    break
            return outcomes

        return ReliableEventHandler.decorator(spec.source, event_type)(handler)

    return decorator


def _together(service, consumer: str, apply, batch: list) -> str | None:
    """Apply a batch in one transaction: APPLIED, REQUEUED (the database is away), or None
    when it failed otherwise and each event must be tried alone."""
    try:
        with service.db.transaction() as tx:
            apply(tx, batch)
        return APPLIED
    except Exception as exc:
        if database_away(exc) and not lost_a_race(exc):
            _wait_for_database(service, consumer, exc, len(batch))
            return REQUEUED
        log.warning(
            "%s: a batch of %d failed (%s); applying them one at a time",
            consumer,
            len(batch),
            type(exc).__name__,
        )
        return None


def _alone(service, consumer: str, apply, event) -> str:
    """Apply one event in its own transaction, retried with backoff: what became of it."""
    for attempt in range(1, service.db.attempts + 1):
        try:
            with service.db.transaction() as tx:
                apply(tx, [event])
            return APPLIED
        except Exception as exc:
            if database_away(exc):
                _wait_for_database(service, consumer, exc, 1)
                return REQUEUED
            if attempt == service.db.attempts:
                log.error(
                    "%s: %s %s failed %d times (%s at %s); dead-lettered",
                    consumer,
                    event.event_type,
                    event.event_id,
                    attempt,
                    type(exc).__name__,
                    _raised_at(exc),
                )
                return DEAD_LETTERED
            log.warning(
                "%s: %s %s failed (%s), retry %d",
                consumer,
                event.event_type,
                event.event_id,
                type(exc).__name__,
                attempt,
            )
            eventlet.sleep(service.db.backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable: the last attempt returns")


def _wait_for_database(service, consumer: str, exc: BaseException, count: int) -> None:
    log.warning("%s: %d event(s) wait for the database (%s)", consumer, count, type(exc).__name__)
    eventlet.sleep(service.db.outage_delay)


def _raised_at(exc: BaseException) -> str:
    """The project's line (file:line) nearest to where the exception was raised, for the log:
    its message may hold what a log must not (a statement's parameters, a reporter's words)."""
    where = "?"
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if "site-packages" not in code.co_filename:
            where = f"{code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


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
