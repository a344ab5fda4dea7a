"""The database DependencyProvider: one unit of work per transaction, outbox and inbox inside.

A worker writes its state change and the events it causes in ONE transaction; the outbox relay
publishes those events after the commit. A consumer records the event ids it has applied in the
same transaction as its change (the inbox), so a redelivered event changes nothing.

SQLite (the default, a file under var/) takes one writer at a time and its lock wait blocks
the whole eventlet hub, so writes within a process are serialised with a green semaphore.
PostgreSQL (DATABASE_URL=postgresql://...) runs through psycopg2, which eventlet makes
cooperative, and is what several copies of a service share.

While the database cannot be reached (PostgreSQL stopped or refusing connections, a SQLite file
locked past its timeout or read-only), ``Store.transaction`` and ``Store.read`` raise
``DatabaseUnavailable`` (shared/db_away.py; shared/web.py answers it 503 with Retry-After).
Once a transaction has committed, its answer stands: its events are handed to the outbox relay's
thread, which publishes them in batches (shared/outbox.py); a failure to publish or mark them
leaves them to the sweep.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from shared import events, idle_ping
from shared.db_away import database_unreachable, reachable
from shared.outbox import OutboxRelay

log = logging.getLogger(__name__)

# Tables every service has in its own database, beside its own.
infra = MetaData()

outbox = Table(
    "outbox",
    infra,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, unique=True),
    Column("event_type", String(64), nullable=False),
    Column("source", String(64), nullable=False),
    # where it goes; rows written before these columns existed go to "<source>.events"
    Column("exchange", String(128), nullable=True),
    Column("routing_key", String(255), nullable=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
)
Index("ix_outbox_unpublished", outbox.c.published_at, outbox.c.id)

inbox = Table(
    "inbox",
    infra,
    Column("consumer", String(128), primary_key=True),
    Column("event_id", String(32), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


# built once: these run in every handler, and building a statement costs more than running it
_INSERT_OUTBOX = outbox.insert()


def insert_unless_present(table) -> dict:
    """{dialect name: INSERT … ON CONFLICT DO NOTHING into ``table``}: one statement, the same
    on SQLite and PostgreSQL; its rowcount says whether the row was new."""
    return {
        dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(table).on_conflict_do_nothing()
        for dialect in (postgresql, sqlite)
    }


_CLAIM_INBOX = insert_unless_present(inbox)  # the claim of an event
# the claims of a batch of events in one statement: the ones it claimed come back
_CLAIM_INBOXES = {
    dialect: statement.returning(inbox.c.event_id) for dialect, statement in _CLAIM_INBOX.items()
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite hands them back naive)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def make_engine(url: str):
    """An engine for a SQLite file (its folder created) or any SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg2, which eventlet makes cooperative (SQLAlchemy 2.1 would pick psycopg 3)
        parsed = parsed.set(drivername="postgresql+psycopg2")
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, pool_size=10, max_overflow=10)
        idle_ping.install(engine)  # not a ping per transaction: pool_pre_ping's round trip
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # how long a write waits for another process's lock: 30 s, or the URL's ?timeout=
    connect_args = {"check_same_thread": False}
    if "timeout" not in parsed.query:
        connect_args["timeout"] = 30
    # connections are kept, not opened per transaction above the pool's size: a new SQLite
    # connection sets its pragmas, maps the WAL index and parses the schema again before its
    # first statement (a process has up to max_workers of them at once, and its relay)
    in_file = bool(parsed.database) and parsed.database != ":memory:"
    pooling = {"pool_size": 20, "max_overflow": 20} if in_file else {}
    engine = create_engine(url, connect_args=connect_args, **pooling)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def create_schema(engine, *metadatas: MetaData) -> None:
    """The database brought to the newest revision of the service's migration history
    (shared.migrations: the last metadata names its folder). Metadata without a history (a
    test's own tables) is created as it stands."""
    from shared import migrations

    folder = migrations.folder_of(metadatas[-1]) if metadatas else None
    if folder is not None:
        migrations.upgrade(engine, folder, metadatas)
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({migrations.LOCK_ID})"))
        for metadata in metadatas:
            metadata.create_all(conn)


class UnitOfWork:
    """What a worker sees inside one transaction: the session, and the events it emits."""

    def __init__(self, session: Session, correlation_id: str | None):
        self.session = session
        self.correlation_id = correlation_id
        self.emitted: list[events.Event] = []

    def emit(
        self, event_type: str, aggregate_id: str, body: dict, routing_key: str | None = None
    ) -> events.Event:
        """Record an event in the outbox; it is published once this transaction commits."""
        evt = events.new_event(event_type, aggregate_id, body, self.correlation_id, routing_key)
        self.session.execute(
            _INSERT_OUTBOX,
            {
                "event_id": evt.event_id,
                "event_type": evt.event_type,
                "source": evt.source,
                "exchange": evt.exchange,
                "routing_key": evt.key,
                "payload": evt.wire,
                "created_at": evt.occurred_at,
                "attempts": 0,
            },
        )
        self.emitted.append(evt)
        return evt

    def first_deliveries(self, consumer: str, event_ids: list[str]) -> set[str]:
        """Claim ``event_ids`` for ``consumer`` in one statement; those not applied before.

        The claims commit with the consumer's change. If two deliveries race on PostgreSQL,
        the second one's insert waits for the first transaction: once that commits the claim is
        taken and the event is not in the answer; had it rolled back, this one claims it.
        """
        dialect = self.session.bind.dialect.name
        claims = [
            {"consumer": consumer, "event_id": event_id, "applied_at": utcnow()}
            for event_id in event_ids
        ]
        if len(claims) == 1:  # the common case, where one plain insert costs less
            new = self.session.execute(_CLAIM_INBOX[dialect], claims[0]).rowcount == 1
            return set(event_ids) if new else set()
        return set(self.session.execute(_CLAIM_INBOXES[dialect], claims).scalars())


class Store:
    """The per-worker object a service method gets as ``self.db``."""

    def __init__(self, provider: Database, correlation_id: str | None):
        self._provider = provider
        self.correlation_id = correlation_id
        self.attempts = provider.attempts
        self.backoff = provider.backoff
        self.outage_delay = provider.outage_delay

    @contextmanager
    def transaction(self, correlation_id: str | None = None):
        """Commit on success, roll back on any exception; then publish what was emitted."""
        with self._provider.write_lock(), reachable():
            session = Session(self._provider.engine, expire_on_commit=False)
            uow = UnitOfWork(session, correlation_id or self.correlation_id)
            try:
                yield uow
                session.commit()
            except BaseException:
                _rollback(session)
                raise
            finally:
                session.close()
        if uow.emitted:
            try:
                self._provider.relay.publish_now(uow.emitted)
            except Exception as exc:  # committed: the sweep publishes them once things are back
                log.warning("publishing after commit failed: %s", type(exc).__name__)

    @contextmanager
    def read(self):
        """A session for queries only (no lock, nothing committed)."""
        session = Session(self._provider.engine)
        try:
            with reachable():
                yield session
        finally:
            _rollback(session)
            session.close()

    def outbox_backlog(self) -> tuple[int, float]:
        return self._provider.relay.backlog()

    def ping(self) -> None:
        with reachable(), self._provider.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def _rollback(session: Session) -> None:
    """Roll back; on a connection that is already gone there is nothing left to undo."""
    try:
        session.rollback()
    except Exception as exc:
        if not database_unreachable(exc):
            raise


class Database(DependencyProvider):
    """``db = Database(models.metadata)``; config: DATABASE_URL, AMQP_URI, OUTBOX_*, EVENT_*."""

    def __init__(self, metadata: MetaData):
        self.metadata = metadata

    def setup(self):
        config = self.container.config
        self.engine = make_engine(config["DATABASE_URL"])
        create_schema(self.engine, infra, self.metadata)
        self._lock = Semaphore() if self.engine.dialect.name == "sqlite" else None
        self.attempts = int(config.get("EVENT_HANDLER_ATTEMPTS", 3))
        self.backoff = float(config.get("EVENT_HANDLER_BACKOFF", 0.2))
        self.outage_delay = float(config.get("EVENT_OUTAGE_DELAY", 1.0))
        self.relay = OutboxRelay(
            self.engine,
            outbox,
            config["AMQP_URI"],
            self.write_lock,
            interval=float(config.get("OUTBOX_RELAY_INTERVAL", 1.0)),
        )

    def start(self):
        self.container.spawn_managed_thread(self.relay.run, identifier="outbox-relay")

    def stop(self):
        self.relay.stop()
        self.engine.dispose()

    def kill(self):
        self.relay.stop(wait=0)
        self.engine.dispose()

    def write_lock(self):
        return self._lock if self._lock is not None else nullcontext()

    def get_dependency(self, worker_ctx):
        return Store(self, worker_ctx.data.get("correlation_id"))
