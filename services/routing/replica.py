"""Routing's in-memory replica of the agency registry, one per process.

Each routing process binds its own exclusive queue to the registry's agency events (every
process must see every event: a broadcast, not a shared work queue), and only then reads the
registry's snapshot, page by page over RPC with a timeout. Events that arrive while the snapshot
is read are applied after it (replica_state.py), so nothing between the two is lost; every
(re)connection of that queue is followed by a fresh snapshot, because events published while it
was away are gone. A revision check on a timer is the last safety net. Routing goes on deciding
with what it holds while the registry or the broker is down.
"""

from __future__ import annotations

import logging
import time
import uuid

import eventlet
from eventlet.semaphore import Semaphore
from kombu import Connection, Queue, binding
from nameko.extensions import DependencyProvider

from services.routing.rules.policy import Directory
from services.routing.rules.replica_state import ReplicaState
from shared import events, metrics
from shared.outbox import event_exchange
from shared.rpc import CallerRpcProxy

log = logging.getLogger(__name__)

AGENCY_EVENTS = ("agency_registered", "agency_updated", "agency_status_changed")
RECONNECT_SECONDS = 2.0


class RegistryUnavailable(Exception):
    """No replica yet and the registry did not answer in time."""


class AgencyReplica(DependencyProvider):
    """``self.agencies.directory()`` → the policy's Directory.

    Config: RPC_TIMEOUT (revision check), SNAPSHOT_TIMEOUT (each snapshot page), SNAPSHOT_PAGE.
    """

    def setup(self):
        config = self.container.config
        self._amqp_uri = config["AMQP_URI"]
        self._rpc_config = {"AMQP_URI": self._amqp_uri}
        self._timeout = float(config.get("RPC_TIMEOUT", 10))
        self._snapshot_timeout = float(config.get("SNAPSHOT_TIMEOUT", 60))
        self._page = int(config.get("SNAPSHOT_PAGE", 5000))
        self._lock = Semaphore()
        self._running = False
        self._behind: int | None = None
        self.state = ReplicaState()
        self.queue_name = f"routing-replica-{uuid.uuid4().hex}"
        self.connected = eventlet.event.Event()  # the event queue exists (tests wait on it)

    def start(self):
        self._running = True
        self.container.spawn_managed_thread(self._follow, identifier="replica-events")

    def stop(self):
        self._running = False

    def kill(self):
        self._running = False

    def get_dependency(self, worker_ctx):
        return self

    # --- reading ------------------------------------------------------------------------

    def directory(self) -> Directory:
        """The replica; loaded now (or RegistryUnavailable) if this process has none yet."""
        if self.state.directory is None:
            with self._lock:
                if self.state.directory is None:
                    self._load()
        return self.state.directory

    def refresh(self) -> bool:
        """The safety net: reload if the registry stayed ahead of us for a whole check interval
        (events lost, e.g. while the broker connection was down). True if it reloaded."""
        try:
            with CallerRpcProxy(self._rpc_config, timeout=self._timeout) as cluster:
                revision = cluster.agency_registry.revision()
        except Exception as exc:
            log.warning("agency replica: revision check failed (%s)", type(exc).__name__)
            return False
        if revision <= self.state.revision:
            self._behind = None
            return False
        if self._behind is None or self.state.revision >= self._behind:
            self._behind = revision  # events may still be on their way: look again next time
            return False
        self._behind = None
        return self.resync()

    def resync(self) -> bool:
        try:
            with self._lock:
                self._load()
        except RegistryUnavailable as exc:
            log.warning("agency replica: snapshot failed (%s); keeping what we have", exc)
            return False
        return True

    def _load(self) -> None:
        started = time.perf_counter()
        self.state.begin_snapshot()
        revision, after = None, None
        try:
            with CallerRpcProxy(self._rpc_config, timeout=self._snapshot_timeout) as cluster:
                while True:
                    page = cluster.agency_registry.snapshot_page(after, self._page)
                    revision = page["revision"] if revision is None else revision
                    self.state.add_page(page["agencies"])
                    after = page.get("next")
                    if after is None:
                        break
        except Exception as exc:
            self.state.abandon_snapshot()
            raise RegistryUnavailable(type(exc).__name__) from None
        size = self.state.finish_snapshot(revision)
        metrics.REPLICA_SNAPSHOT_SECONDS.set(time.perf_counter() - started)
        metrics.REPLICA_AGENCIES.set(size)
        log.info("agency replica loaded: %d agencies, revision %s", size, revision)

    # --- following the registry's events ------------------------------------------------

    def _follow(self) -> None:
        exchange = event_exchange("agency_registry")
        queue = Queue(
            self.queue_name,
            bindings=[binding(exchange, routing_key=name) for name in AGENCY_EVENTS],
            exclusive=True,
            auto_delete=True,
        )
        while self._running:
            try:
                with Connection(self._amqp_uri) as conn:
                    with conn.Consumer(queue, callbacks=[self._on_message], accept=["json"]):
                        if not self.connected.ready():
                            self.connected.send(True)
                        # the queue is bound: a snapshot read from now on misses nothing
                        self.container.spawn_managed_thread(self._sync, identifier="replica-sync")
                        while self._running:
                            try:
                                conn.drain_events(timeout=1)
                            except TimeoutError:
                                pass
            except Exception as exc:  # the broker went away or refused us: connect again
                log.warning(
                    "agency replica: event feed lost (%s); reconnecting", type(exc).__name__
                )
                eventlet.sleep(RECONNECT_SECONDS)

    def _sync(self) -> None:
        if self.state.directory is None:
            try:
                self.directory()
            except RegistryUnavailable:
                log.warning("agency replica: registry not reachable; will load on demand")
        else:
            self.resync()

    def _on_message(self, body, message) -> None:
        try:
            event = events.from_wire(body)
        except events.InvalidEvent as exc:
            log.error("agency replica: %s", exc)
        else:
            if event.event_type in AGENCY_EVENTS and self.state.apply(event.body):
                metrics.REPLICA_AGENCIES.set(len(self.state.directory))
        message.ack()
