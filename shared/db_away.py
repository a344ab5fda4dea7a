"""When the database is away: which errors say so, and the one exception that carries it.

``with reachable(): ...`` turns an error that says the database cannot be reached now
(PostgreSQL stopped or refusing connections, a SQLite file locked past its timeout or read-only)
into ``DatabaseUnavailable``; every other error passes unchanged. shared.problems answers it
503 with Retry-After; shared.messaging requeues the message a handler was applying.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import exc as sa_exc


class DatabaseUnavailable(Exception):
    """The database cannot be reached now; the same request may succeed in a few seconds."""


def database_unreachable(exc: BaseException) -> bool:
    """True for an error that says the database is away (not that the statement is wrong).

    OperationalError covers a refused or dropped connection, a locked or read-only SQLite file
    and PostgreSQL's transient conflicts; InterfaceError a connection already closed;
    TimeoutError a pool with no connection to give; DBAPIError ``connection_invalidated`` a
    connection the server dropped mid-statement."""
    return isinstance(
        exc,
        (
            sa_exc.OperationalError,
            sa_exc.InterfaceError,
            sa_exc.TimeoutError,
            sa_exc.DisconnectionError,
        ),
    ) or (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated)


# PostgreSQL's deadlock_detected and serialization_failure: the transaction lost a race with
# another, and the same work succeeds when tried again
_RACES = frozenset({"40P01", "40001"})


def lost_a_race(exc: BaseException | None) -> bool:
    """True for a deadlock or serialization failure, also behind DatabaseUnavailable."""
    while exc is not None:
        if getattr(getattr(exc, "orig", None), "pgcode", None) in _RACES:
            return True
        exc = exc.__cause__
    return False


@contextmanager
def reachable():
    try:
        yield
    except Exception as exc:
        if database_unreachable(exc):
            raise DatabaseUnavailable(
                type(exc.orig if hasattr(exc, "orig") else exc).__name__
            ) from exc
        raise
