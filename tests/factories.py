"""Factories and waiting helpers shared by the tests."""

import secrets
import time
from datetime import UTC

# the SMS gateway key of this test run: made here, never written in the tree, the same for every
# test that starts intake and tells Kannel (or a test client) what to send
GATEWAY_KEY = "test-gateway-" + secrets.token_hex(16)


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def make_report(**overrides) -> dict:
    """A complete, valid POST /reports body; ``overrides`` replace top-level fields."""
    report = {
        "classification": "complaint",
        "category_id": "pendidikan.sma",
        "title": "Pungutan di SMA negeri",
        "body": "Sekolah meminta uang gedung yang tidak sesuai aturan.",
        "event_date": "2026-11-20",
        "location": {"region_code": "73.11", "address": "Jl. Poros Barru"},
        "privacy": "public",
        "reporter": {"name": "Andi", "phone": "+6281234567890", "email": "andi@example.id"},
    }
    report.update(overrides)
    return report


def emitter(source: str):
    """A service named ``source`` that commits events through its outbox, as the real one does."""
    from nameko.rpc import rpc
    from sqlalchemy import MetaData

    from shared.db import Database

    class Emitter:
        name = source
        db = Database(MetaData())

        @rpc
        def emit(self, event_type, aggregate_id, body, correlation_id=None):
            with self.db.transaction(correlation_id) as tx:
                return tx.emit(event_type, aggregate_id, body).event_id

    return Emitter


def submitted(tracking_id: str, **overrides) -> dict:
    """A report_submitted body."""
    from datetime import datetime

    body = {
        "tracking_id": tracking_id,
        "classification": "complaint",
        "category_id": "pendidikan.sma",
        "region_code": "73.11",
        "privacy": "public",
        "channel": "web",
        "language": "id",
        "submitted_at": datetime.now(UTC),
    }
    body.update(overrides)
    return body


def routed(tracking_id: str, **overrides) -> dict:
    """A report_routed body."""
    from datetime import datetime

    body = {
        "tracking_id": tracking_id,
        "agency_code": "PROV-73-DISDIK",
        "agency_name": "Dinas Pendidikan Provinsi Sulawesi Selatan",
        "rule": "most_local",
        "trace": ["most_local: chose PROV-73-DISDIK"],
        "category_id": "pendidikan.sma",
        "region_code": "73.11",
        "privacy": "public",
        "channel": "web",
        "language": "id",
        "routed_at": datetime.now(UTC),
    }
    body.update(overrides)
    return body


def watch(conn, source: str, event_type: str):
    """A SimpleQueue that receives every ``event_type`` event of ``source`` from now on."""
    from kombu import Queue

    from shared.outbox import event_exchange

    queue = Queue(
        f"watch-{source}-{event_type}", exchange=event_exchange(source), routing_key=event_type
    )
    queue(conn.default_channel).declare()
    return conn.SimpleQueue(queue)


def drain(queue, quiet: float = 1.0, deadline: float = 10.0) -> list[dict]:
    """Every message that arrives on ``queue`` (a kombu SimpleQueue), acknowledged, as payloads:
    read until none has come for ``quiet`` seconds, or ``deadline`` seconds have passed.

    This is how a test shows "exactly once" or "nothing": ``qsize()`` asks the server, and once
    ``get()`` has subscribed, a duplicate is already in the client's buffer, not the server's
    count."""
    end = time.monotonic() + deadline
    arrived = []
    while (left := end - time.monotonic()) > 0:
        try:
            message = queue.get(timeout=min(quiet, left))
        except queue.Empty:
            break
        message.ack()
        arrived.append(message.payload)
    return arrived


def row_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the database at ``database_url`` (read from the database itself)."""
    from sqlalchemy import create_engine, func, inspect, select, table

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()
