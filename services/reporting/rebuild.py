"""Recreate reporting's projections from its journal.

    satupintu rebuild-reporting [--database-url URL]

Empties ``reports``, ``dispatches``, ``figures`` and ``agencies`` and replays the journal into
them with the same fold and the same contributions the live handlers use, in one transaction:
readers see the old figures until the new ones are committed. Agency events go first (the
newest version of each agency), then every report, a batch of reports at a time, with a
progress bar on stderr. The figures come out the same as the live ones.

What reporting recorded of agencies the registry never announced is kept (services.reporting.
placing): their version 0 rows, and for agencies with none the place their reports are counted
at when the rebuild starts, so journal entries from before routing's events carried places
count where they did.

On PostgreSQL the journal is locked against writes meanwhile, so a running reporting service
waits (its messages stay in RabbitMQ) and then applies what came in on top of the new figures.
On SQLite stop the reporting service first: its handlers would time out on the lock.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from services.reporting import facts, figures, journal, places, placing, projection, rows
from services.reporting.indicators import COLUMNS, contributions
from services.reporting.models import agencies, dispatches, metadata, reports
from services.reporting.models import figures as figure_rows
from shared import bulk
from shared.config import load_config
from shared.db import create_schema, infra, make_engine
from shared.progress import progress_bar

BATCH = 5000
_REPORT_COLUMNS = [column.name for column in reports.columns]
_HOP_COLUMNS = [column.name for column in dispatches.columns]


class KnownPlaces(placing.Places):
    """Every agency's stored place read once (the rebuild asks for each of them many times)."""

    def __init__(self, session):
        super().__init__(session)
        for row in session.execute(
            select(
                agencies.c.code,
                agencies.c.version,
                agencies.c.path,
                agencies.c.government_code,
                agencies.c.province_code,
            )
        ):
            self._rows[row.code] = (
                row.version,
                row.path,
                places.Place(row.government_code, row.province_code),
            )

    def stored(self, code: str):
        return self._rows.get(code)


def recorded(session) -> list[dict]:
    """The agencies the registry never announced, as reporting placed them so far: its version 0
    rows, and for agencies with none the place their reports are counted at now (journal entries
    from before routing's events carried places are placed as they were when first applied)."""
    found = {
        row.code: dict(row._mapping)
        for row in session.execute(
            select(
                agencies.c.code,
                agencies.c.name,
                agencies.c.government_code,
                agencies.c.province_code,
            ).where(agencies.c.version == 0)
        )
    }
    for table in (dispatches, reports):
        for row in session.execute(
            select(table.c.agency_code, table.c.government_code, table.c.province_code)
            .where(table.c.agency_code.is_not(None))
            .distinct()
        ):
            entry = found.setdefault(row.agency_code, {"code": row.agency_code, "name": None})
            if entry.get("government_code") is None and entry.get("province_code") is None:
                entry["government_code"] = row.government_code
                entry["province_code"] = row.province_code
    return [{**entry, "version": 0} for _, entry in sorted(found.items())]


def rebuild(engine, progress=None, batch: int = BATCH) -> dict:
    """Replay the whole journal into fresh projections; returns what it did."""
    started = time.perf_counter()
    create_schema(engine, infra, metadata)
    width = len(COLUMNS)
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.execute(text("LOCK TABLE journal IN EXCLUSIVE MODE"))
        session.execute(text("DROP TABLE IF EXISTS report_facts"))  # the first slice's table
        kept = recorded(session)
        for table in (figure_rows, dispatches, reports, agencies):
            session.execute(delete(table))
        if kept:
            session.execute(insert(agencies), kept)
        agency_events = journal.agency_bodies(session)
        for body in agency_events:
            projection.apply_agency(session, body)
        ids = journal.report_ids(session)
        where = KnownPlaces(session)
        days: dict[tuple, list[int]] = {}
        parents: dict[tuple[str, str], str | None] = {}
        names: dict[str, str] = {}
        placed: dict[str, places.Place] = {}
        if progress:
            progress(0, len(ids))
        for first in range(0, len(ids), batch):
            chunk = ids[first : first + batch]
            report_rows, hop_rows = [], []
            for tracking_id, events in journal.streams(session, chunk[0], chunk[-1]):
                report = facts.fold(tracking_id, events)
                row, hops = rows.rows_of(report, where.place_of)
                report_rows.append(tuple(getattr(row, name) for name in _REPORT_COLUMNS))
                hop_rows += [tuple(getattr(hop, name) for name in _HOP_COLUMNS) for hop in hops]
                added, found = contributions(row, hops)
                parents.update(found)
                for key, values in added.items():
                    target = days.get(key)
                    if target is None:
                        target = days[key] = [0] * width
                    for index, value in values.items():
                        target[index] += value
                report_names, report_places = placing.carried(report)
                for code, name in report_names.items():
                    if name:
                        names.setdefault(code, name)
                placed.update(report_places)
            bulk.insert(session, reports, _REPORT_COLUMNS, report_rows)
            bulk.insert(session, dispatches, _HOP_COLUMNS, hop_rows)
            if progress:
                progress(first + len(chunk), len(ids))
        written = figures.write_all(session, days, parents)
        placing.remember(session, names, placed)
        for table in (figure_rows, reports, dispatches, agencies):
            # fresh statistics, or the planner guesses from an empty table's
            session.execute(text(f"ANALYZE {table.name}"))
    return {
        "agency_events": len(agency_events),
        "reports": len(ids),
        "figure_rows": written,
        "seconds": round(time.perf_counter() - started, 2),
    }


def run(database_url: str | None, quiet: bool) -> int:
    engine = make_engine(database_url or load_config("reporting")["DATABASE_URL"])
    try:
        done = rebuild(engine, None if quiet else progress_bar("reports"))
    finally:
        engine.dispose()
    print(
        f"rebuilt: {done['reports']} reports, {done['agency_events']} agency events, "
        f"{done['figure_rows']} figure rows in {done['seconds']} s"
    )
    return 0


def register(commands) -> None:
    """``satupintu rebuild-reporting [--database-url URL] [--quiet]``."""
    command = commands.add_parser(
        "rebuild-reporting", help="recreate reporting's projections from its journal"
    )
    command.add_argument(
        "--database-url", help="default: reporting's DATABASE_URL (REPORTING_DATABASE_URL)"
    )
    command.add_argument("--quiet", action="store_true", help="no progress bar")
    command.set_defaults(run=lambda args: run(args.database_url, args.quiet))
