"""Duplicate keys (services/intake/duplicates.py) for reports submitted before duplicate
candidates existed, so the desk lists candidates among old reports too.

    .venv/bin/python -m services.intake.backfill [--database-url URL] [--batch 1000] [--quiet]

Resumable: each batch is its own transaction, and a report that has a key is never read
again, so a run stopped halfway (Ctrl-C, a deploy) goes on where it stopped when started
again; a run with nothing left to do says so at once. Safe beside a running intake (a report
submitted meanwhile has its key already and is not read). A progress bar on stderr; the words
are never printed.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.intake import completeness, duplicates, records
from services.intake.models import duplicate_keys, metadata, reports
from shared.config import load_config
from shared.db import create_schema, infra, make_engine

CLOSED = ("returned", "archived")  # not submitted to routing, or nobody's candidate any more


def _missing():
    """Submitted, open reports without a key (only those that can have one: a regency)."""
    return (
        select(reports)
        .outerjoin(duplicate_keys, duplicate_keys.c.tracking_id == reports.c.tracking_id)
        .where(
            duplicate_keys.c.tracking_id.is_(None),
            reports.c.status.not_in(CLOSED),
            reports.c.region_code.like("%.%"),
        )
    )


def backfill(engine, batch: int = 1000, progress=None) -> dict:
    """Store the missing keys, ``batch`` reports per transaction; {"examined", "stored"}."""
    create_schema(engine, infra, metadata)  # an intake that never ran since the change
    with Session(engine) as session:
        total = session.execute(select(func.count()).select_from(_missing().subquery())).scalar()
    examined = stored = 0
    after = ""
    while True:
        with Session(engine) as session, session.begin():
            rows = session.execute(
                _missing().where(reports.c.tracking_id > after).order_by(reports.c.tracking_id)
                .limit(batch)
            ).all()  # fmt: skip
            for row in rows:
                stored += _remember(session, row)
        if not rows:
            break
        after = rows[-1].tracking_id
        examined += len(rows)
        if progress:
            progress(min(examined, total), total)
    if progress and not examined:
        progress(0, 0)
    return {"examined": examined, "stored": stored}


def _remember(session, row) -> bool:
    category_id = completeness.routing_category(records.record(row))
    return duplicates.remember(
        session, row.tracking_id, row.title, row.body, row.region_code, category_id,
        row.submitted_at,
    )  # fmt: skip


def progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\rduplicate keys [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.intake.backfill",
        description="Store duplicate keys for reports submitted before they existed.",
    )
    parser.add_argument("--database-url", help="default: intake's DATABASE_URL")
    parser.add_argument("--batch", type=int, default=1000, help="reports per transaction")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or load_config("intake")["DATABASE_URL"])
    try:
        done = backfill(engine, max(1, args.batch), None if args.quiet else progress_bar)
    finally:
        engine.dispose()
    print(f"duplicate keys: {done['stored']} stored, {done['examined']} reports examined")
    return 0


if __name__ == "__main__":
    sys.exit(main())
