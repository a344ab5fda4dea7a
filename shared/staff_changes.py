"""Staff changes every process knows of, so an old token stops within seconds everywhere.

A staff token is checked offline (shared/auth.py), so on its own a deactivated account's token
would keep working on the other services until it expires. The registry publishes
``staff_changed`` (shared/contracts/staff.py) on every deactivation, reactivation, role change
and move; each process keeps, per account, the version of its latest change and refuses a
token issued at an older version (its ``ver`` claim).

Each process binds its own exclusive queue to those events (a broadcast: every process must
see every change), and only then asks the registry over RPC, with a timeout, for the changes
of the last token lifetime: what happened while the process was down is learnt, and nothing
published between the two is lost. Every reconnection of the queue asks again. If the registry
does not answer, the process goes on with what it knows, logs it, and asks again later.

It comes with ``StaffTokens`` (shared/auth.py): a service that checks staff tokens declares
nothing more. Another verifier declares ``staff_changes = StaffChangeFeed()`` and asks
``refuses(claims)``.
"""

from __future__ import annotations

import logging
import time
import uuid

import eventlet
from kombu import Connection, Queue, binding
from nameko.extensions import SharedExtension

from shared import events
from shared.outbox import event_exchange
from shared.rpc import CallerRpcProxy

log = logging.getLogger(__name__)

EVENT = "staff_changed"
RECONNECT_SECONDS = 2.0
RETRY_SECONDS = 30.0
KEEP_SECONDS = 8 * 3600 + 60  # a token's longest life (STAFF_TOKEN_TTL) and clock leeway


class StaffChangeFeed(SharedExtension):
    """Config: STAFF_CHANGES_RPC_TIMEOUT (seconds, default 5), STAFF_TOKEN_TTL."""

    def setup(self):
        config = self.container.config
        self._amqp_uri = config["AMQP_URI"]
        self._timeout = float(config.get("STAFF_CHANGES_RPC_TIMEOUT", 5))
        self._keep = max(KEEP_SECONDS, int(config.get("STAFF_TOKEN_TTL", 0)) + 60)
        self._latest: dict[str, tuple[int, float]] = {}  # staff id → (version, when learnt)
        self._pruned_at = time.monotonic()
        self._running = False
        self.queue_name = f"staff-changes-{self.container.service_name}-{uuid.uuid4().hex}"
        self.caught_up = eventlet.event.Event()  # the registry's list is in (tests wait on it)

    def start(self):
        self._running = True
        self.container.spawn_managed_thread(self._follow, identifier="staff-changes")

    def stop(self):
        self._running = False

    def kill(self):
        self._running = False

    # --- the question ----------------------------------------------------------------------

    def refuses(self, claims) -> bool:
        """True if the account changed after ``claims`` (a StaffClaims) was issued."""
        known = self._latest.get(claims.staff_id)
        return known is not None and claims.version < known[0]

    def learn(self, staff_id: str, version: int) -> None:
        now = time.monotonic()
        known = self._latest.get(staff_id)
        if known is None or version > known[0]:
            self._latest[staff_id] = (version, now)
        if now - self._pruned_at > 60:
            self._pruned_at = now
            self._forget_before(now - self._keep)

    def _forget_before(self, moment: float) -> None:
        """Tokens issued before a change this old have expired: the change can go."""
        for staff_id in [k for k, (_, at) in self._latest.items() if at < moment]:
            del self._latest[staff_id]

    # --- learning --------------------------------------------------------------------------

    def _follow(self) -> None:
        queue = Queue(
            self.queue_name,
            bindings=[binding(event_exchange("agency_registry"), routing_key=EVENT)],
            exclusive=True,
            auto_delete=True,
        )
        while self._running:
            try:
                with Connection(self._amqp_uri) as conn:
                    with conn.Consumer(queue, callbacks=[self._on_message], accept=["json"]):
                        # bound: what the registry lists from now on misses nothing
                        self.container.spawn_managed_thread(
                            self._catch_up, identifier="staff-changes-catch-up"
                        )
                        while self._running:
                            try:
                                conn.drain_events(timeout=1)
                            except TimeoutError:
                                pass
            except Exception as exc:  # the broker went away: connect again, then ask again
                log.warning("staff changes: feed lost (%s); reconnecting", type(exc).__name__)
                eventlet.sleep(RECONNECT_SECONDS)

    def _catch_up(self) -> None:
        while self._running:
            try:
                with CallerRpcProxy({"AMQP_URI": self._amqp_uri}, timeout=self._timeout) as rpc:
                    changes = rpc.agency_registry.staff_changes()
            except Exception as exc:
                log.warning(
                    "staff changes: registry not reachable (%s); going on, asking again in %ds",
                    type(exc).__name__,
                    RETRY_SECONDS,
                )
                eventlet.sleep(RETRY_SECONDS)
                continue
            for change in changes:
                self.learn(change["staff_id"], int(change["version"]))
            log.info("staff changes: %d recent changes from the registry", len(changes))
            if not self.caught_up.ready():
                self.caught_up.send(True)
            return

    def _on_message(self, body, message) -> None:
        try:
            event = events.from_wire(body)
        except events.InvalidEvent as exc:
            log.error("staff changes: %s", exc)
        else:
            if event.event_type == EVENT:
                self.learn(event.body["staff_id"], event.body["version"])
        message.ack()
