"""Lists at scale: the public listing (intake) and the desk list (routing) over N stored reports
(1,000,000 unless -n says), on SQLite and on PostgreSQL, by keyset cursor against the OFFSET +
COUNT(*) they replaced, measured in the same run.

1. fresh intake and routing databases, made by the services' own migrations (create_schema),
   on SQLite files in a temporary folder and on a temporary PostgreSQL database on
   127.0.0.1:5432 (dropped after); intake's trigram word-search indexes are dropped before the
   fill (they serve the desk's word search, not these lists, and would be most of the fill);
2. N reports written straight into both (executemany on SQLite, COPY on PostgreSQL:
   shared/bulk.py), in the order they arrive, spread over categories, regencies,
   privacy levels and statuses; routing's dispositions held by the regency's OPD for the
   category, a few with a watcher, the running ones with a deadline (a fifth of them past, so
   overdue); then ANALYZE, and on PostgreSQL a CHECKPOINT, so that the timed calls do not
   share the disk with the fill's write-back;
3. p50/p99 (ms) of each list through the functions the HTTP handlers call
   (services/intake/listing.py, services/routing/desk/listing.py): the first page, the page
   after 50 cursors, a page from the middle (its cursor made once, untimed), with a category,
   with a region; the desk list (page and totals) of one busy agency, of its province's
   agencies and of the whole tree, in several sorts, overdue or not; beside each, the OFFSET +
   COUNT(*) of the same query (fewer repeats: it is slow) and the ratio of the p99s; and (gc)
   how many timed calls a full collection of Python's garbage collector ran in (a pause of
   the interpreter's, some 100 ms on a busy 2-core machine: two of them make a p99).

    .venv/bin/python bench/listing.py              # 1M rows, SQLite then PostgreSQL
    .venv/bin/python bench/listing.py -n 100000 --db sqlite --repeats 50
    .venv/bin/python bench/listing.py --lists desk      # the desk list alone
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, or_, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.intake import listing, records  # noqa: E402
from services.intake.models import metadata as intake_metadata  # noqa: E402
from services.intake.models import reports  # noqa: E402
from services.routing.desk import listing as desk  # noqa: E402
from services.routing.models import dispositions, readers  # noqa: E402
from services.routing.models import metadata as routing_metadata  # noqa: E402
from services.routing.state import clocks, holding  # noqa: E402
from shared import categories  # noqa: E402
from shared.bulk import insert  # noqa: E402
from shared.db import create_schema, infra, make_engine  # noqa: E402
from shared.regions import load_regions  # noqa: E402

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
PAGE = 20  # the public listing's default page
DESK_PAGE = 50  # the desk's default page
# how a report's status is spread once stored (most are dispatched or later)
STATUSES = {
    "awaiting_verification": 3,
    "returned": 4,
    "dispatched": 22,
    "in_progress": 24,
    "awaiting_feedback": 10,
    "completed": 30,
    "archived": 7,
}
# the OPD of a regency that holds a report of each top-level category (else the governor's)
OPD = {"pendidikan": "DISDIK", "kesehatan": "DINKES", "infrastruktur": "DPUPR"}
INTAKE_COLUMNS = [
    "tracking_id", "classification", "category_id", "title", "body", "region_code", "privacy",
    "channel", "language", "status", "unsatisfied_rounds", "agency_code", "agency_name",
    "submitted_at", "updated_at",
]  # fmt: skip
ROUTING_COLUMNS = [
    "tracking_id", "agency_code", "category_id", "region_code", "privacy", "rule", "status",
    "routed_at", "agency_name", "title", "received_at", "version", "updated_at", "next_due_at",
    "overdue_at",
]  # fmt: skip


def places() -> list[tuple[str, str]]:
    """(regency, a region code in it: the regency itself or one of its districts)."""
    regions = load_regions(with_villages=False)
    found = []
    for regency in regions.regencies():
        found.append((regency.code, regency.code))
        found += [(regency.code, d.code) for d in regions.districts(regency.code)[:6]]
    return found


def generate(n: int, seed: int, chunk: int = 50_000):
    """Chunks of (intake row, routing row or None, reader row or None), oldest first."""
    rng = random.Random(seed)
    leaves = [c for c in _all_categories() if not categories.children(c)]
    where = places()
    # a few regencies and categories are much busier than most, as in real life
    where_weights = list(accumulate(rng.paretovariate(1.5) for _ in where))
    leaf_weights = list(accumulate(rng.paretovariate(1.5) for _ in leaves))
    statuses, status_weights = tuple(STATUSES), list(accumulate(STATUSES.values()))
    privacies, privacy_weights = ("public", "anonymous", "confidential"), [80, 92, 100]
    step = SPAN / n
    late, now = random.Random(seed + 1), datetime.now(UTC)  # apart: the rest drawn as before
    out = []
    for i in range(n):
        # whole seconds: reports filed in the same second share a submitted_at
        at = (START + step * i + timedelta(seconds=rng.random() * 5)).replace(microsecond=0)
        category = rng.choices(leaves, cum_weights=leaf_weights)[0]
        regency, region = rng.choices(where, cum_weights=where_weights)[0]
        privacy = rng.choices(privacies, cum_weights=privacy_weights)[0]
        status = rng.choices(statuses, cum_weights=status_weights)[0]
        tid = f"LPR-{i:09d}"
        top = category.split(".")[0]
        agency = f"KAB-{regency.replace('.', '-')}-{OPD.get(top, 'SETDA')}"
        routed = status not in ("awaiting_verification", "returned")
        running = status in ("dispatched", "in_progress")  # their clocks make them overdue
        title = f"Laporan {category} di {region} nomor {i}"
        body = f"Isi laporan uji nomor {i} tentang {category}, di wilayah {region}, cukup panjang."
        out.append(
            (
                (
                    tid,
                    "complaint",
                    category,
                    title,
                    body,
                    region,
                    privacy,
                    "web",
                    "id",
                    status,
                    0,
                    agency if routed else None,
                    agency if routed else None,
                    at,
                    at + timedelta(hours=1),
                ),  # fmt: skip
                (
                    tid,
                    agency,
                    category,
                    region,
                    privacy,
                    "jurisdiction",
                    status,
                    at,
                    agency,
                    None if privacy == "confidential" else title,
                    at,
                    1,
                    at + timedelta(hours=1),
                    at + timedelta(days=7) if running else None,
                    overdue_at(late, at, now) if running else None,
                )  # fmt: skip
                if routed
                else None,
                (tid, f"PROV-{regency[:2]}-INSPEKTORAT", "watcher", at)
                if routed and rng.random() < 0.02
                else None,
            )
        )
        if len(out) == chunk:
            yield out
            out = []
    if out:
        yield out


def overdue_at(rng, at: datetime, now: datetime) -> datetime:
    """A running report's earliest deadline whose breach makes it overdue: past for a fifth
    of them, else in the coming 60 days."""
    return at + timedelta(days=7) if rng.random() < 0.2 else now + rng.random() * timedelta(60)


def _all_categories() -> list[str]:
    found = []
    for top in categories.top_level():
        found += [top, *categories.descendants(top)]
    return found


class Target:
    """intake's and routing's databases on one kind of server, made by their migrations."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.names = kind, []
        if kind == "sqlite":
            urls = [f"sqlite:///{folder / name}.db" for name in ("intake", "routing")]
        else:
            urls = [self._pg_database() for _ in range(2)]
        self.intake, self.routing = (make_engine(url) for url in urls)
        create_schema(self.intake, infra, intake_metadata)
        create_schema(self.routing, infra, routing_metadata)
        with self.intake.begin() as conn:  # the desk's word search: not these lists
            for name in ("ix_reports_title_trgm", "ix_reports_body_trgm"):
                conn.execute(text(f"DROP INDEX IF EXISTS {name}"))

    def _pg_database(self) -> str:
        import psycopg2

        name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(PG_ADMIN_URL)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        self.names.append(name)
        return f"postgresql://postgres@127.0.0.1:5432/{name}"

    def fill(self, n: int, seed: int) -> float:
        started = time.perf_counter()
        with Session(self.intake) as si, Session(self.routing) as sr:
            for rows in generate(n, seed):
                insert(si, reports, INTAKE_COLUMNS, [r[0] for r in rows])
                insert(sr, dispositions, ROUTING_COLUMNS, [r[1] for r in rows if r[1]])
                insert(sr, readers, ["tracking_id", "agency_code", "kind", "since"],
                       [r[2] for r in rows if r[2]])  # fmt: skip
                si.commit()
                sr.commit()
                print(f"\r  {self.kind}: {rows[-1][0][0]}", end="", flush=True)
        for engine in (self.intake, self.routing):
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE" if self.kind == "sqlite" else "VACUUM ANALYZE"))
        if self.kind == "postgresql":
            # the fill's dirty pages written now: else the checkpoint the fill's WAL starts
            # writes them back, spread over the next minutes, under the timed calls
            with self.routing.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("CHECKPOINT"))
        gc.collect()  # the fill's garbage, not the lists'
        print()
        return time.perf_counter() - started

    def drop(self) -> None:
        self.intake.dispose()
        self.routing.dispose()
        if self.names:
            import psycopg2

            admin = psycopg2.connect(PG_ADMIN_URL)
            admin.autocommit = True
            with admin.cursor() as cursor:
                for name in self.names:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def timed(call, repeats: int) -> tuple[float, float, int]:
    """(p50, p99) in ms of ``repeats`` calls (after one untimed call), and how many of them a
    full collection of Python's garbage collector (generation 2) ran inside: each such pause
    (about 100 ms here) is the interpreter's, not the list's, and two of them make a p99."""
    call()
    times, full = [], []

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(len(times))

    gc.callbacks.append(count)
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    finally:
        gc.callbacks.remove(count)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, len(set(full))


def public_cases(session) -> list[tuple[str, object, int]]:
    """(label, query, how deep: 0 first page, 50 after 50 cursors, -1 the middle)."""
    biggest = session.execute(
        select(reports.c.category_id, func.count()).group_by(reports.c.category_id)
        .order_by(func.count().desc()).limit(1)
    ).one()[0]  # fmt: skip
    top = biggest.split(".")[0]
    return [
        ("public: first page", listing.filtered(None, None, None), 0),
        ("public: after 50 cursors", listing.filtered(None, None, None), 50),
        ("public: a page in the middle", listing.filtered(None, None, None), -1),
        (f"public: category {top}", listing.filtered(top, None, None), 0),
        (f"public: category {top}, 50 on", listing.filtered(top, None, None), 50),
        (f"public: sub-topic {biggest}", listing.filtered(biggest, None, None), 0),
        ("public: region 73 (province)", listing.filtered(None, "73", None), 0),
        ("public: region 73.71 (city), 50 on", listing.filtered(None, "73.71", None), 50),
        ("public: region 73, status completed", listing.filtered(None, "73", "completed"), 0),
    ]


def cursor_at(session, query, order, depth: int, page: int, keyset_page) -> str | None:
    """The cursor ``depth`` pages in (followed page by page), or of the middle row (-1)."""
    if depth == -1:
        count = session.execute(select(func.count()).select_from(query.subquery())).scalar()
        row = session.execute(
            query.order_by(order.key.desc(), order.unique.desc()).offset(count // 2).limit(1)
        ).one()
        return order.cursor(getattr(row, order.key.name), getattr(row, order.unique.name))
    cursor = None
    for _ in range(depth):
        cursor = keyset_page(cursor)[1]
    return cursor


def offset_of(depth: int, page: int, session, query) -> int:
    if depth == -1:
        return session.execute(select(func.count()).select_from(query.subquery())).scalar() // 2
    return depth * page


def measure_public(target: Target, repeats: int, baseline_repeats: int) -> list[tuple]:
    lines = []
    with Session(target.intake) as session:
        for label, query, depth in public_cases(session):

            def keyset_page(cursor, query=query):
                rows, following = listing.page(session, query, cursor, PAGE)
                records.rows_to_records(session, rows)
                return rows, following

            cursor = cursor_at(session, query, listing.NEWEST_FIRST, depth, PAGE, keyset_page)
            offset = offset_of(depth, PAGE, session, query)

            def old(query=query, offset=offset):
                session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
                old_order = query.order_by(reports.c.submitted_at.desc(), reports.c.tracking_id)
                rows = session.execute(old_order.offset(offset).limit(PAGE)).all()
                records.rows_to_records(session, rows)

            new = timed(lambda c=cursor, k=keyset_page: k(c), repeats)
            lines.append((label, new, timed(old, baseline_repeats)))
    return lines


def busiest_agency(session) -> str:
    return session.execute(
        select(dispositions.c.agency_code, func.count()).group_by(dispositions.c.agency_code)
        .order_by(func.count().desc()).limit(1)
    ).one()[0]  # fmt: skip


def desk_query(**given) -> dict:
    query = dict.fromkeys(("status", "category", "date_from", "date_to", "overdue", "queue"))
    return {**query, "access": "all", "sort": "-received", "limit": DESK_PAGE, **given}


def measure_desk(target: Target, repeats: int, baseline_repeats: int) -> list[tuple]:
    lines = []
    now = datetime.now(UTC)
    with Session(target.routing) as session:
        agency = busiest_agency(session)
        province = agency.split("-")[1]
        held = session.execute(
            select(func.count()).where(dispositions.c.agency_code == agency)
        ).scalar()
        coordinators = {
            code
            for (code,) in session.execute(
                select(dispositions.c.agency_code)
                .where(dispositions.c.agency_code.like(f"KAB-{province}-%"))
                .distinct()
            )
        }
        cases = [
            (f"desk: {agency} ({held} held), first page", {agency}, {}, 0),
            (f"desk: {agency}, after 10 cursors", {agency}, {}, 10),
            (f"desk: {agency}, sort=due", {agency}, {"sort": "due"}, 0),
            (f"desk: {agency}, status in_progress", {agency}, {"status": ["in_progress"]}, 0),
            (f"desk: {agency}, sort=-updated", {agency}, {"sort": "-updated"}, 0),
            (f"desk: {agency}, overdue", {agency}, {"overdue": True}, 0),
            (f"desk: province {province}'s {len(coordinators)} agencies", coordinators, {}, 0),
            (f"desk: province {province}, sort=-updated", coordinators, {"sort": "-updated"}, 0),
            (f"desk: province {province}, overdue", coordinators, {"overdue": True}, 0),
            (f"desk: province {province}, not overdue", coordinators, {"overdue": False}, 0),
            ("desk: the whole tree, after 50 cursors", None, {}, 50),
            ("desk: the whole tree, sort=due", None, {"sort": "due"}, 0),
            ("desk: the whole tree, sort=-updated", None, {"sort": "-updated"}, 0),
            ("desk: the whole tree, overdue", None, {"overdue": True}, 0),
        ]
        for label, codes, given, depth in cases:
            query = desk_query(**given)

            def keyset_page(cursor, codes=codes, query=query):
                asked = {**query, "cursor": cursor}
                rows, following = desk.dispositions_for(session, codes, asked, now)
                desk.totals_for(session, codes, asked, now)
                ids = [row.tracking_id for row in rows]
                clocks.of_reports(session, ids)
                holding.readers_of_many(session, ids)
                return rows, following

            cursor = None
            for _ in range(depth):
                cursor = keyset_page(cursor)[1]
            offset = depth * DESK_PAGE
            # as it was: held OR read, in one WHERE
            sources = desk._sources(codes, query["access"])
            statement = select(dispositions).where(or_(*sources), *desk._narrowed(query, now))
            order = desk.ORDERS[query["sort"]]
            old_order = [order.key.desc() if order.descending else order.key, order.unique]

            def old(statement=statement, offset=offset, old_order=old_order):
                matched = statement.subquery()
                session.execute(
                    select(matched.c.status, func.count()).group_by(matched.c.status)
                ).all()
                found = statement.order_by(*old_order).offset(offset).limit(DESK_PAGE)
                ids = [row.tracking_id for row in session.execute(found)]
                clocks.of_reports(session, ids)
                holding.readers_of_many(session, ids)

            new = timed(lambda c=cursor, k=keyset_page: k(c), repeats)
            lines.append((label, new, timed(old, baseline_repeats)))
    return lines


def table(kind: str, n: int, seconds: float, lines: list[tuple]) -> str:
    width = max(len(line[0]) for line in lines)
    out = [
        f"\n{kind}, {n:,} reports (filled in {seconds:.0f} s); ms, keyset vs OFFSET + COUNT(*)"
        " (gc: timed keyset calls a full garbage collection ran in)",
        f"{'':{width}}  {'p50':>7} {'p99':>7} {'gc':>3}   {'old p50':>8} {'old p99':>8}"
        f"   {'p99 ratio':>9}",
    ]
    for label, (p50, p99, full), (o50, o99, _) in lines:
        flag = "" if p99 < 50 else "  (p99 ≥ 50 ms)"
        out.append(
            f"{label:{width}}  {p50:7.1f} {p99:7.1f} {full:3d}   {o50:8.1f} {o99:8.1f}   "
            f"{o99 / p99:8.1f}x{flag}"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="reports stored")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--lists", choices=("public", "desk", "both"), default="both")
    parser.add_argument("--repeats", type=int, default=200, help="timed calls of each list")
    parser.add_argument("--baseline-repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for kind in kinds:
        with tempfile.TemporaryDirectory() as folder:
            target = Target(kind, Path(folder))
            try:
                seconds = target.fill(args.n, args.seed)
                lines = []
                if args.lists != "desk":
                    lines += measure_public(target, args.repeats, args.baseline_repeats)
                if args.lists != "public":
                    lines += measure_desk(target, args.repeats, args.baseline_repeats)
                print(table(kind, args.n, seconds, lines), flush=True)
            finally:
                target.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
