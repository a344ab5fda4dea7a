"""Keyset pagination: a page starts after the last row of the page before, named by an opaque
cursor (urlsafe base64 of that row's sort key), so a page deep in a list costs what the first
one costs, and rows sharing a sort value are neither skipped nor repeated (the unique column
breaks ties). No OFFSET, no COUNT(*).

A list is ordered by one column (``key``, which may be nullable: its NULLs come last whatever
the direction) and a unique tiebreak (``unique``), both in the same direction, so that a page
reads an index ``(…, key, unique)`` in order with ``key <= :v`` as its range:

    ``key <= :v AND (key < :v OR unique < :u)``   (descending; ascending mirrors it)

Rows whose key is NULL are a second run after the others, read by ``unique`` alone. A list
that is the union of several parts (the reports an agency holds, and those it watches) reads
each part in its own index order, up to a page each, and their union is ordered once more: no
OR that no index serves.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, or_, select, union_all

from shared.problems import InvalidInput

MAX_CURSOR = 200  # characters: a real one is well under 100


class BadCursor(InvalidInput):
    """A cursor this list did not make (forged, truncated, from another sort)."""

    def __init__(self):
        super().__init__(
            errors=[
                {
                    "field": "cursor",
                    "message": "Kursor halaman tidak valid; mulai dari halaman pertama / "
                    "Invalid page cursor; start again from the first page",
                }
            ]
        )


@dataclass(frozen=True)
class Order:
    """One list's order: ``tag`` names it inside its cursors (a cursor of one order is
    refused by another), ``key`` the sort column, ``unique`` the tiebreak."""

    tag: str
    key: object  # a Column
    unique: object  # a Column with unique values
    descending: bool

    def _dir(self, column):
        return column.desc() if self.descending else column.asc()

    def _beyond(self, column, value):
        return column < value if self.descending else column > value

    def _up_to(self, column, value):
        return column <= value if self.descending else column >= value

    def ordering(self, columns) -> list:
        """ORDER BY of a run sorted on ``columns`` (of the table, or of a union's subquery)."""
        return [self._dir(column) for column in columns]

    def runs(self, after: tuple | None) -> list[tuple[list, list]]:
        """[(where, sorted on)] of the runs to read in turn, from just after ``after`` (the
        last row's (key, unique), or None for the first page)."""
        key, unique = self.key, self.unique
        nullable = getattr(key, "nullable", True)
        if after is None:
            first = [key.is_not(None)] if nullable else []
            tail = [(key.is_(None),)] if nullable else []
        elif after[0] is None:
            return [([key.is_(None), self._beyond(unique, after[1])], [unique])]
        else:
            value, last = after
            first = [
                self._up_to(key, value),
                or_(self._beyond(key, value), self._beyond(unique, last)),
            ]
            tail = [(key.is_(None),)] if nullable else []
        return [(first, [key, unique])] + [(list(where), [unique]) for where in tail]

    def cursor(self, key_value, unique_value) -> str:
        """The opaque cursor of a row with this key and tiebreak."""
        value = _utc(key_value).isoformat() if isinstance(key_value, datetime) else key_value
        raw = json.dumps([self.tag, value, unique_value], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def after(self, text: str | None) -> tuple | None:
        """(key, unique) from a cursor this order made; None for no cursor; BadCursor else."""
        if text is None or text == "":
            return None
        if len(text) > MAX_CURSOR:
            raise BadCursor()
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            tag, value, unique = json.loads(raw)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise BadCursor() from None
        if tag != self.tag or not isinstance(unique, str) or not unique:
            raise BadCursor()
        if value is None:
            return None, unique
        if not isinstance(value, str):
            raise BadCursor()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise BadCursor() from None
        if moment.tzinfo is None:
            raise BadCursor()
        return moment.astimezone(UTC), unique


def _run(parts: list, order: Order, where: list, columns: list, wanted: int):
    """One run's SELECT: the rows whose ids are the first ``wanted`` of each part's sort
    columns (their union for several). The ids are read from an index alone where one holds
    the sort and the filtered columns (a filter that rejects most rows then reads no row it
    rejects); only the page's rows are read whole, and a union of two columns costs less to
    build than one of whole rows."""
    ordering = order.ordering(columns)
    ids = [
        part.with_only_columns(*columns).where(and_(*where)).order_by(*ordering).limit(wanted)
        for part in parts
    ]
    if len(ids) > 1:
        both = union_all(*(select(statement.subquery()) for statement in ids)).subquery()
        ids = [
            select(both.c[order.unique.name])
            .order_by(*order.ordering([both.c[c.name] for c in columns]))
            .limit(wanted)
        ]
    first = ids[0].with_only_columns(order.unique) if len(parts) == 1 else ids[0]
    rows = select(*parts[0].selected_columns)  # the parts' columns, none of their conditions
    return rows.where(order.unique.in_(first)).order_by(*ordering)


def _utc(moment: datetime) -> datetime:
    """Times as stored: UTC (SQLite hands them back naive, in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_page(session, parts, order: Order, after: tuple | None, limit: int):
    """(rows, next cursor or None): up to ``limit`` rows of ``parts`` (one SELECT, or a list
    of SELECTs of the same columns, never of the same row, whose union is the list) after
    ``after``, in ``order``;
    one row more is asked for, to know whether a next page exists."""
    parts = parts if isinstance(parts, (list, tuple)) else [parts]
    rows = []
    for where, columns in order.runs(after):
        wanted = limit + 1 - len(rows)
        if wanted <= 0:
            break
        rows.extend(session.execute(_run(parts, order, where, columns, wanted)).all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, order.cursor(getattr(last, order.key.name), getattr(last, order.unique.name))
