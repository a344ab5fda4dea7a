"""Cursors of the keyset pages: what one holds, and what is refused."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, DateTime, MetaData, String, Table

from shared.keyset import MAX_CURSOR, BadCursor, Order

rows = Table(
    "rows",
    MetaData(),
    Column("id", String(24), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("due", DateTime(timezone=True), nullable=True),
)
NEWEST = Order("newest", rows.c.at, rows.c.id, True)
DUE = Order("due", rows.c.due, rows.c.id, False)


def test_a_cursor_gives_back_the_key_it_was_made_of_in_utc():
    wita = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 30, 9, 15, 0, 123456, tzinfo=wita)
    assert NEWEST.after(NEWEST.cursor(moment, "LPR-1")) == (moment.astimezone(UTC), "LPR-1")
    naive = datetime(2026, 11, 30, 1, 15)  # as SQLite hands them back: UTC
    assert NEWEST.after(NEWEST.cursor(naive, "LPR-2")) == (naive.replace(tzinfo=UTC), "LPR-2")
    assert DUE.after(DUE.cursor(None, "LPR-3")) == (None, "LPR-3")
    assert NEWEST.after(None) is None and NEWEST.after("") is None
    assert "=" not in NEWEST.cursor(moment, "LPR-1") and len(NEWEST.cursor(moment, "x" * 24)) < 100


def test_a_cursor_of_another_order_or_forged_is_refused():
    made = NEWEST.cursor(datetime.now(UTC), "LPR-1")
    for text in (DUE.cursor(datetime.now(UTC), "LPR-1"), made[:-4], "x" * (MAX_CURSOR + 1), "%%"):
        with pytest.raises(BadCursor) as refused:
            NEWEST.after(text)
        assert refused.value.status == 422 and refused.value.errors[0]["field"] == "cursor"


def test_the_runs_read_the_sorted_rows_then_those_without_the_key():
    first = DUE.runs(None)
    assert [columns for _, columns in first] == [[rows.c.due, rows.c.id], [rows.c.id]]
    after_null = DUE.runs((None, "LPR-5"))
    assert len(after_null) == 1 and after_null[0][1] == [rows.c.id]  # only the NULL run is left
    assert len(NEWEST.runs(None)) == 1  # a key that is never NULL: one run
    where, _ = NEWEST.runs((datetime.now(UTC), "LPR-5"))[0]
    assert [str(w.compile()) for w in where] == [
        "rows.at <= :at_1",
        "rows.at < :at_1 OR rows.id < :id_1",
    ]
