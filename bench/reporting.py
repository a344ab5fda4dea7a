"""Figures for reporting (prints them; not a test).

1. generates the events of N reports (default 1,000,000) over 500+ agencies across two years
   (services.reporting.synthetic: returns, review-mode verification, declines, follow-ups,
   breaches, feedback), and writes them straight into the journal of a fresh SQLite file and a
   fresh PostgreSQL database (the bulk path: executemany / COPY);
2. builds the projections from the journal with the rebuild (the same fold and contributions
   the live handlers use): time;
3. applies more events one transaction each through the live path (projection.apply): rate;
4. times the main queries, cold then warm (median and max of repeats): an agency's card, a
   province's ranking of its governments, the national summary and the ranking of provinces,
   over one year and over all time. Target: under 100 ms each.

    .venv/bin/python bench/reporting.py [-n 1000000] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.reporting import projection, queries, synthetic  # noqa: E402
from services.reporting.models import journal, metadata  # noqa: E402
from services.reporting.rebuild import rebuild  # noqa: E402
from services.reporting.windows import Window  # noqa: E402
from shared.db import create_schema, infra, make_engine  # noqa: E402
from shared.events import new_event  # noqa: E402
from shared.progress import progress_bar  # noqa: E402
from shared.regions import load_regions  # noqa: E402

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
OPDS = ("DISDIK", "DINKES", "DPUPR", "DISDUKCAPIL", "DINSOS", "DISHUB")
NATIONAL = ("KEMENKES", "KEMENAG", "KEMENSOS", "OJK", "BPJS-KESEHATAN", "KEMENHUB")


def agencies_for(count: int) -> list[tuple[str, str, str]]:
    """(code, name, region code): OPDs of every regency, city and province, then national."""
    regions = load_regions(with_villages=False)
    governments = [(f"PROV-{p.code}", p.code) for p in regions.provinces()] + [
        ("KAB-" + r.code.replace(".", "-"), r.code) for r in regions.regencies()
    ]
    found = [(code, code, "31") for code in NATIONAL]
    for suffix in OPDS:
        for government, region in governments:
            if len(found) >= count:
                return found
            found.append((f"{government}-{suffix}", f"{suffix} {government}", region))
    return found


def wire(value):
    return value.isoformat() if isinstance(value, datetime) else value


def generate(n: int, agencies, seed: int, chunk: int = 20000):
    """Chunks of journal rows (event_id, event_type, tracking id, occurred_at, body)."""
    rng = random.Random(seed)
    # a few agencies are much busier than most, as in real life
    weights = [rng.paretovariate(1.2) for _ in agencies]
    rows = []
    for i in range(n):
        agency = rng.choices(agencies, weights)[0] if i % 64 else rng.choice(agencies)
        start = START + SPAN * rng.random()
        plan = synthetic.random_plan(rng, f"LPR-{i:09d}", agency, start)
        for event_type, body in synthetic.events(plan):
            occurred = next(v for k, v in body.items() if k.endswith("_at") and "due" not in k)
            rows.append(
                (
                    uuid.UUID(int=rng.getrandbits(128)).hex,
                    event_type,
                    plan.tracking_id,
                    occurred,
                    {k: wire(v) for k, v in body.items()},
                )
            )
        if (i + 1) % chunk == 0:
            yield rows
            rows = []
    if rows:
        yield rows


class Target:
    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'reporting.db'}"
            self.path = workdir / "reporting.db"
        else:
            import psycopg2

            self.name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            admin.close()
            self.url = f"postgresql://postgres@127.0.0.1:5432/{self.name}"
        self.engine = make_engine(self.url)
        create_schema(self.engine, infra, metadata)
        self.seconds = 0.0

    def write(self, rows) -> None:
        started = time.perf_counter()
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.kind == "sqlite":
                cursor.executemany(
                    "INSERT INTO journal VALUES (?, ?, ?, ?, ?, NULL)",
                    [
                        (eid, etype, agg, at.replace(tzinfo=None).isoformat(" "), json.dumps(body))
                        for eid, etype, agg, at, body in rows
                    ],
                )
            else:
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                for eid, etype, agg, at, body in rows:
                    writer.writerow((eid, etype, agg, at.isoformat(), json.dumps(body)))
                buffer.seek(0)
                cursor.copy_expert(
                    "COPY journal (event_id, event_type, aggregate_id, occurred_at, body) "
                    "FROM STDIN WITH (FORMAT csv)",
                    buffer,
                )
            raw.commit()
        finally:
            raw.close()
        self.seconds += time.perf_counter() - started

    def size(self) -> str:
        if self.kind == "sqlite":
            return f"{self.path.stat().st_size / 2**20:.0f} MiB"
        with self.engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return f"{size / 2**20:.0f} MiB"

    def drop(self) -> None:
        self.engine.dispose()
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            import psycopg2

            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.close()


def timed_query(label: str, call, repeats: int) -> str:
    started = time.perf_counter()
    call()
    cold = (time.perf_counter() - started) * 1000
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    flag = "" if max(samples) < 100 else "  (over 100 ms)"
    return (
        f"  {label:<44} cold {cold:7.1f} ms   warm median {statistics.median(samples):6.1f} ms"
        f"   max {max(samples):6.1f} ms{flag}"
    )


def queries_of(target: Target, repeats: int) -> list[str]:
    year = Window(date(2025, 1, 1), date(2025, 12, 31))
    ever = Window()
    viewer = queries.Viewer()
    with Session(target.engine) as session:
        busiest = session.execute(
            text(
                "SELECT agency_code, count(*) AS n FROM reports WHERE agency_code IS NOT NULL "
                "GROUP BY agency_code ORDER BY n DESC LIMIT 1"
            )
        ).first()
        province = session.execute(
            text(
                "SELECT province_code, count(*) AS n FROM reports WHERE province_code IS NOT NULL "
                "GROUP BY province_code ORDER BY n DESC LIMIT 1"
            )
        ).first()
        lines = [
            f"  (busiest agency {busiest.agency_code}: {busiest.n} reports; "
            f"busiest province {province.province_code}: {province.n} reports)"
        ]
        for label, window in (("2025", year), ("all time", ever)):
            cases = [
                (
                    f"agency card, {label}",
                    lambda w=window: queries.card(
                        session, "agency", busiest.agency_code, w, viewer
                    ),
                ),
                (
                    f"province ranking of governments, {label}",
                    lambda w=window: queries.governments_ranking(
                        session, province.province_code, w, viewer, 5
                    ),
                ),
                (
                    f"national summary, {label}",
                    lambda w=window: queries.card(session, "nation", "ID", w, viewer),
                ),
                (
                    f"ranking of provinces, {label}",
                    lambda w=window: queries.provinces_ranking(session, w, viewer, 5),
                ),
            ]
            lines += [timed_query(name, call, repeats) for name, call in cases]
        awkward = Window(date(2024, 3, 17), date(2025, 11, 9))
        lines.append(
            timed_query(
                "national summary, 2024-03-17..2025-11-09",
                lambda: queries.card(session, "nation", "ID", awkward, viewer),
                repeats,
            )
        )
    return lines


def incremental(target: Target, agencies, count: int, seed: int) -> str:
    """Apply the events of new reports one transaction per event, as the handlers do."""
    rng = random.Random(seed + 1)
    events = []
    i = 0
    while len(events) < count:
        plan = synthetic.random_plan(
            rng, f"LPR-X{i:08d}", rng.choice(agencies), START + SPAN * rng.random()
        )
        events += [new_event(t, plan.tracking_id, b, None) for t, b in synthetic.events(plan)]
        i += 1
    events = events[:count]
    rng.shuffle(events)
    started = time.perf_counter()
    for event in events:
        with Session(target.engine) as session, session.begin():
            projection.apply(session, event)
    seconds = time.perf_counter() - started
    return (
        f"  live path: {count} events (shuffled) in {seconds:.1f} s = "
        f"{count / seconds:.0f} events/s, {seconds / count * 1000:.2f} ms each"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=600)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--incremental", type=int, default=3000, help="events via the live path")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    agencies = agencies_for(args.agencies)
    workdir = Path(tempfile.mkdtemp(prefix="satupintu-bench-reporting-"))
    targets = [Target(kind, workdir) for kind in args.databases.split(",")]
    print(f"{args.reports:,} reports over {len(agencies)} agencies, {START:%Y-%m-%d} + 2 years")
    started = time.perf_counter()
    events = 0
    show = progress_bar("generate + journal")
    for number, rows in enumerate(generate(args.reports, agencies, args.seed), start=1):
        events += len(rows)
        for target in targets:
            target.write(rows)
        show(min(number * 20000, args.reports), args.reports)
    total = time.perf_counter() - started
    print(f"{events:,} events ({events / args.reports:.1f} per report); generation and writing:")
    writing = sum(target.seconds for target in targets)
    print(f"  generating {total - writing:.0f} s", end="")
    for target in targets:
        print(f", journal into {target.kind} {target.seconds:.0f} s", end="")
    print()
    try:
        for target in targets:
            print(f"\n{target.kind}:")
            done = rebuild(target.engine, progress_bar(f"  rebuild {target.kind}"))
            print(
                f"  rebuild from the journal: {done['reports']:,} reports in {done['seconds']:.0f} s "
                f"({done['reports'] / max(done['seconds'], 1e-9):,.0f} reports/s), "
                f"{done['figure_rows']:,} figure rows"
            )
            with target.engine.connect() as conn:
                journal_rows = conn.execute(select(func.count()).select_from(journal)).scalar()
            print(f"  journal {journal_rows:,} events; database {target.size()}")
            for line in queries_of(target, args.repeats):
                print(line, flush=True)
            if args.incremental:
                print(incremental(target, agencies, args.incremental, args.seed), flush=True)
    finally:
        if not args.keep:
            for target in targets:
                target.drop()
            workdir.rmdir()
        else:
            print("kept:", ", ".join(target.url for target in targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
