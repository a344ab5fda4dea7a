"""Numbers a client sends that end up in SQL (an offset, a limit, row ids), held to what the
databases take: past 2**63 SQLite raises OverflowError, past 2**31 an Integer column on
PostgreSQL raises DataError, and either would be a 500 instead of an empty page or a 422."""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1  # the largest id an Integer column holds on PostgreSQL


def paging(args, default: int, maximum: int) -> tuple[int, int]:
    """(offset, limit) from ``?offset=&limit=``, held where a database can take them: a number
    past what SQLite or PostgreSQL holds would be a 500, not an empty page."""
    offset = min(MAX_ROW_ID, max(0, args.get("offset", 0, type=int)))
    limit = min(maximum, max(1, args.get("limit", default, type=int)))
    return offset, limit


def row_ids(value) -> bool:
    """Whether ``value`` is a list of ids a database can hold (whole numbers, not booleans)."""
    return isinstance(value, list) and all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i <= MAX_ROW_ID for i in value
    )
