"""The figures table: adding a report's change to it, and summing it over a window."""

from __future__ import annotations

import functools
from datetime import date

from sqlalchemy import Date, bindparam, func, select, text
from sqlalchemy import event as sa_event

from services.reporting.indicators import COLUMNS, ScopeKey, Sparse
from services.reporting.models import figures
from services.reporting.windows import DAY, MONTH, Window, month_of
from shared import bulk

_SUMS = [func.sum(figures.c[name]).label(name) for name in COLUMNS]


@functools.lru_cache(maxsize=1024)
def _upsert(columns: tuple[str, ...], rows: int):
    """INSERT of ``rows`` rows … ON CONFLICT DO UPDATE adding ``columns`` (the same text on
    SQLite and PostgreSQL; written out because building it from the 100-column table costs more
    than running it, and one statement for all rows saves round trips)."""
    names = ", ".join(columns)
    key = ("scope_kind", "scope_code", "grain", "day", "parent_code")
    values = ", ".join(
        "(" + ", ".join(f":{name}_{i}" for name in key + columns) + ")" for i in range(rows)
    )
    added = ", ".join(f"{name} = figures.{name} + excluded.{name}" for name in columns)
    return text(
        f"INSERT INTO figures (scope_kind, scope_code, grain, day, parent_code, {names}) "
        f"VALUES {values} "
        "ON CONFLICT (scope_kind, scope_code, grain, day) DO UPDATE SET "
        f"{added}, parent_code = COALESCE(excluded.parent_code, figures.parent_code)"
    ).bindparams(*(bindparam(f"day_{i}", type_=Date) for i in range(rows)))


_PENDING = "figures to add"  # session.info: what this transaction adds, written at its commit
_FIGURES_LOCK = 7152027  # PostgreSQL advisory lock: one transaction writes figures at a time


def add(session, delta: dict[ScopeKey, Sparse], parents: dict[tuple[str, str], str | None]) -> None:
    """Add ``delta`` to the day and month rows of each scope when the transaction commits.

    The events of one transaction (a batch) add up their changes, and they are written once,
    after every other lock the transaction takes: on PostgreSQL under one advisory lock, so two
    transactions never hold figure rows the other waits for (the nation's row is in every
    change anyway)."""
    transaction = session.get_transaction()
    pending = session.info.get(_PENDING)
    if pending is None or pending[0] is not transaction:  # none yet, or a rolled-back one's
        pending = session.info[_PENDING] = (transaction, {}, {})
        if not sa_event.contains(session, "before_commit", _write_pending):
            sa_event.listen(session, "before_commit", _write_pending)
    _, total, known = pending
    for key, values in delta.items():
        target = total.setdefault(key, {})
        for index, value in values.items():
            target[index] = target.get(index, 0) + value
    known.update(parents)


def _write_pending(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None or pending[0] is not session.get_transaction():
        return
    _, total, parents = pending
    if session.bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:kind, 0)"), {"kind": _FIGURES_LOCK})
    _write(session, total, parents)


def _write(session, delta: dict[ScopeKey, Sparse], parents) -> None:
    """One statement per set of columns, rows in key order."""
    merged: dict[tuple[str, str, str, date], dict[int, int]] = {}
    for (kind, code, day), values in delta.items():
        for key in ((kind, code, DAY, day), (kind, code, MONTH, month_of(day))):
            target = merged.setdefault(key, {})
            for index, value in values.items():
                target[index] = target.get(index, 0) + value
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for (kind, code, grain, day), values in sorted(merged.items()):
        indexes = sorted(index for index, value in values.items() if value)
        if not indexes:  # a day's change within one month adds nothing to the month
            continue
        row = {COLUMNS[index]: values[index] for index in indexes}
        row.update(
            scope_kind=kind,
            scope_code=code,
            grain=grain,
            day=day,
            parent_code=parents.get((kind, code)),
        )
        by_columns.setdefault(tuple(COLUMNS[index] for index in indexes), []).append(row)
    for columns, rows in by_columns.items():
        params = {f"{name}_{i}": value for i, row in enumerate(rows) for name, value in row.items()}
        session.execute(_upsert(columns, len(rows)), params)


def add_all(session, delta: dict[ScopeKey, Sparse], parents) -> int:
    """Add ``delta`` to the day and month rows of each scope with one prepared upsert of every
    column, run for all rows at once (the history import: many scopes per transaction, where
    ``add``'s statement per set of columns would be compiled again and again); rows added."""
    merged: dict[tuple[str, str, str, date], list[int]] = {}
    width = len(COLUMNS)
    for (kind, code, day), values in delta.items():
        for key in ((kind, code, DAY, day), (kind, code, MONTH, month_of(day))):
            target = merged.get(key)
            if target is None:
                target = merged[key] = [0] * width
            for index, value in values.items():
                target[index] += value
    rows = [
        (kind, code, grain, day.isoformat(), parents.get((kind, code)), *values)
        for (kind, code, grain, day), values in sorted(merged.items())
        if any(values)
    ]
    if not rows:
        return 0
    key = ["scope_kind", "scope_code", "grain", "day", "parent_code"]
    names = ", ".join(key + list(COLUMNS))
    added = ", ".join(f"{name} = figures.{name} + excluded.{name}" for name in COLUMNS)
    tail = (
        "ON CONFLICT (scope_kind, scope_code, grain, day) DO UPDATE SET "
        f"{added}, parent_code = COALESCE(excluded.parent_code, figures.parent_code)"
    )
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        if session.bind.dialect.name == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor, f"INSERT INTO figures ({names}) VALUES %s {tail}", rows,
                           None, 1000)  # fmt: skip
        else:
            marks = ", ".join("?" for _ in range(len(key) + width))
            cursor.executemany(f"INSERT INTO figures ({names}) VALUES ({marks}) {tail}", rows)
    finally:
        cursor.close()
    return len(rows)


def write_all(session, days: dict[ScopeKey, list[int]], parents) -> int:
    """Insert the day rows ``days`` and the month rows they add up to into an empty table (the
    rebuild); how many rows."""
    months: dict[tuple[str, str, date], list[int]] = {}
    for (kind, code, day), values in days.items():
        key = (kind, code, month_of(day))
        total = months.get(key)
        if total is None:
            months[key] = list(values)
        else:
            for index, value in enumerate(values):
                if value:
                    total[index] += value
    columns = ["scope_kind", "scope_code", "grain", "day", "parent_code", *COLUMNS]
    for grain, rows in ((DAY, days), (MONTH, months)):
        bulk.insert(
            session,
            figures,
            columns,
            (
                (kind, code, grain, day.isoformat(), parents.get((kind, code)), *values)
                for (kind, code, day), values in rows.items()
            ),
            plain=True,
        )
    return len(days) + len(months)


_GRAIN = (figures.c.grain == bindparam("grain")) & figures.c.day.between(
    bindparam("first", type_=Date), bindparam("last", type_=Date)
)
# one statement per stored grain of the window, each an index range (summed in Python)
_ONE = select(*_SUMS).where(
    figures.c.scope_kind == bindparam("kind"), figures.c.scope_code == bindparam("code"), _GRAIN
)
_BELOW = (
    select(figures.c.scope_code, *_SUMS)
    .where(
        figures.c.scope_kind == bindparam("kind"),
        figures.c.parent_code == bindparam("parent"),
        _GRAIN,
    )
    .group_by(figures.c.scope_code)
)
_OF_KIND = (
    select(figures.c.scope_code, *_SUMS)
    .where(figures.c.scope_kind == bindparam("kind"), _GRAIN)
    .group_by(figures.c.scope_code)
)


def _add_row(totals: dict[str, int], row) -> None:
    for name in COLUMNS:
        value = getattr(row, name)
        if value:
            totals[name] += int(value)


def _segments(window: Window):
    for grain, first, last in window.segments():
        yield {"grain": grain, "first": first, "last": last}


def totals(session, kind: str, code: str, window: Window) -> dict[str, int]:
    """The sums of one scope over ``window``."""
    found = dict.fromkeys(COLUMNS, 0)
    for segment in _segments(window):
        _add_row(found, session.execute(_ONE, {"kind": kind, "code": code, **segment}).one())
    return found


def _grouped(session, statement, params: dict, window: Window) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for segment in _segments(window):
        for row in session.execute(statement, {**params, **segment}):
            _add_row(found.setdefault(row.scope_code, dict.fromkeys(COLUMNS, 0)), row)
    return found


def totals_below(session, kind: str, parent: str, window: Window) -> dict[str, dict[str, int]]:
    """{code: sums} of every scope of ``kind`` whose parent is ``parent``, over ``window``."""
    return _grouped(session, _BELOW, {"kind": kind, "parent": parent}, window)


def totals_of_kind(session, kind: str, window: Window) -> dict[str, dict[str, int]]:
    """{code: sums} of every scope of ``kind`` over ``window``."""
    return _grouped(session, _OF_KIND, {"kind": kind}, window)


def known(session, kind: str, code: str) -> bool:
    return (
        session.execute(
            select(figures.c.day)
            .where(figures.c.scope_kind == kind, figures.c.scope_code == code)
            .limit(1)
        ).first()
        is not None
    )
