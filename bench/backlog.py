"""How fast reporting works through a backlog of events: a worker per event, or in batches.

A backlog is what a service finds after it was stopped or its database was away. The bench
publishes N reports' report_submitted and report_routed events, as intake and routing send
them, to the queues of a reporting that is not running. It then starts reporting in this
process (a nameko container on a fresh SQLite file or PostgreSQL database) and times it until
its journal holds all 2N. It does this in turns with ``EVENT_BATCH_SIZE`` 1 (nameko's own way,
a worker per event) and the batch size given, and prints events per second and the CPU this
process spent per event, with the ratio between them.

    python bench/backlog.py [-n 2000] [--rounds 3] [--batch 5] [--database sqlite|postgresql]
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import nullcontext  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kombu import Connection  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.processes import drop_vhost, fresh_vhost, pg_databases  # noqa: E402
from services.reporting.models import journal, metadata  # noqa: E402
from services.reporting.service import Reporting  # noqa: E402
from shared import events  # noqa: E402
from shared.config import load_config  # noqa: E402
from shared.db import create_schema, infra, make_engine  # noqa: E402
from shared.messaging import declare, service_queues  # noqa: E402
from shared.outbox import event_exchange  # noqa: E402
from shared.staff_keys import generate_key_pair  # noqa: E402

VHOST = "satupintu_backlog"


def backlog(n: int) -> list[events.Event]:
    """Each report's two events, as intake's filing and routing's dispatch send them."""
    now = datetime.now(UTC)
    made = []
    for i in range(n):
        tid = f"LPR-BENCH{i:06d}"
        where = {"category_id": "pendidikan.sma", "region_code": "73.11", "privacy": "public"}
        made.append(events.new_event("report_submitted", tid, {
            "tracking_id": tid, "classification": "complaint", "channel": "web",
            "language": "id", "submitted_at": now, **where,
        }, None))  # fmt: skip
        made.append(events.new_event("report_routed", tid, {
            "tracking_id": tid, "agency_code": "PROV-73-DISDIK", "rule": "most_local",
            "agency_name": "Dinas Pendidikan Provinsi Sulawesi Selatan", "channel": "web",
            "trace": ["most_local: chose PROV-73-DISDIK"], "language": "id", "routed_at": now,
            **where,
        }, None))  # fmt: skip
    return made


def drain(n: int, batch: int, database_url: str, keys: Path) -> tuple[float, float]:
    """(events per second, CPU ms per event) for one reporting draining 2n events."""
    amqp = fresh_vhost(VHOST)
    try:
        with Connection(amqp) as conn:
            declare(conn, service_queues(Reporting))
            producer = conn.Producer()
            for event in backlog(n):
                producer.publish(
                    event.wire,
                    exchange=event_exchange(event.source),
                    routing_key=event.key,
                    serializer="json",
                    delivery_mode=2,
                )
        config = load_config(
            "reporting",
            AMQP_URI=amqp,
            DATABASE_URL=database_url,
            WEB_SERVER_ADDRESS="127.0.0.1:0",
            EVENT_BATCH_SIZE=batch,
            STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys / "staff-token.key"),
            STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys / "staff-token.pub"),
            LOG_LEVEL="WARNING",
        )
        engine = make_engine(database_url)
        create_schema(engine, infra, metadata)  # not in the timed window
        container = ServiceContainer(Reporting, config)
        began, cpu = time.perf_counter(), time.process_time()
        container.start()
        try:
            while applied(engine) < 2 * n:
                eventlet.sleep(0.05)
            elapsed, spent = time.perf_counter() - began, time.process_time() - cpu
        finally:
            container.stop()
            engine.dispose()
        return 2 * n / elapsed, spent * 1000 / (2 * n)
    finally:
        drop_vhost(VHOST)


def applied(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(journal)).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="reports (two events each)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=5, help="the batch size set against 1")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the registry it never reaches is not news
    figures: dict[int, list[tuple[float, float]]] = {1: [], args.batch: []}
    with tempfile.TemporaryDirectory() as workdir:
        keys = Path(workdir)
        generate_key_pair(keys / "staff-token.key", keys / "staff-token.pub")
        for round_ in range(args.rounds):
            for batch in figures:
                wanted = ["reporting"] if args.database == "postgresql" else []
                with pg_databases(wanted) if wanted else nullcontext() as urls:
                    url = (urls or {}).get(
                        "reporting"
                    ) or f"sqlite:///{workdir}/r{round_}-{batch}.db"
                    figures[batch].append(drain(args.n, batch, url, keys))
    print(
        f"reporting draining {2 * args.n} events on {args.database}, {args.rounds} rounds in turns"
    )
    print("                       events/s (median, each)            CPU ms per event (median)")
    for batch, runs in figures.items():
        rates = [rate for rate, _ in runs]
        cpus = [cpu for _, cpu in runs]
        print(
            f"  EVENT_BATCH_SIZE={batch:<3d} {statistics.median(rates):8.0f}  "
            f"({', '.join(f'{r:.0f}' for r in rates)})   {statistics.median(cpus):8.2f}"
        )
    one, many = figures[1], figures[args.batch]
    print(
        f"ratio {args.batch} / 1: throughput "
        f"{statistics.median(r for r, _ in many) / statistics.median(r for r, _ in one):.2f}, "
        f"CPU per event {statistics.median(c for _, c in many) / statistics.median(c for _, c in one):.2f}"
        f"  (load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )


if __name__ == "__main__":
    main()
