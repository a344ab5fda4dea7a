"""Which handler failures wait for the database (requeued) and which are bugs (retried, then
dead-lettered): shared.messaging.database_away."""

import sqlite3

import psycopg2
from nameko.exceptions import RemoteError
from sqlalchemy import exc as sa_exc

from shared.db_away import DatabaseUnavailable
from shared.messaging import database_away


def wrapped(orig):
    return sa_exc.OperationalError("SELECT 1", {}, orig)


def test_an_unreachable_database_waits():
    assert database_away(DatabaseUnavailable("OperationalError"))
    assert database_away(wrapped(psycopg2.OperationalError("connection refused")))
    assert database_away(wrapped(sqlite3.OperationalError("database is locked")))
    assert database_away(RemoteError("DatabaseUnavailable", "database"))


def test_a_wrong_statement_or_another_error_is_a_bug():
    assert not database_away(wrapped(sqlite3.OperationalError("no such table: reports")))
    assert not database_away(wrapped(sqlite3.OperationalError('near "SELEC": syntax error')))
    assert not database_away(ValueError("bad body"))
    assert not database_away(RemoteError("NotFound", "LPR-…"))
