"""Routing figures (prints them; not a test).

1. the pure policy (services/routing/rules/policy.py) over the full national template with kecamatan
   units (18,307 agencies), then grown to 100,000 agencies with one village office per village:
   decisions per second and the time of one decision (p50/p99), over random (category,
   location) pairs from the category tree and the region data down to villages;
2. end to end: the agency registry and routing started as processes the way `make run` starts
   them (a vhost of their own, databases in a temporary folder), report_submitted events
   published onto the broker as intake publishes them, and the time from each publish until
   its report_routed event arrives: p50/p99 and throughput, as fast as the clients can send
   or at a paced rate.

    .venv/bin/python bench/routing.py [--decisions 20000] [-n 1000] [-c 8] [-r RATE]
        [--routing 1] [--postgres] [--skip-e2e] [--agencies 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from kombu import Connection, Exchange, Producer, Queue  # noqa: E402

from bench.pipeline import free_port, fresh_vhost  # noqa: E402
from bench.registry import village_offices  # noqa: E402
from services.agency_registry.template import build_template  # noqa: E402
from services.routing.rules.policy import AgencyView, Directory, decide  # noqa: E402
from services.routing.rules.replica_state import views_from_template  # noqa: E402
from shared import categories, events  # noqa: E402
from shared.regions import load_regions  # noqa: E402
from shared.tracking import new_tracking_id  # noqa: E402

MANAGEMENT = "http://guest:guest@127.0.0.1:15672/api"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
E2E_CASES = [
    ("pendidikan.sma", "73.11"),
    ("pendidikan.sd", "73.11.01"),
    ("kesehatan", "31.71"),
    ("perbankan_keuangan", "35.78"),
    ("infrastruktur", "51.71"),
    ("kesehatan.puskesmas", "73.11.01.2002"),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- 1. the pure policy ---------------------------------------------------------------------


def policy_figures(label: str, agencies: list[AgencyView], queries, named) -> None:
    started = time.perf_counter()
    directory = Directory(agencies)
    built = time.perf_counter() - started
    for category_id, region_code in queries[:500]:  # warm caches
        decide(directory, category_id, region_code)
    samples, rules = [], {}
    started = time.perf_counter()
    for i, (category_id, region_code) in enumerate(queries):
        target = named[i % len(named)] if i % 10 == 0 else None  # one in ten names an agency
        t0 = time.perf_counter_ns()
        decision = decide(directory, category_id, region_code, target)
        samples.append(time.perf_counter_ns() - t0)
        rules[decision.rule] = rules.get(decision.rule, 0) + 1
    elapsed = time.perf_counter() - started
    share = ", ".join(f"{rule} {n * 100 / len(queries):.0f}%" for rule, n in sorted(rules.items()))
    print(
        f"{label}: {len(directory):,} agencies (index built in {built:.2f} s): "
        f"{len(queries) / elapsed:,.0f} decisions/s, one decision p50 "
        f"{pct(samples, 0.5) / 1000:.0f} µs, p99 {pct(samples, 0.99) / 1000:.0f} µs ({share})",
        flush=True,
    )


def run_policy(decisions: int, size: int) -> None:
    random.seed(7)
    regions = load_regions()
    template = build_template(regions, with_districts=True)
    ids = list(categories.CATEGORIES)
    places = [""] + [r.code for r in regions.regencies()] + [r.code for r in regions.districts()]
    places += [r.code for r in random.sample(regions.villages(), 20_000)]
    queries = [(random.choice(ids), random.choice(places)) for _ in range(decisions)]
    named = [spec.code for spec in random.sample(template, 200)]
    print("== the pure policy (one process, one core)")
    policy_figures("national template", views_from_template(template, regions), queries, named)
    extra = village_offices(regions, size - len(template))
    policy_figures(
        f"grown to {size:,}", views_from_template(template + extra, regions), queries, named
    )


# --- 2. end to end ---------------------------------------------------------------------------


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def start(service: str, cls: str, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.nameko_run",
            "--config",
            f"services/{service}/config.yml",
            cls,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def pg_database() -> str:
    import psycopg2

    name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return name


def drop_pg(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


class Arrivals(threading.Thread):
    """Receives report_routed events and notes when each arrived."""

    def __init__(self, amqp_uri: str):
        super().__init__(daemon=True)
        self.amqp_uri = amqp_uri
        self.arrived: dict[str, float] = {}
        self.ready = threading.Event()
        self.running = True

    def run(self) -> None:
        exchange = Exchange("routing.events", type="topic", durable=True)
        queue = Queue("bench-routed", exchange, routing_key="report_routed", auto_delete=True)
        with Connection(self.amqp_uri) as conn:
            with conn.Consumer(queue, callbacks=[self.on_message], accept=["json"]):
                self.ready.set()
                while self.running:
                    try:
                        conn.drain_events(timeout=0.5)
                    except TimeoutError:
                        pass

    def on_message(self, body, message) -> None:
        self.arrived[body["body"]["tracking_id"]] = time.time()
        message.ack()


def submitted(i: int) -> tuple[str, dict]:
    category_id, region_code = E2E_CASES[i % len(E2E_CASES)]
    tracking_id = new_tracking_id()
    event = events.new_event(
        "report_submitted",
        tracking_id,
        {
            "tracking_id": tracking_id,
            "classification": "complaint",
            "category_id": category_id,
            "region_code": region_code,
            "privacy": "public",
            "channel": "web",
            "language": "id",
            "title": f"Laporan uji beban {i}",
            "submitted_at": datetime.now(UTC),
        },
        None,
    )
    return tracking_id, event.wire


def run_e2e(n: int, concurrency: int, rate: float, routing: int, postgres: bool) -> None:
    from services.agency_registry.commands import load_template

    workdir = Path(tempfile.mkdtemp(prefix="satupintu-bench-routing-"))
    amqp_uri = fresh_vhost("satupintu_bench_routing")
    registry_db = f"sqlite:///{workdir}/agency_registry.db"
    print("\n== end to end: loading the template into the registry…", file=sys.stderr)
    load_template(with_districts=True, database_url=registry_db)
    pg_name = pg_database() if postgres else None
    routing_db = (
        f"postgresql://postgres@127.0.0.1:5432/{pg_name}"
        if pg_name
        else f"sqlite:///{workdir}/routing.db"
    )
    env = {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "LOG_LEVEL": "WARNING",
        "REGISTRY_DATABASE_URL": registry_db,
        "ROUTING_DATABASE_URL": routing_db,
        "REGISTRY_HTTP": f"127.0.0.1:{free_port()}",
    }
    processes = []
    log = open(workdir / "services.log", "w")  # noqa: SIM115
    try:
        processes.append(
            start("agency_registry", "services.agency_registry.service:AgencyRegistry", env, log)
        )
        ports = []
        for _ in range(routing):
            port = free_port()
            ports.append(port)
            routing_env = {**env, "ROUTING_HTTP": f"127.0.0.1:{port}"}
            processes.append(start("routing", "services.routing.service:Routing", routing_env, log))
        registry_port = int(env["REGISTRY_HTTP"].rsplit(":", 1)[1])
        wait_until(lambda: all(healthy(p) for p in [registry_port, *ports]), 120, "services")
        arrivals = Arrivals(amqp_uri)
        arrivals.start()
        arrivals.ready.wait(10)
        exchange = Exchange("intake.events", type="topic", durable=True)
        local = threading.local()

        def publish(wire: dict) -> None:
            if not hasattr(local, "producer"):
                local.conn = Connection(amqp_uri)
                local.producer = Producer(local.conn.channel(), exchange, serializer="json")
            local.producer.publish(wire, routing_key="report_submitted", delivery_mode=2)

        # warm up: every routing process loads its replica of 18,307 agencies
        warm = []
        for i in range(4 * routing):
            tid, wire = submitted(i)
            warm.append(tid)
            publish(wire)
        wait_until(lambda: all(t in arrivals.arrived for t in warm), 180, "the warm-up reports")
        reports = [submitted(i) for i in range(n)]
        sent: dict[str, float] = {}
        began = time.time()

        def send(i: int) -> None:
            if rate:
                time.sleep(max(0.0, began + i / rate - time.time()))
            tid, wire = reports[i]
            sent[tid] = time.time()
            publish(wire)

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(send, range(n)))
        wait_until(lambda: all(t in arrivals.arrived for t in sent), 600, "every report_routed")
        arrivals.running = False
        latencies = [(arrivals.arrived[t] - sent[t]) * 1000 for t in sent]
        elapsed = max(arrivals.arrived[t] for t in sent) - began
        pace = f"{rate:g}/s offered" if rate else "as fast as possible"
        database = "PostgreSQL" if postgres else "SQLite"
        print(
            f"report_submitted → report_routed: {n} reports, {concurrency} publishers, {pace}, "
            f"{routing} routing process(es) on {database}: {n / elapsed:,.1f} routed/s, "
            f"p50 {statistics.median(latencies):.1f} ms, p99 {pct(latencies, 0.99):.1f} ms, "
            f"max {max(latencies):.1f} ms",
            flush=True,
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        requests.delete(f"{MANAGEMENT}/vhosts/satupintu_bench_routing", timeout=10)
        if pg_name:
            drop_pg(pg_name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=20_000, help="policy decisions")
    parser.add_argument("--agencies", type=int, default=100_000, help="the grown directory")
    parser.add_argument("-n", type=int, default=1000, help="reports end to end")
    parser.add_argument("-c", type=int, default=8, help="concurrent publishers")
    parser.add_argument("-r", "--rate", type=float, default=0.0, help="reports a second")
    parser.add_argument("--routing", type=int, default=1, help="routing processes")
    parser.add_argument("--postgres", action="store_true", help="routing on PostgreSQL")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--skip-policy", action="store_true")
    args = parser.parse_args()
    if not args.skip_policy:
        run_policy(args.decisions, args.agencies)
    if not args.skip_e2e:
        run_e2e(args.n, args.c, args.rate, args.routing, args.postgres or args.routing > 1)


if __name__ == "__main__":
    main()
