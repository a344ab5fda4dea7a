"""Checking a pooled PostgreSQL connection before use only when it has sat idle.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` on every checkout: a round trip per
transaction, most of them on a connection that was in use a moment ago. Here a connection is
pinged only when it was last checked in more than ``IDLE_SECONDS`` ago (the pessimistic recipe
of SQLAlchemy's pooling docs, limited to idle connections). A connection that fails its ping is
discarded and the pool opens another, as with ``pool_pre_ping``. A connection that dies while
in use fails its statement as before: the error says the database is away
(shared.db_away), and SQLAlchemy discards every connection the pool opened before it.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy import exc as sa_exc

IDLE_SECONDS = 1.0
_CHECKED_IN = "satupintu_checked_in"


def install(engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since <= IDLE_SECONDS:
            return  # new, or in use a moment ago
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # the pool discards it and opens another
            raise sa_exc.DisconnectionError(type(exc).__name__) from exc
