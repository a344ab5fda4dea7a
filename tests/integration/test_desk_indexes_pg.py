"""The indexes the desk's word search and sort=due read on PostgreSQL, created on a database
made before them (an upgrade) and used by the very statements intake and routing run: the
earliest running deadline a clock write stores on the disposition (clocks.refresh) is read
from the running clocks' index, and one agency's sort=due page from the stored column's; the
whole tree's sort=due, and sort=updated of the tree and of one agency, in their indexes' order;
one agency's overdue (or not) page and totals from its index alone."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from services.intake import staff_search
from services.intake.models import metadata as intake_metadata
from services.routing.desk import listing
from services.routing.models import dispositions
from services.routing.models import metadata as routing_metadata
from services.routing.state import clocks
from shared import migrations
from shared.db import create_schema, infra, make_engine


def plan(conn, statement) -> str:
    compiled = statement.compile(conn.engine, compile_kwargs={"literal_binds": True})
    return "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())


def test_word_search_reads_trigram_indexes_even_after_an_upgrade(pg_database):
    engine = make_engine(pg_database())
    folder = migrations.folder_of(intake_metadata)
    with engine.begin() as conn:  # a database at the first release, before the indexes
        migrations._run(conn, migrations.script_directory(folder), "0001")
        indexes = {i["name"] for i in inspect(conn).get_indexes("reports")}
        assert "ix_reports_title_trgm" not in indexes
    create_schema(engine, infra, intake_metadata)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        shown = plan(conn, staff_search.statement(["obat", "puskesmas"], 50))
    engine.dispose()
    assert "ix_reports_title_trgm" in shown and "ix_reports_body_trgm" in shown


def test_the_stored_next_deadline_reads_the_running_clocks_index(pg_database):
    engine = make_engine(pg_database())
    create_schema(engine, infra, routing_metadata)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        shown = plan(conn, clocks.next_due_of("LPR-TEST"))
    engine.dispose()
    assert "ix_clocks_running_due" in shown


def test_one_agencys_sort_due_page_reads_its_deadlines_in_order(pg_database):
    engine = make_engine(pg_database())
    folder = migrations.folder_of(routing_metadata)
    with engine.begin() as conn:  # a database from before the stored deadlines
        migrations._run(conn, migrations.script_directory(folder), "0002")
    create_schema(engine, infra, routing_metadata)
    query = {
        **dict.fromkeys(("status", "category", "date_from", "date_to", "overdue", "queue")),
        "access": "held",
        "sort": "due",
        "limit": 25,
    }
    (where, order_by), _ = listing.ORDERS["due"].runs(None)  # the reports with a running clock
    page = (
        listing.page_statements({"KAB-73-11-DINKES"}, query, datetime.now(UTC))[0]
        .where(*where)
        .order_by(*order_by)
        .limit(26)
    )
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        shown = plan(conn, page)
    engine.dispose()
    assert "ix_dispositions_agency_due" in shown
    assert "Sort" not in shown  # read in the index's order, not sorted afterwards


@pytest.mark.parametrize(
    ("codes", "sort", "index"),
    [
        (None, "due", "ix_dispositions_due_id"),
        (None, "-updated", "ix_dispositions_updated_id"),
        (None, "updated", "ix_dispositions_updated_id"),
        ({"KAB-73-11-DINKES"}, "-updated", "ix_dispositions_agency_updated"),
    ],
)
def test_the_whole_trees_sort_due_and_every_sort_updated_read_in_order(
    pg_database, codes, sort, index
):
    engine = make_engine(pg_database())
    folder = migrations.folder_of(routing_metadata)
    with engine.begin() as conn:  # a database from before these indexes
        migrations._run(conn, migrations.script_directory(folder), "0005")
    create_schema(engine, infra, routing_metadata)
    query = {
        **dict.fromkeys(("status", "category", "date_from", "date_to", "overdue", "queue")),
        "access": "held",
        "sort": sort,
        "limit": 50,
    }
    (where, order_by), _ = listing.ORDERS[sort].runs(None)
    page = (
        listing.page_statements(codes, query, datetime.now(UTC))[0]
        .where(*where)
        .order_by(*listing.ORDERS[sort].ordering(order_by))
        .limit(51)
    )
    with engine.connect() as conn:
        # an empty table: the planner told that a sort or a scan of all rows costs most
        for kind in ("seqscan", "bitmapscan", "sort"):
            conn.execute(text(f"SET enable_{kind} = off"))
        shown = plan(conn, page)
    engine.dispose()
    assert index in shown, shown
    assert "Sort" not in shown, shown  # read in the index's order, not sorted afterwards


@pytest.mark.parametrize("overdue", [True, False])
def test_one_agencys_overdue_page_and_totals_read_its_index_alone(pg_database, overdue):
    engine = make_engine(pg_database())
    folder = migrations.folder_of(routing_metadata)
    with engine.begin() as conn:  # a database from before overdue_at was in the index
        migrations._run(conn, migrations.script_directory(folder), "0006")
    create_schema(engine, infra, routing_metadata)
    query = {
        **dict.fromkeys(("status", "category", "date_from", "date_to", "queue")),
        "overdue": overdue,
        "access": "held",
        "sort": "-received",
        "limit": 50,
    }
    held = listing.page_statements({"KAB-73-11-DINKES"}, query, datetime.now(UTC))[0]
    order = listing.ORDERS["-received"]
    (where, order_by), _ = order.runs(None)
    ids = (
        held.with_only_columns(order.key, order.unique)
        .where(*where)
        .order_by(*order.ordering(order_by))
        .limit(51)
    )
    totals = held.with_only_columns(dispositions.c.status).limit(listing.COUNT_CAP + 1)
    with engine.connect() as conn:
        # an empty table: the planner told that a sort or a scan of all rows costs most
        for kind in ("seqscan", "bitmapscan", "sort"):
            conn.execute(text(f"SET enable_{kind} = off"))
        shown = [plan(conn, statement) for statement in (ids, totals)]
    engine.dispose()
    for one in shown:  # the overdue filter read from the index, no row looked up
        assert "Index Only Scan" in one and "ix_dispositions_agency_received" in one, one
