"""The indexes the desk's word search and sort=due read on PostgreSQL, created on a database
made before them (an upgrade) and used by the very statements intake and routing run."""

from sqlalchemy import text

from services.intake import staff_search
from services.intake.models import metadata as intake_metadata
from services.routing import listing
from services.routing.models import metadata as routing_metadata
from shared.db import create_schema, infra, make_engine


def plan(conn, statement) -> str:
    compiled = statement.compile(conn.engine, compile_kwargs={"literal_binds": True})
    return "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())


def test_word_search_reads_trigram_indexes_even_after_an_upgrade(pg_database):
    engine = make_engine(pg_database())
    create_schema(engine, infra, intake_metadata)
    with engine.begin() as conn:  # a database made before the indexes
        conn.execute(text("DROP INDEX ix_reports_title_trgm; DROP INDEX ix_reports_body_trgm"))
    create_schema(engine, infra, intake_metadata)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        shown = plan(conn, staff_search.statement(["obat", "puskesmas"], 50))
    engine.dispose()
    assert "ix_reports_title_trgm" in shown and "ix_reports_body_trgm" in shown


def test_sort_due_reads_the_running_clocks_index(pg_database):
    engine = make_engine(pg_database())
    create_schema(engine, infra, routing_metadata)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        shown = plan(conn, listing.next_due_of("LPR-TEST"))
    engine.dispose()
    assert "ix_clocks_running_due" in shown
