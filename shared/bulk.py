"""Writing many rows at once inside the current transaction: COPY on PostgreSQL (multi-row
INSERTs where eventlet made psycopg2 cooperative, which COPY does not support), executemany on
SQLite. For reporting's rebuild, which writes every projection row again, and the history
imports (shared.importing); building a statement per row through SQLAlchemy would cost more
than their own work."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime


def insert(session, table, columns: list[str], rows, plain: bool = False) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` on the session's
    connection, in its transaction. ``plain``: the values are only str, int and None (no
    conversion needed)."""
    rows = list(rows)
    if not rows:
        return
    dbapi = session.connection().connection.dbapi_connection
    cursor = dbapi.cursor()
    try:
        if session.bind.dialect.name == "postgresql" and _green():
            from psycopg2.extras import execute_values

            names = ", ".join(columns)
            execute_values(
                cursor, f"INSERT INTO {table.name} ({names}) VALUES %s", rows, None, 1000
            )
        elif session.bind.dialect.name == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows(rows if plain else ([_pg(value) for value in row] for row in rows))
            buffer.seek(0)
            names = ", ".join(columns)
            cursor.copy_expert(f"COPY {table.name} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
                rows if plain else _sqlite_rows(rows),
            )
    finally:
        cursor.close()


def _green() -> bool:
    """Is psycopg2 cooperative here (eventlet's wait callback)? COPY cannot run then."""
    from psycopg2.extensions import get_wait_callback

    return get_wait_callback() is not None


def _pg(value):
    if value is None:
        return ""  # unquoted empty: NULL in COPY's csv format
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


_CONVERTED = frozenset({datetime, date, bool})  # the types SQLite needs another form of


def _sqlite_rows(rows) -> list[tuple]:
    # a set lookup per value, a call only for the few that need converting (most are str)
    return [tuple([_sqlite(value) if type(value) in _CONVERTED else value for value in row])
            for row in rows]  # fmt: skip


def _sqlite(value):
    # the text forms SQLAlchemy's SQLite types store and read back
    if isinstance(value, datetime):  # "%Y-%m-%d %H:%M:%S.%f", the offset dropped
        return value.isoformat(" ", "microseconds")[:26]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value
